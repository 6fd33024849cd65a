/**
 * The one table of error codes flink-tasks reports (as `TaskError.errorType`,
 * in action errors and in dead-letter records), with when each happens. A
 * task's own failures carry the thrown error's class name instead
 * (`RangeError`, `QuotaError` …). `docs/error-codes.md` is generated from it.
 *
 * @module
 */

/**
 * Every error code, with one sentence on when it happens.
 *
 * @example
 * ```ts
 * for (const [code, { when }] of Object.entries(ERROR_CODES)) console.log(`${code}: ${when}`);
 * ```
 */
export const ERROR_CODES = {
  // Pipelines and submissions
  PipelineAlreadyRunning: { when: 'a pipeline was submitted under the id of one that is still running or paused; the running one is untouched' },
  InvalidPipeline: { when: 'a submitted pipeline is malformed (e.g. built by hand from the IR: empty, or an entry after `finallyDo`)' },
  InvalidPipelineRequest: {
    when: 'a submission or action is malformed, or sets a field that only flink-tasks itself may set (a reply address, a parent, a run token …)',
  },
  InvalidReplyTopic: {
    when: 'a reply topic is not a valid Kafka topic name, or not one the deployment allows (`routes.replyTopics`); the request is dead-lettered',
  },
  UnknownFunction: {
    when: 'an entry names a worker function (namespace/type) that the deployment does not serve; the pipeline fails before anything is sent there',
  },
  PipelineCancelled: { when: 'the pipeline was cancelled (`TaskError.isCancellation(e)` is true)' },
  GroupFailed: {
    when: 'one or more branches of an `inParallel` group failed (without `returnExceptions`); `errors` lists each failed branch in declaration order',
  },
  PipelineInternalError: { when: 'the pipeline function failed internally; the pipeline is failed rather than retried forever (a bug: please report it)' },
  PipelineError: { when: 'a pipeline ended without an outcome (a bug: please report it)' },
  // Actions
  PipelineNotFound: { when: 'an action names a pipeline id that was never submitted, or whose state has expired' },
  PipelineNotFinished: { when: '`result` was asked of a pipeline that has not finished' },
  InvalidAction: {
    when: "an action does not fit the pipeline's status: `pause` when it is not running, `unpause` when it is not paused, `cancel` when it has finished",
  },
  // Tasks
  UnknownTask: { when: 'a worker was asked to run a task that its `FlinkTasks` does not bind (e.g. during a rolling update)' },
  TaskArgumentError: { when: 'a task was called with arguments that do not fit its parameters (an untyped caller); never retried' },
  TaskTimeout: { when: 'a task ran longer than its timeout, or longer than a worker may hold a StateFun call (`limits.callBudgetMs`)' },
  MessageSizeExceeded: {
    when: "a value (a task result, returned state, message, a group's combined result, a reply) is larger than the configured limit; never retried",
  },
  UnknownDestination: { when: 'a task sent a message or egress record to a function type or egress the deployment does not declare; never retried' },
  WorkerInternalError: { when: 'the worker failed internally while running a task (a bug: please report it)' },
  UnknownDeferral: {
    when: '`complete`/`fail` named a deferred task that is not waiting: the token is wrong, was used already, or its pipeline was cancelled or has finished; nothing changes',
  },
  // Records the pipeline function cannot process (dead letters)
  MissingKey: { when: 'a Kafka record on the requests topic has no key (the key is the pipeline id); it is dead-lettered' },
  MissingValue: { when: 'a Kafka record on the requests topic has a key but no value (a tombstone); it is dead-lettered' },
  KeyTooLong: { when: "a Kafka record's key is longer than the ingress allows (`maxKeyBytes`); it is dead-lettered" },
  UndecodableMessage: { when: "a message's bytes cannot be decoded; it is dead-lettered and never touches a running pipeline" },
  // Clients
  Timeout: { when: 'a client created with `timeoutMs` got no reply in time' },
  EmptyReply: { when: 'the runtime answered without an outcome (a bug: please report it)' },
} as const satisfies Readonly<Record<string, { readonly when: string }>>;

/**
 * One of the library's error codes (see {@link ErrorCode} and the error-codes guide).
 *
 * @example
 * ```ts
 * const retried: ErrorCodeName[] = [ErrorCode.TaskTimeout];
 * ```
 */
export type ErrorCodeName = keyof typeof ERROR_CODES;

/**
 * The type of {@link ErrorCode}: every code, as its own name.
 *
 * @example
 * ```ts
 * const codes: ErrorCodeTable = ErrorCode;
 * codes.TaskTimeout; // 'TaskTimeout'
 * ```
 */
export type ErrorCodeTable = { readonly [K in ErrorCodeName]: K };

/** `{ Code: 'Code', … }` for every code of the table. */
function namesOf(table: typeof ERROR_CODES): ErrorCodeTable {
  // Object.fromEntries cannot express that each value equals its key.
  return Object.freeze(Object.fromEntries(Object.keys(table).map((k) => [k, k]))) as ErrorCodeTable;
}

/**
 * The codes by name, to match on constants rather than string literals.
 *
 * @example
 * ```ts
 * try {
 *   await runtime.submit(pipeline);
 * } catch (e) {
 *   if (e instanceof TaskError && e.errorType === ErrorCode.PipelineCancelled) console.log('cancelled');
 * }
 * ```
 */
export const ErrorCode: ErrorCodeTable = namesOf(ERROR_CODES);

/**
 * Codes that say the arguments, sizes or destinations are wrong: retrying cannot help.
 *
 * @example
 * ```ts
 * NON_RETRYABLE_CODES.has(ErrorCode.TaskArgumentError); // true
 * ```
 */
export const NON_RETRYABLE_CODES: ReadonlySet<string> = new Set<ErrorCodeName>([
  ErrorCode.TaskArgumentError,
  ErrorCode.MessageSizeExceeded,
  ErrorCode.UnknownTask,
  ErrorCode.UnknownFunction,
  ErrorCode.UnknownDestination,
]);
