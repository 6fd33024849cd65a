/**
 * What a task bound `withContext` receives first.
 *
 * @module
 */
import type { FunctionAddress } from '../core/address.js';
import type { Logger } from '../core/log.js';
import type { Deferred } from './deferred.js';

/**
 * The context of one task call: who it is, which pipeline runs it, its
 * function-scoped state, and ways to send messages.
 *
 * @example
 * ```ts
 * const memo = tasks.bind({ name: 'memo', withContext: true, taskId: 'memo' }, (ctx: TaskContext, n: number) => {
 *   const seen = ctx.getState<number[]>() ?? [];
 *   ctx.setState([...seen, n]);
 *   return seen.length;
 * });
 * ```
 */
export interface TaskContext {
  /** Id of this task call (its function id unless the task has a fixed `taskId`). */
  readonly taskId: string;
  /** Name the task was bound under. */
  readonly taskName: string;
  /** Display name of this call, or the task name. */
  readonly displayName: string;
  /** Id of the pipeline that dispatched this call. */
  readonly pipelineId: string;
  /** Address of that pipeline's function. */
  readonly pipelineAddress: FunctionAddress;
  /** Id of the outermost pipeline. */
  readonly rootPipelineId: string;
  /** Address of the outermost pipeline's function. */
  readonly rootPipelineAddress: FunctionAddress;
  /** The function that sent the request (normally the pipeline function). */
  readonly caller: FunctionAddress | undefined;
  /** Which attempt this is: 0 first, 1 the first retry … */
  readonly attempt: number;
  /**
   * Aborted when this call times out (`timeoutMs`) or its pipeline (or an
   * ancestor) is cancelled: pass it on, e.g. `fetch(url, { signal: ctx.signal })`.
   * A task that ignores it is not waited for; its result is dropped.
   */
  readonly signal: TaskSignal;
  /** State kept at this task's function address (shared across calls with a fixed `taskId`). */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the type it stored: ctx.getState<Counter>()
  getState<S = unknown>(): S | undefined;
  /** Replaces the function-scoped state; `undefined` clears it. */
  setState(value: unknown): void;
  /**
   * Sends a message to another StateFun function (typename
   * `io.flinktasks/Value`, a superjson value).
   */
  send(target: FunctionAddress, value: unknown): void;
  /**
   * Publishes a record to a Kafka egress (e.g. `flinktasks/events`).
   */
  sendEgress(egress: string, topic: string, key: string, value: unknown): void;
  /**
   * Defers this call's result: return what this gives, and the task's result
   * in the pipeline is the value someone later passes to
   * `client.complete(deferred.token, value)` (or the error of
   * `client.fail(token, error)`). The task's `timeoutMs` bounds the wait.
   */
  defer<T>(): Deferred<T>;
  /**
   * Reports how far the call has got: `fraction` from 0 to 1, and what it is
   * doing. Published as a `taskProgress` event (the dashboard's progress bars,
   * `flink-tasks watch`), at most one every 500 ms per call: call it as often
   * as you like, the latest report of a burst goes out when its 500 ms are
   * up. Live while the task runs when the worker has a result sink (the
   * `LocalRuntime` always has); otherwise with the call's response. A
   * fraction that is not a number from 0 to 1 throws a `RangeError`;
   * messages longer than 500 characters are cut.
   *
   * @example
   * ```ts
   * const resize = tasks.bind({ name: 'resize', withContext: true }, async (ctx: TaskContext, images: string[]) => {
   *   for (const [i, image] of images.entries()) {
   *     ctx.progress(i / images.length, `resizing ${image}`);
   *     await resizeOne(image);
   *   }
   *   return images.length;
   * });
   * ```
   */
  progress(fraction: number, message?: string): void;
  /**
   * The worker's logger, with this call's ids added to every entry's fields
   * (`pipeline`, `rootPipeline`, `task`, `taskId`, `attempt`), so that a task's
   * lines can be found by pipeline. Entries go to the `logger` the worker was
   * given (`serve` or `LocalRuntime`), which filters by level.
   *
   * @example
   * ```ts
   * const charge = tasks.bind({ name: 'charge', withContext: true }, (ctx: TaskContext, order: string) => {
   *   ctx.log({ level: 'info', message: 'charging the card', fields: { order } });
   *   return true;
   * });
   * ```
   */
  readonly log: Logger;
}

/**
 * The part of `AbortSignal` a task relies on, for consumers whose type
 * libraries declare no `AbortSignal` (neither Node's types nor the DOM lib).
 *
 * @example
 * ```ts
 * const onAbort = (signal: AbortSignalLike) => signal.addEventListener('abort', () => console.log(signal.reason));
 * ```
 */
export interface AbortSignalLike {
  /** Whether the call was aborted. */
  readonly aborted: boolean;
  /** Why: a `TaskError` (`TaskTimeout`, or the cancellation). */
  readonly reason: unknown;
  /** Throws `reason` if aborted. */
  throwIfAborted(): void;
  /** Calls `listener` once the call is aborted. */
  addEventListener(type: 'abort', listener: () => void, options?: { readonly once?: boolean }): void;
  /** Removes a listener added with `addEventListener`. */
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * The type of {@link TaskContext.signal}: the global `AbortSignal` where the
 * consumer's type libraries declare one (so `fetch(url, { signal: ctx.signal })`
 * type-checks), else {@link AbortSignalLike}; a consumer needs neither
 * `@types/node` nor the DOM lib to compile against flink-tasks.
 *
 * @example
 * ```ts
 * const signal: TaskSignal = ctx.signal;
 * ```
 */
export type TaskSignal = typeof globalThis extends {
  /** The global `AbortSignal` class, where the consumer's libraries declare one (the DOM or `@types/node`). */
  readonly AbortSignal: {
    /** The type of its instances. */
    readonly prototype: infer S;
  };
}
  ? S
  : AbortSignalLike;
