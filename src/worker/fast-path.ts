/**
 * The path without promises: a call of a plain task whose function returns a
 * plain value at once is answered right away, exactly as the general path
 * would answer it (see `TaskWorker.execute`).
 *
 * @module
 */
import type { Limits } from '../core/limits.js';
import { isPipeline } from '../dsl/builder.js';
import { deferredNonce } from '../dsl/deferred.js';
import type { TaskDescriptor } from '../dsl/descriptor.js';
import { isPausePipeline } from '../dsl/effects.js';
import type { Effects } from '../executor/effects.js';
import type { TaskRequest } from '../wire/generated/flinktasks.js';
import { toValueBytes } from '../wire/values.js';
import { callFields, replyTarget, sendResult } from './replies.js';
import { replyAddressOf } from './task-request.js';
import type { WorkerHooks } from './worker-hooks.js';

/** What a task's function did when `execute` called it before going on with promises. */
export type FirstCall = { readonly returned: unknown } | { readonly thrown: unknown };

/** Whether `value` looks like a promise (has a `then` method). */
export function isThenable(value: unknown): boolean {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Whether `d.fn` is a plain (not async, not generator) function, by function. */
const plainFunctions = new WeakMap<object, boolean>();

/**
 * Whether calls of `d` may take the path without promises: no worker hooks,
 * not bound withContext or withState, a plain function.
 */
export function isInlineable(d: TaskDescriptor, hooks: WorkerHooks): boolean {
  const h = hooks;
  if (d.withContext || d.withState || h.taskReceived || h.taskStarted || h.taskFinished || h.resultEmitted || h.taskRetry) return false;
  let plain = plainFunctions.get(d.fn);
  if (plain === undefined) {
    plain = Object.prototype.toString.call(d.fn) === '[object Function]';
    plainFunctions.set(d.fn, plain);
  }
  return plain;
}

/**
 * Answers a call whose function returned the plain value `returned`, as the
 * general path would; `false` (having done nothing) when it is anything else
 * (a pipeline, a pause, a deferral, a value that fails to serialise or is
 * too large): the general path then handles it. `map`: the map request the
 * call came in, whose results travel together.
 */
export function replyAtOnce(
  limits: Limits,
  request: TaskRequest,
  d: TaskDescriptor,
  returned: unknown,
  effects: Effects,
  map: TaskRequest | undefined,
): boolean {
  if (isPipeline(returned) || isPausePipeline(returned) || deferredNonce(returned) !== undefined) return false;
  const replyAddress = replyAddressOf(request);
  if (!replyAddress) {
    effects.log('warn', 'task finished but its request has no reply address', { task: d.name, id: request.id });
    return true;
  }
  let result: Uint8Array;
  try {
    result = toValueBytes(returned, `the result of task '${d.name}'`);
  } catch {
    return false;
  }
  if (result.byteLength > limits.maxResultBytes) return false;
  if (effects.debug) effects.log('debug', 'task succeeded', callFields(request));
  if (map && request.attempt === 0) {
    // Travels with the results of the other calls of its map request (state unchanged: left out).
    effects.sendMapResult({ target: replyTarget(replyAddress), request: map, branch: request.branch, value: result });
    return true;
  }
  sendResult(effects, replyAddress, request, { result, state: request.state });
  return true;
}
