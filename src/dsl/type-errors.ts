/**
 * Branded compile-time errors: a parameter typed as `PipelineTypeError<…>`
 * makes the compiler report the sentence at the argument that is wrong.
 *
 * @module
 */

/**
 * A type that no value has, carrying a readable message. When a wiring is
 * wrong, the offending parameter's type becomes this, so the compiler says
 * e.g. `Property '⛔ flink-tasks' is missing … "continueWith: …"`.
 *
 * @example
 * ```ts
 * // @ts-expect-error — the message names the problem
 * multiply.send(1, 2).continueWith(greet); // greet(name: string) cannot take a number
 * ```
 */
export interface PipelineTypeError<Message extends string> {
  /** The reason this wiring is rejected. */
  readonly '⛔ flink-tasks': Message;
}
