/**
 * Size and time limits that keep every message within what Kafka and
 * StateFun accept. The defaults agree with the configuration this repository
 * ships (`flink/module.yaml`, `deploy/`): Kafka records up to 16 MiB, StateFun
 * payloads up to 64 MiB, batches of at most 100 messages, a 2-minute call
 * timeout. A deployment with other settings must set these to match.
 *
 * @module
 */

/**
 * Limits applied by the pipeline function and the workers.
 *
 * @example
 * ```ts
 * // a deployment whose Kafka keeps the default 1 MiB record limit:
 * const limits: Partial<Limits> = { maxReplyBytes: 1_000_000, maxResultBytes: 512 * 1024 };
 * await serve(tasks, { limits });
 * ```
 */
export interface Limits {
  /**
   * Largest encoded result (or returned state, message, egress record) of one
   * task call; larger ones fail the task with `MessageSizeExceeded`.
   */
  readonly maxResultBytes: number;
  /**
   * Largest value the pipeline function holds or passes on (a group's
   * combined result, the pipeline state, a child's outcome); larger ones fail
   * the step with `MessageSizeExceeded`.
   */
  readonly maxValueBytes: number;
  /**
   * Largest reply record a pipeline function writes to the replies topic
   * (Kafka's `max.request.size`/`max.message.bytes` minus headroom); a larger
   * outcome fails the pipeline with `MessageSizeExceeded`.
   */
  readonly maxReplyBytes: number;
  /**
   * Largest response a worker returns for one batch (below StateFun's
   * `payload_max_bytes`); results past it are computed again in a later batch.
   */
  readonly maxResponseBytes: number;
  /**
   * Longest a worker holds one StateFun call (below the transport's `call`
   * timeout). A task still running then goes on in the background if the
   * worker has a result sink (its outcome arrives later), and fails with
   * `TaskTimeout` otherwise.
   */
  readonly callBudgetMs: number;
  /**
   * Lease of a task running in the background: the worker renews it three
   * times per lease; when it lapses, the worker is presumed lost and the call
   * fails with `TaskTimeout` (and is retried by its policy).
   */
  readonly backgroundLeaseMs: number;
}

const MiB = 1024 * 1024;

/**
 * The default {@link Limits}.
 *
 * @example
 * ```ts
 * DEFAULT_LIMITS.maxResultBytes; // 1 MiB
 * ```
 */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxResultBytes: 1 * MiB,
  maxValueBytes: 16 * MiB,
  maxReplyBytes: 16 * MiB - 64 * 1024,
  maxResponseBytes: 32 * MiB,
  callBudgetMs: 60_000,
  backgroundLeaseMs: 60_000,
});

/**
 * Fills in defaults and checks every given limit is a positive whole number.
 *
 * @example
 * ```ts
 * resolveLimits({ maxResultBytes: 4096 }).maxValueBytes; // 16 MiB
 * ```
 */
export function resolveLimits(given: Partial<Limits> | undefined): Limits {
  const limits = { ...DEFAULT_LIMITS, ...given };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`flink-tasks: limits.${name} must be a positive whole number, got ${String(value)}`);
    }
  }
  return Object.freeze(limits);
}

/** Largest encoded HTTP request body `serve()` accepts by default (128 MiB): a batch of 100 results plus state. */
export const DEFAULT_MAX_REQUEST_BYTES = 128 * MiB;
