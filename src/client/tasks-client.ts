/**
 * The client contract shared by the local runtime and the Kafka client.
 *
 * @module
 */
import type { PipelineStatus } from '../core/status.js';
import type { DeferredToken } from '../dsl/deferred.js';
import type { PipelineLike, ResultOf, RunnablePipeline } from '../dsl/types.js';
import type { PipelineNode } from '../ir/nodes.js';

/**
 * A pipeline, or the id it runs under.
 *
 * @example
 * ```ts
 * const p = multiply.send(3, 2);
 * void runtime.submit(p);
 * await runtime.status(p); // by the pipeline
 * await runtime.status(p.id); // or by the id it runs under
 * ```
 */
export type PipelineRef = PipelineLike<unknown> | string;

/**
 * The outcome of a finished pipeline, as {@link TasksClient.result} reports it.
 *
 * @example
 * ```ts
 * type A = ResultOfRef<Pipeline<number>>; // number
 * type B = ResultOfRef<string>; // unknown: an id says nothing about the result type
 * ```
 */
export type ResultOfRef<P> = P extends PipelineLike<infer T> ? T : unknown;

/**
 * Options of {@link TasksClient.submit}.
 *
 * @example
 * ```ts
 * await client.submit(nightlyReport.send().withId('report-2026-12-01'), { ifRunning: 'attach', delayMs: 60_000 });
 * ```
 */
export interface SubmitOptions {
  /**
   * When a pipeline is already running under the same id: `'reject'` (the
   * default) refuses with `PipelineAlreadyRunning`; `'attach'` waits for the
   * running one's outcome instead (a way to submit idempotently).
   */
  readonly ifRunning?: 'reject' | 'attach';
  /**
   * Start this many milliseconds from now: the pipeline is PENDING until
   * then, can be cancelled meanwhile, and the delay survives restarts (it is a
   * runtime delayed message, not a client timer).
   */
  readonly delayMs?: number;
}

/**
 * Options of {@link TasksClient.result}.
 *
 * @example
 * ```ts
 * const value = await client.result('order-42', { wait: true });
 * ```
 */
export interface ResultOptions {
  /** Wait for a pipeline that is still running (submitted by any process) instead of rejecting with `PipelineNotFinished`. */
  readonly wait?: boolean;
}

/**
 * What every client of flink-tasks offers, whichever runtime runs the
 * pipelines: the embedded `LocalRuntime` or Apache Flink through Kafka.
 *
 * @example
 * ```ts
 * async function run(client: TasksClient) {
 *   const avg: number = await client.submit(averageStdDev.send(['BT.L', 'BP.L']));
 * }
 * ```
 */
export interface TasksClient {
  /** Runs `pipeline` under its id; resolves with its result or rejects with a `TaskError`. */
  submit<P extends RunnablePipeline<unknown>>(pipeline: P, options?: SubmitOptions): Promise<ResultOf<P>>;
  /** The pipeline's status. */
  status(pipeline: PipelineRef): Promise<PipelineStatus>;
  /** The pipeline as it was submitted, as IR. */
  request(pipeline: PipelineRef): Promise<PipelineNode>;
  /** The result of a finished pipeline (rejects with its `TaskError` if it failed). */
  result<P extends PipelineRef>(pipeline: P, options?: ResultOptions): Promise<ResultOfRef<P>>;
  /** Holds back new dispatches until {@link TasksClient.unpause}. */
  pause(pipeline: PipelineRef): Promise<void>;
  /** Resumes a paused pipeline. */
  unpause(pipeline: PipelineRef): Promise<void>;
  /** Cancels a running or paused pipeline; `finallyDo` still runs. */
  cancel(pipeline: PipelineRef): Promise<void>;
  /** Completes a deferred task (from `ctx.defer()`) with `value`. */
  complete<T>(token: DeferredToken<T>, value: T): Promise<void>;
  /** Fails a deferred task with `error`. */
  fail<T>(token: DeferredToken<T>, error: Error): Promise<void>;
  /** Releases resources; pending calls reject. */
  close(): Promise<void>;
}
