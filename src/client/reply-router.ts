/**
 * Matching replies with the requests that caused them: submissions by their
 * request id (echoed as `invocationId`), actions by their `correlationId`.
 *
 * @module
 */
import { ErrorCode } from '../core/error-codes.js';
import { TaskError } from '../core/errors.js';
import type { Reply } from '../wire/generated/flinktasks.js';

interface Waiter {
  resolve(reply: Reply): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout | undefined;
}

/** The request id a reply answers. */
function correlationIdOf(reply: Reply): string {
  const r = reply.reply;
  switch (r?.$case) {
    case 'outcome': {
      const o = r.value.taskResultOrException;
      return o?.value.invocationId ?? '';
    }
    case 'actionResult':
    case 'actionException':
      return r.value.correlationId;
    default:
      return '';
  }
}

/**
 * Routes replies to the calls waiting for them.
 *
 * @example
 * ```ts
 * const router = new ReplyRouter();
 * const reply = router.expect(requestId, 60_000);
 * router.deliver(replyBytes); // resolves `reply` when it answers requestId
 * ```
 */
export class ReplyRouter {
  readonly #waiting = new Map<string, Waiter>();

  /** Promise of the reply to request `id`, rejected after `timeoutMs` if given. */
  expect(id: string, timeoutMs?: number): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (timeoutMs !== undefined && timeoutMs > 0) {
        waiter.timer = setTimeout(() => {
          this.#waiting.delete(id);
          reject(new TaskError({ errorType: ErrorCode.Timeout, message: `flink-tasks: no reply within ${timeoutMs} ms (request ${id})` }));
        }, timeoutMs);
      }
      this.#waiting.set(id, waiter);
    });
  }

  /** Routes one decoded reply. Returns false if nobody waits for it. */
  deliver(reply: Reply): boolean {
    const id = correlationIdOf(reply);
    const waiter = this.#waiting.get(id);
    if (!waiter) return false;
    this.#waiting.delete(id);
    if (waiter.timer) clearTimeout(waiter.timer);
    waiter.resolve(reply);
    return true;
  }

  /** Stops waiting for request `id` without settling its promise (its message could not be sent; the caller was told). */
  forget(id: string): void {
    const waiter = this.#waiting.get(id);
    if (!waiter) return;
    this.#waiting.delete(id);
    if (waiter.timer) clearTimeout(waiter.timer);
  }

  /** Rejects every pending request. */
  rejectAll(error: Error): void {
    for (const [id, waiter] of [...this.#waiting]) {
      this.forget(id);
      waiter.reject(error);
    }
  }
}
