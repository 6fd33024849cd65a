/**
 * What listing and inspecting pipelines returns: summaries of recent
 * pipelines and the live picture of one, built from pipeline events.
 *
 * @module
 */
import type { PipelineShape } from '../ir/shape.js';
import type { ErrorInfo, PipelineEvent, PipelineOrigin } from './pipeline-events.js';
import type { PipelineStatus } from '../core/status.js';

/**
 * One pipeline in a listing.
 *
 * @example
 * ```ts
 * for (const p of await client.list({ status: 'RUNNING' })) console.log(p.id, p.status, `${p.tasks.done}/${p.tasks.total}`);
 * ```
 */
export interface PipelineSummary {
  /** The pipeline's id. */
  readonly id: string;
  /** Its outermost pipeline (itself for a submitted one). */
  readonly rootId: string;
  /** The pipeline that started it, if a child. */
  readonly parentId?: string | undefined;
  /** Why it exists. */
  readonly origin: PipelineOrigin;
  /** Its latest status. */
  readonly status: PipelineStatus;
  /** When it was created (ms since the epoch). */
  readonly submittedAt: number;
  /** When it reached COMPLETED, FAILED or CANCELLED. */
  readonly finishedAt?: number | undefined;
  /** Task calls of this pipeline and its branches (not of orchestrator children, which are listed on their own). */
  readonly tasks: {
    /** Calls that finished well. */
    readonly done: number;
    /** Calls that failed for good. */
    readonly failed: number;
    /** Task entries in all. */
    readonly total: number;
  };
  /** The error a FAILED or CANCELLED pipeline ended with. */
  readonly error?: ErrorInfo | undefined;
}

/**
 * Options of `list`.
 *
 * @example
 * ```ts
 * const failed = await client.list({ status: 'FAILED', limit: 20 });
 * ```
 */
export interface ListOptions {
  /** Only pipelines in this status (or any of these). */
  readonly status?: PipelineStatus | readonly PipelineStatus[];
  /** At most this many, newest first; default 100. */
  readonly limit?: number;
  /** Include runtime-made children (group branches, segments); default false. */
  readonly includeBranches?: boolean;
}

/**
 * The state of one task entry (by uid) in an inspected pipeline. For a group
 * branch entry inside a large group, counts add up over its branches.
 *
 * @example
 * ```ts
 * const state: EntryState = { status: 'running', started: 3, done: 1, failed: 0, firstStartedAt: Date.now() };
 * ```
 */
export interface EntryState {
  /** Where the entry stands. */
  readonly status: 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';
  /** Calls started, finished well, failed for good (groups and repeated branches count each). */
  readonly started: number;
  /** Calls that finished well. */
  readonly done: number;
  /** Calls that failed for good. */
  readonly failed: number;
  /** When the first call started (ms since the epoch). */
  readonly firstStartedAt?: number | undefined;
  /** When the last call finished (ms since the epoch). */
  readonly lastFinishedAt?: number | undefined;
  /** Latest progress report of a running call. */
  readonly progress?:
    | {
        /** Between 0 and 1. */
        readonly fraction: number;
        /** What the task is doing. */
        readonly message?: string | undefined;
      }
    | undefined;
  /** The last error of a failed call. */
  readonly error?: ErrorInfo | undefined;
  /** Retries so far. */
  readonly retries: number;
}

/**
 * A pipeline as the dashboard shows it: its summary, its shape, and the state
 * of each entry by uid.
 *
 * @example
 * ```ts
 * const view = await client.inspect('order-42');
 * if (view) console.log(toMermaid(view.shape, { status: view.entries }));
 * ```
 */
export interface PipelineView {
  /** Its summary. */
  readonly summary: PipelineSummary;
  /** Its picture (empty until its `pipelineCreated` event was seen). */
  readonly shape: PipelineShape;
  /** The state of each task entry by uid (a large group's left-out branches folded onto its first). */
  readonly entries: ReadonlyMap<number, EntryState>;
  /** Orchestrator children started by this pipeline's tasks, by the uid of the task that returned them. */
  readonly children: ReadonlyMap<number, readonly string[]>;
}

/**
 * Looking at pipelines: what `LocalRuntime` and `KafkaTasksClient` offer
 * besides running them.
 *
 * @example
 * ```ts
 * async function report(client: PipelineObserver) {
 *   for (const p of await client.list({ limit: 10 })) console.log(p.id, p.status);
 * }
 * ```
 */
export interface PipelineObserver {
  /** Recent pipelines, newest first. */
  list(options?: ListOptions): Promise<readonly PipelineSummary[]>;
  /** The live view of one pipeline, or `undefined` if no event about it was seen. */
  inspect(id: string): Promise<PipelineView | undefined>;
  /** The events of one pipeline (and its children) from now on, until it finishes or the iteration is ended. */
  watch(id: string): AsyncIterable<PipelineEvent>;
  /** Calls `listener` with every event; returns a function that unsubscribes. */
  onEvent(listener: (event: PipelineEvent) => void): () => void;
}
