/**
 * Branded compile-time errors: a parameter typed as `PipelineTypeError<…>`
 * makes the compiler report the sentence at the argument that is wrong,
 * together with the types involved.
 *
 * @module
 */

/**
 * A type that no value has, carrying a readable message and the types the
 * message is about. When a wiring is wrong, the offending parameter's type
 * becomes this, so the compiler says e.g.
 * `… is not assignable to parameter of type 'Task<[name: string], string> & PipelineTypeError<"continueWith: …", [previousResult: number, firstParameter: string]>'`.
 *
 * @example
 * ```ts
 * // @ts-expect-error — the message names the problem and both types
 * multiply.send(1, 2).continueWith(greet); // greet(name: string) cannot take a number
 * ```
 */
// `Types` is only shown, never compared: errors with the same message are one type.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface PipelineTypeError<Message extends string, Types extends readonly unknown[] = []> {
  /** The reason this wiring is rejected (the second type argument lists the types it is about). */
  readonly '⛔ flink-tasks': Message;
}
