/**
 * The rules of retrying a failed task, shared by the DSL (`RetryPolicy`),
 * the IR and the worker that applies them.
 *
 * @module
 */
import { NON_RETRYABLE_CODES } from './error-codes.js';

/**
 * When and how often a failing task runs again.
 *
 * @example
 * ```ts
 * const rules: RetryRules = { retryFor: ['RangeError'], maxRetries: 3, delayMs: 100, exponentialBackoff: true, maxDelayMs: 1_000 };
 * retryDelay(rules, 3); // 400
 * ```
 */
export interface RetryRules {
  /** Error class names to retry (a subclass of one counts); empty means every error. */
  readonly retryFor: readonly string[];
  /** Retries after the first failure. */
  readonly maxRetries: number;
  /** Delay before the first retry, in milliseconds. */
  readonly delayMs: number;
  /** Double the delay after each retry. */
  readonly exponentialBackoff: boolean;
  /** Upper bound of one delay; 0 means none. */
  readonly maxDelayMs: number;
}

/**
 * Delay before retry number `retry` (1 for the first) under `rules`, in whole
 * milliseconds: `delayMs`, doubled for each later retry with backoff, capped.
 *
 * @example
 * ```ts
 * retryDelay({ retryFor: [], maxRetries: 5, delayMs: 100, exponentialBackoff: true, maxDelayMs: 0 }, 1); // 100
 * ```
 */
export function retryDelay(rules: RetryRules, retry: number): number {
  const base = rules.exponentialBackoff ? rules.delayMs * 2 ** Math.max(0, retry - 1) : rules.delayMs;
  const capped = rules.maxDelayMs > 0 ? Math.min(base, rules.maxDelayMs) : base;
  return Math.max(0, Math.round(capped));
}

/**
 * Whether an error is retried under `rules`: never for argument, size and
 * routing errors; otherwise when `retryFor` is empty or names the error's
 * class or one of its ancestor classes (`errorTypes`, most specific first).
 *
 * @example
 * ```ts
 * isRetryable({ retryFor: ['RangeError'], maxRetries: 1, delayMs: 0, exponentialBackoff: false, maxDelayMs: 0 }, ['QuotaError', 'RangeError', 'Error']); // true
 * ```
 */
export function isRetryable(rules: RetryRules, errorTypes: readonly string[]): boolean {
  if (errorTypes.some((t) => NON_RETRYABLE_CODES.has(t))) return false;
  return rules.retryFor.length === 0 || errorTypes.some((t) => rules.retryFor.includes(t));
}
