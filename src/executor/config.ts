/**
 * Configuration of the pipeline function.
 *
 * @module
 */
import type { Limits } from '../core/limits.js';
import type { Routes } from '../core/routes.js';
import type { EventsConfig } from './events.js';

/**
 * Where records go that the pipeline function had to drop: an egress and its topic.
 *
 * @example
 * ```ts
 * const deadLetters: DeadLettersConfig = { egress: DEAD_LETTERS_EGRESS, topic: DEAD_LETTERS_TOPIC };
 * await serve(tasks, { deadLetters });
 * ```
 */
export interface DeadLettersConfig {
  /** Egress typename, e.g. `flinktasks/dead-letters`. */
  readonly egress: string;
  /** Kafka topic. */
  readonly topic: string;
}

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
  /** Where dropped records go, if anywhere (they are logged either way). */
  readonly deadLetters?: DeadLettersConfig | undefined;
  /**
   * Where cancellations are also published, if anywhere: every worker
   * process reads that topic, so a cancelled run's calls are aborted on the
   * replica that runs them (the cancel message itself reaches one replica).
   */
  readonly cancellations?: DeadLettersConfig | undefined;
  /** Size limits of values and replies. */
  readonly limits: Limits;
  /** What the deployment can deliver to (worker function types, reply topics). */
  readonly routes: Routes;
  /**
   * Makes the unguessable token that identifies a run; results must echo it.
   * Default: a random UUID. (Runs are never replayed from scratch, so
   * randomness keeps the executor's answers consistent with its state.)
   */
  readonly newRunToken?: () => string;
}

/**
 * Tasks without function-scoped state run on this many worker addresses per
 * root pipeline (shared by its child pipelines), so the runtime batches their
 * invocations (StateFun batches per address only) while batches still run
 * side by side.
 */
export const WORKER_SPREAD = 16;

/** Cancellation tokens of retention expiries start with this (runtimes need not keep a process alive for them). */
export const EXPIRY_TOKEN_PREFIX = 'flinktasks-expire:';

/** The id under which the flink-tasks ingress delivers records it could not route (`io.flinktasks/InvalidRecord`). */
export const INVALID_RECORDS_ID = 'flinktasks.invalid-records';

/**
 * An outcome larger than this is published in a second invocation, from
 * state, so that one response never carries the value twice (state and reply).
 */
export const INLINE_REPLY_BYTES = 256 * 1024;
