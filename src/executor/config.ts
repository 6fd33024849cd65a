/**
 * Configuration of the pipeline function.
 *
 * @module
 */
import type { EventsConfig } from './events.js';

/** Configuration of the pipeline function. */
export interface ExecutorConfig {
  /** Largest number of branches one pipeline key aggregates. */
  readonly groupSplitThreshold: number;
  /** Largest number of chain entries one pipeline key holds; default 512. */
  readonly chainSegmentLength?: number;
  /**
   * How long a finished top-level pipeline keeps its state for status,
   * result and request queries, in ms; default one hour; 0 keeps it until
   * resubmitted. Child pipelines drop their state as soon as they finish.
   */
  readonly finishedRetentionMs?: number;
  /** Egress typename for replies to Kafka clients, e.g. `flinktasks/replies`. */
  readonly repliesEgress: string;
  /** Where pipeline events go, if anywhere. */
  readonly events?: EventsConfig | undefined;
}

/**
 * Tasks without function-scoped state run on this many pipeline-scoped worker
 * addresses, so the runtime batches their invocations (StateFun batches per
 * address only) while batches still run side by side.
 */
export const WORKER_SPREAD = 16;

/** Cancellation tokens of retention expiries start with this (runtimes need not keep a process alive for them). */
export const EXPIRY_TOKEN_PREFIX = 'flinktasks-expire:';
