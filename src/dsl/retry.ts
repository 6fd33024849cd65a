/**
 * Retry policies of tasks.
 *
 * @module
 */
import { PipelineError } from '../core/errors.js';
import { retryDelay } from '../core/retry-rules.js';
import { RetryPolicyNode } from '../ir/nodes.js';

/**
 * Options of a {@link RetryPolicy}.
 *
 * @example
 * ```ts
 * const options: RetryPolicyOptions = { retryFor: [TypeError, 'QuotaError'], maxRetries: 5, delayMs: 200, exponentialBackoff: true, maxDelayMs: 5_000 };
 * new RetryPolicy(options).delayFor(4); // 1600
 * ```
 */
export interface RetryPolicyOptions {
  /** Error classes (or their names) to retry; default: every error. */
  readonly retryFor?: readonly (string | (abstract new (...args: never[]) => Error))[];
  /** How many times to retry after the first failure; default 1. */
  readonly maxRetries?: number;
  /** Delay before the first retry, in milliseconds; default 0. */
  readonly delayMs?: number;
  /** Double the delay after each retry; default false. */
  readonly exponentialBackoff?: boolean;
  /** Upper bound of one delay in milliseconds; default none. */
  readonly maxDelayMs?: number;
}

/**
 * When and how often a failing task is run again. The first retry waits
 * `delayMs`, each later one twice the previous with `exponentialBackoff`,
 * capped at `maxDelayMs`. Delays use the runtime's delayed messages. Argument
 * errors are never retried.
 *
 * @example
 * ```ts
 * const fetchPage = tasks.bind(
 *   { name: 'fetchPage', retry: new RetryPolicy({ maxRetries: 3, delayMs: 100, exponentialBackoff: true }) },
 *   async (url: string) => (await fetch(url)).text(),
 * );
 * ```
 */
export class RetryPolicy {
  /** The IR form of this policy. */
  readonly node: RetryPolicyNode;

  constructor(options: RetryPolicyOptions = {}) {
    const maxRetries = options.maxRetries ?? 1;
    const delayMs = options.delayMs ?? 0;
    const maxDelayMs = options.maxDelayMs ?? 0;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw new PipelineError(`RetryPolicy: maxRetries must be a whole number >= 0, got ${maxRetries}`);
    }
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new PipelineError(`RetryPolicy: delayMs must be >= 0, got ${delayMs}`);
    if (!Number.isFinite(maxDelayMs) || maxDelayMs < 0) throw new PipelineError(`RetryPolicy: maxDelayMs must be >= 0, got ${maxDelayMs}`);
    this.node = RetryPolicyNode.create({
      retryFor: (options.retryFor ?? []).map((e) => (typeof e === 'string' ? e : e.name)),
      maxRetries,
      delayMs,
      exponentialBackoff: options.exponentialBackoff ?? false,
      maxDelayMs,
    });
  }

  /**
   * Delay before retry number `retry` (1 for the first retry).
   *
   * @example
   * ```ts
   * new RetryPolicy({ delayMs: 100, exponentialBackoff: true }).delayFor(3); // 400
   * ```
   */
  delayFor(retry: number): number {
    return retryDelay(this.node, retry);
  }
}
