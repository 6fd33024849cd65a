/**
 * Deferred completion: a task that hands out a token and is completed later,
 * from outside (an e-mail link, a webhook), by `client.complete(token, value)`.
 *
 * @module
 */

declare const valueType: unique symbol;

/**
 * The token of a deferred task whose result is `T`: a string to hand to the
 * outside world; `client.complete(token, value)` takes only a `T`.
 *
 * @example
 * ```ts
 * const token: DeferredToken<boolean> = deferred.token;
 * await client.complete(token, true);
 * ```
 */
export type DeferredToken<T> = string & {
  /** Type-level only (never set): the type of the value that completes the task. */
  readonly [valueType]?: (value: T) => void;
};

/**
 * What a task bound `withContext` returns to finish later: its result in the
 * pipeline is `T`, given by whoever completes its token.
 *
 * @example
 * ```ts
 * const approve = tasks.bind({ name: 'approve', withContext: true, timeoutMs: 86_400_000 }, (ctx: TaskContext, order: string) => {
 *   const deferred = ctx.defer<boolean>();
 *   sendApprovalMail(order, deferred.token);
 *   return deferred;
 * });
 * ```
 */
export interface Deferred<T> {
  /** Hand this to whoever will complete the task. */
  readonly token: DeferredToken<T>;
}

const deferreds = new WeakMap<object, string>();

/** A new deferred result with `token`, remembering its nonce (for the worker). */
export function makeDeferred<T>(token: string, nonce: string): Deferred<T> {
  const deferred: Deferred<T> = Object.freeze({ token: token });
  deferreds.set(deferred, nonce);
  return deferred;
}

/** The nonce of `value` if it is a deferred result made by `ctx.defer()`. */
export function deferredNonce(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? deferreds.get(value) : undefined;
}
