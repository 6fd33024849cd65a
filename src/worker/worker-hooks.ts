/**
 * Worker hooks: what a worker tells observers about each task call.
 *
 * @module
 */
import type { TaskError } from '../core/errors.js';

/**
 * What a worker hook is told about a task call.
 *
 * @example
 * ```ts
 * const runtime = new LocalRuntime(tasks, {
 *   hooks: { taskStarted: (info: TaskEventInfo) => console.log(info.taskName, info.taskId, info.pipelineId, info.attempt) },
 * });
 * ```
 */
export interface TaskEventInfo {
  /** Id of this call. */
  readonly taskId: string;
  /** Name the task was bound under. */
  readonly taskName: string;
  /** Id of the pipeline that dispatched it. */
  readonly pipelineId: string;
  /** Attempt number: 0 first, 1 the first retry … */
  readonly attempt: number;
}

/**
 * How a task call ended, for {@link WorkerHooks.taskFinished}.
 *
 * @example
 * ```ts
 * const runtime = new LocalRuntime(tasks, {
 *   hooks: { taskFinished: (info: TaskFinishedInfo) => console.log(info.taskName, info.error?.errorType ?? 'ok', info.returnedPipeline) },
 * });
 * ```
 */
export interface TaskFinishedInfo extends TaskEventInfo {
  /** The result, if it succeeded (the child pipeline's id if it returned a pipeline). */
  readonly result?: unknown;
  /** The error, if it failed. */
  readonly error?: TaskError;
  /** Whether the task returned a pipeline (an orchestrator task). */
  readonly returnedPipeline: boolean;
}

/**
 * Hooks called by workers. They may be async; one that throws is logged and
 * does not fail the task.
 *
 * @example
 * ```ts
 * const runtime = new LocalRuntime(tasks, {
 *   hooks: { taskFinished: (t) => metrics.observe(t.taskName, t.error ? 'failed' : 'ok') },
 * });
 * ```
 */
export interface WorkerHooks {
  /** A task request reached the worker. */
  taskReceived?(info: TaskEventInfo): void | Promise<void>;
  /** The task is about to run. */
  taskStarted?(info: TaskEventInfo): void | Promise<void>;
  /** The task failed and will run again after `delayMs`. */
  taskRetry?(info: TaskRetryInfo): void | Promise<void>;
  /** The task ended (for good: not retried). */
  taskFinished?(info: TaskFinishedInfo): void | Promise<void>;
  /** The task's result or error is about to be sent back to its pipeline. */
  resultEmitted?(info: TaskEmittedInfo): void | Promise<void>;
}

/**
 * What {@link WorkerHooks.taskRetry} is told.
 *
 * @example
 * ```ts
 * const runtime = new LocalRuntime(tasks, {
 *   hooks: { taskRetry: (info: TaskRetryInfo) => console.log(`${info.taskName}: retry ${info.retryCount} in ${info.delayMs} ms (${info.error.message})`) },
 * });
 * ```
 */
export interface TaskRetryInfo extends TaskEventInfo {
  /** Why the attempt failed. */
  readonly error: TaskError;
  /** Which retry comes next: 1 for the first. */
  readonly retryCount: number;
  /** How long until it runs. */
  readonly delayMs: number;
}

/**
 * What {@link WorkerHooks.resultEmitted} is told.
 *
 * @example
 * ```ts
 * const runtime = new LocalRuntime(tasks, {
 *   hooks: { resultEmitted: (info: TaskEmittedInfo) => console.log(info.taskName, info.failed ? 'error' : 'result') },
 * });
 * ```
 */
export interface TaskEmittedInfo extends TaskEventInfo {
  /** Whether an error is being sent. */
  readonly failed: boolean;
}
