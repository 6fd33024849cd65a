/**
 * A task call bounded by its timeout and its cancellation.
 *
 * @module
 */
import type { Clock } from '../core/clock.js';
import { ErrorCode } from '../core/error-codes.js';
import { TaskError } from '../core/errors.js';
import type { CallControl } from './call-control.js';

/** How a task call ended, seen from the worker. */
export type CallEnd = 'done' | 'timeout' | 'aborted';

/**
 * Runs `call`, resolving `'done'` when it ends within `timeoutMs` (0: no
 * limit), `'timeout'` (the call is aborted) after it, or `'aborted'` when the
 * call is cancelled first. A call that throws in time rejects.
 */
export function within(clock: Clock, timeoutMs: number, control: CallControl, call: () => Promise<void>): Promise<CallEnd> {
  return new Promise<CallEnd>((resolve, reject) => {
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      if (timer) clock.clearTimeout(timer);
      control.onAbort(undefined);
      return true;
    };
    const onAbort = (): void => {
      if (settle()) resolve('aborted');
    };
    const timer =
      timeoutMs > 0
        ? clock.setTimeout(() => {
            if (!settle()) return;
            control.abort(new TaskError({ errorType: ErrorCode.TaskTimeout, message: `timed out after ${timeoutMs} ms` }));
            resolve('timeout');
          }, timeoutMs)
        : undefined;
    control.onAbort(onAbort);
    call().then(
      () => {
        if (settle()) resolve('done');
      },
      (err: unknown) => {
        if (settle()) reject(err);
      },
    );
  });
}
