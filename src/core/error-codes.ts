/**
 * The one table of error codes flink-tasks reports (as `TaskError.errorType`,
 * in action errors and in dead-letter records). A task's own failures carry
 * the thrown error's class name instead (`RangeError`, `QuotaError` …).
 *
 * @module
 */

/**
 * Every error code, with when it happens. Match on these constants rather
 * than on string literals.
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
export const ErrorCode = {
  // Pipelines and submissions
  /** A pipeline with this id is still running; wait for it or cancel it before submitting again. */
  PipelineAlreadyRunning: 'PipelineAlreadyRunning',
  /** The submitted pipeline is not valid (empty, or an entry after `finallyDo` …). */
  InvalidPipeline: 'InvalidPipeline',
  /** A submission or action is malformed, or sets a field only flink-tasks itself may set. */
  InvalidPipelineRequest: 'InvalidPipelineRequest',
  /** A reply topic is not a valid Kafka topic name, or not one the deployment allows. */
  InvalidReplyTopic: 'InvalidReplyTopic',
  /** An entry names a worker function (namespace/type) the deployment does not serve. */
  UnknownFunction: 'UnknownFunction',
  /** The pipeline was cancelled. */
  PipelineCancelled: 'PipelineCancelled',
  /** One or more branches of a group failed; `errors` lists them. */
  GroupFailed: 'GroupFailed',
  /** flink-tasks failed internally while running this pipeline (a bug: please report it). */
  PipelineInternalError: 'PipelineInternalError',
  /** The pipeline ended without an outcome (a bug: please report it). */
  PipelineError: 'PipelineError',
  // Actions
  /** No pipeline with this id has been submitted (or its state has expired). */
  PipelineNotFound: 'PipelineNotFound',
  /** GET_RESULT on a pipeline that is still running. */
  PipelineNotFinished: 'PipelineNotFinished',
  /** The action does not apply in the pipeline's status (e.g. unpause a RUNNING pipeline). */
  InvalidAction: 'InvalidAction',
  // Tasks
  /** No task of that name is bound on the worker that received the call. */
  UnknownTask: 'UnknownTask',
  /** The arguments do not fit the task (wrong count, undecodable); never retried. */
  TaskArgumentError: 'TaskArgumentError',
  /** The task ran longer than its timeout, or than the worker may hold a call. */
  TaskTimeout: 'TaskTimeout',
  /** A value (task result, state, message, reply) is larger than the configured limit. */
  MessageSizeExceeded: 'MessageSizeExceeded',
  /** A task sent a message or egress record to a destination the deployment does not serve. */
  UnknownDestination: 'UnknownDestination',
  /** The worker failed internally while running a task (a bug: please report it). */
  WorkerInternalError: 'WorkerInternalError',
  // Records that cannot be processed (dead letters)
  /** A Kafka record without a key (the key is the pipeline id). */
  MissingKey: 'MissingKey',
  /** A Kafka record with a key but no value (a tombstone). */
  MissingValue: 'MissingValue',
  /** A Kafka record whose key is longer than the ingress allows. */
  KeyTooLong: 'KeyTooLong',
  /** A message whose bytes cannot be decoded. */
  UndecodableMessage: 'UndecodableMessage',
  // Clients
  /** No reply arrived within the client's `timeoutMs`. */
  Timeout: 'Timeout',
  /** The runtime replied without the expected content (a bug: please report it). */
  EmptyReply: 'EmptyReply',
} as const;

/**
 * One of the codes in {@link ErrorCode}.
 *
 * @example
 * ```ts
 * const retried: ErrorCodeName[] = [ErrorCode.TaskTimeout];
 * ```
 */
export type ErrorCodeName = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Codes that say the arguments or the request are wrong: retrying cannot help.
 *
 * @example
 * ```ts
 * NON_RETRYABLE_CODES.has(ErrorCode.TaskArgumentError); // true
 * ```
 */
export const NON_RETRYABLE_CODES: ReadonlySet<string> = new Set([
  ErrorCode.TaskArgumentError,
  ErrorCode.MessageSizeExceeded,
  ErrorCode.UnknownTask,
  ErrorCode.UnknownFunction,
  ErrorCode.UnknownDestination,
]);
