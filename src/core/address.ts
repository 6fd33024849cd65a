/**
 * Function addresses, as tasks, the executor and the StateFun adapter see them.
 *
 * @module
 */

/**
 * A StateFun function address.
 *
 * @example
 * ```ts
 * const notify = tasks.bind({ name: 'notify', withContext: true }, (ctx: TaskContext, text: string) => {
 *   const inbox: FunctionAddress = { namespace: 'example', name: 'inbox', id: ctx.rootPipelineId };
 *   ctx.send(inbox, text);
 * });
 * ```
 */
export interface FunctionAddress {
  /** Function namespace, e.g. `example`. */
  readonly namespace: string;
  /** Function type name, e.g. `worker`. */
  readonly name: string;
  /** Function id (the key). */
  readonly id: string;
}
