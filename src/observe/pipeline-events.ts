/**
 * Public, readable pipeline events (what `onEvent`, `watch` and the
 * dashboard see), mapped from the wire's protobuf events: status names, plain
 * numbers, no nullable wrappers.
 *
 * @module
 */
import type { PipelineShape } from '../ir/shape.js';
import type { PipelineStatus } from '../core/status.js';

/**
 * An error as events carry it.
 *
 * @example
 * ```ts
 * const info: ErrorInfo = { errorType: 'RangeError', message: 'too big', stack: 'RangeError: too big\n    at …', taskName: 'resize' };
 * ```
 */
export interface ErrorInfo {
  /** Error code or class name (see the error-code table). */
  readonly errorType: string;
  /** What went wrong. */
  readonly message: string;
  /** Stack trace, when there is one. */
  readonly stack?: string | undefined;
  /** The failing task, when a task failed. */
  readonly taskName?: string | undefined;
}

/**
 * Why a pipeline exists: submitted by a client, returned by an orchestrator
 * task, or started by the runtime for a group branch, a split group's part or
 * a segment of a long chain (those share their parent's entry uids).
 *
 * @example
 * ```ts
 * const shown: PipelineOrigin[] = ['submitted', 'orchestrator']; // pipelines a user would list
 * ```
 */
export type PipelineOrigin = 'submitted' | 'orchestrator' | 'branch';

/**
 * What every event says about where it comes from.
 *
 * @example
 * ```ts
 * const where = (e: PipelineEventBase) => `${e.rootPipelineId} › ${e.pipelineId} at ${new Date(e.time).toISOString()}`;
 * ```
 */
export interface PipelineEventBase {
  /** When the runtime published it (ms since the epoch). */
  readonly time: number;
  /** The pipeline it is about. */
  readonly pipelineId: string;
  /** The outermost pipeline (equal to `pipelineId` for a submitted pipeline). */
  readonly rootPipelineId: string;
  /** The pipeline that started this one, if it is a child. */
  readonly parentPipelineId?: string | undefined;
}

/**
 * A pipeline started. `shape` is its picture (large groups cut, see
 * `shapeOf`); `taskCount` counts its task entries (all branches included).
 *
 * @example
 * ```ts
 * runtime.onEvent((e) => { if (e.kind === 'pipelineCreated') console.log(e.pipelineId, e.origin, e.taskCount); });
 * ```
 */
export interface PipelineCreatedEvent extends PipelineEventBase {
  /** Event kind. */
  readonly kind: 'pipelineCreated';
  /** Why the pipeline exists. */
  readonly origin: PipelineOrigin;
  /** Its picture. */
  readonly shape: PipelineShape;
  /** Its task entries, every branch counted. */
  readonly taskCount: number;
}

/**
 * A pipeline's status changed; a FAILED or CANCELLED status carries the error.
 *
 * @example
 * ```ts
 * runtime.onEvent((e) => { if (e.kind === 'statusChanged' && e.status === 'FAILED') console.error(e.error?.message); });
 * ```
 */
export interface StatusChangedEvent extends PipelineEventBase {
  /** Event kind. */
  readonly kind: 'statusChanged';
  /** The new status. */
  readonly status: PipelineStatus;
  /** The error a FAILED or CANCELLED pipeline ended with. */
  readonly error?: ErrorInfo | undefined;
}

/**
 * What task events say about the task call.
 *
 * @example
 * ```ts
 * const label = (e: TaskEventBase) => `${e.displayName}#${e.uid}${e.branch === undefined ? '' : `[${e.branch}]`} attempt ${e.attempt}`;
 * ```
 */
export interface TaskEventBase extends PipelineEventBase {
  /** The task entry's uid in its pipeline's shape. */
  readonly uid: number;
  /** The branch of the pipeline's current group, for a single-task branch. */
  readonly branch?: number | undefined;
  /** Name the task was bound under. */
  readonly taskName: string;
  /** Name to show: the display name, or the task name. */
  readonly displayName: string;
  /** 0 for the first attempt. */
  readonly attempt: number;
}

/**
 * A task was dispatched to a worker.
 *
 * @example
 * ```ts
 * runtime.onEvent((e) => { if (e.kind === 'taskStarted') console.log('started', e.taskName, e.uid); });
 * ```
 */
export interface TaskStartedEvent extends TaskEventBase {
  /** Event kind. */
  readonly kind: 'taskStarted';
}

/**
 * A task call ended for good (after any retries).
 *
 * @example
 * ```ts
 * runtime.onEvent((e) => { if (e.kind === 'taskFinished' && e.outcome === 'failed') console.error(e.taskName, e.error?.message); });
 * ```
 */
export interface TaskFinishedEvent extends TaskEventBase {
  /** Event kind. */
  readonly kind: 'taskFinished';
  /** How it ended. */
  readonly outcome: 'succeeded' | 'failed';
  /** Why it failed. */
  readonly error?: ErrorInfo | undefined;
}

/**
 * A task attempt failed and will run again after `delayMs`.
 *
 * @example
 * ```ts
 * runtime.onEvent((e) => { if (e.kind === 'taskRetried') console.warn(`${e.taskName} retry in ${e.delayMs} ms: ${e.error.message}`); });
 * ```
 */
export interface TaskRetriedEvent extends TaskEventBase {
  /** Event kind. */
  readonly kind: 'taskRetried';
  /** How long until the next attempt. */
  readonly delayMs: number;
  /** Why this attempt failed. */
  readonly error: ErrorInfo;
}

/**
 * A running task reported progress (`ctx.progress`), throttled by the worker.
 *
 * @example
 * ```ts
 * runtime.onEvent((e) => { if (e.kind === 'taskProgress') console.log(`${Math.round(e.fraction * 100)}% ${e.message ?? ''}`); });
 * ```
 */
export interface TaskProgressEvent extends TaskEventBase {
  /** Event kind. */
  readonly kind: 'taskProgress';
  /** Between 0 and 1. */
  readonly fraction: number;
  /** What the task is doing. */
  readonly message?: string | undefined;
}

/**
 * Steps skipped because an earlier one failed (until an `exceptionally`).
 *
 * @example
 * ```ts
 * runtime.onEvent((e) => { if (e.kind === 'tasksSkipped') console.log('skipped uids', e.uids); });
 * ```
 */
export interface TasksSkippedEvent extends PipelineEventBase {
  /** Event kind. */
  readonly kind: 'tasksSkipped';
  /** The skipped task entries. */
  readonly uids: readonly number[];
}

/**
 * Any pipeline event.
 *
 * @example
 * ```ts
 * runtime.onEvent((e: PipelineEvent) => {
 *   switch (e.kind) {
 *     case 'statusChanged': console.log(e.pipelineId, e.status); break;
 *     case 'taskFinished': console.log(e.taskName, e.outcome); break;
 *     default:
 *   }
 * });
 * ```
 */
export type PipelineEvent =
  PipelineCreatedEvent | StatusChangedEvent | TaskStartedEvent | TaskFinishedEvent | TaskRetriedEvent | TaskProgressEvent | TasksSkippedEvent;
