/**
 * Effects a task can ask for along with its result.
 *
 * @module
 */

const pauseMarker: unique symbol = Symbol.for('flink-tasks.pausePipeline');

/**
 * A task result that also asks the pipeline to pause after this task.
 *
 * @example
 * ```ts
 * const review = tasks.bind('review', (doc: string): PausePipeline<string> => withPausePipeline(doc.trim()));
 * review.send(' draft '); // Pipeline<string>: yields the trimmed doc, then pauses
 * ```
 */
export interface PausePipeline<T> {
  /** Marks the effect. */
  readonly [pauseMarker]: true;
  /** The task's result. */
  readonly result: T;
}

/**
 * Returns `result` and pauses the pipeline after this task; `unpause`
 * resumes it.
 *
 * @example
 * ```ts
 * const review = tasks.bind('review', (doc: string) => withPausePipeline(doc.trim()));
 * ```
 */
export function withPausePipeline<T>(result: T): PausePipeline<T> {
  return Object.freeze({ [pauseMarker]: true as const, result });
}

/** Whether a task's return value is a {@link withPausePipeline} effect. */
export function isPausePipeline(value: unknown): value is PausePipeline<unknown> {
  return typeof value === 'object' && value !== null && Reflect.get(value, pauseMarker) === true;
}
