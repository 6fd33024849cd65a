/**
 * TypeScript shapes of the messages in `types/flinktasks.proto`, as
 * protobufjs encodes and decodes them (camelCase field names, `bytes` as
 * `Uint8Array`, enums as numbers). Optional fields may be absent or `null`.
 *
 * @module
 */

/** A StateFun function address. */
export interface WireAddress {
  namespace: string;
  type: string;
  id: string;
}

/** A user value: superjson JSON bytes, a list of values, or an error in a list slot. */
export interface WireValue {
  json?: Uint8Array | null;
  list?: WireValueList | null;
  error?: WireTaskException | null;
}

/** A list of values (a group's result). */
export interface WireValueList {
  items: WireValue[];
}

/** Retry policy on the wire. */
export interface WireRetryPolicy {
  retryFor: string[];
  maxRetries: number;
  delayMs: number;
  exponentialBackOff: boolean;
  maxDelayMs: number;
}

/** A task entry of a pipeline. */
export interface WireTaskEntry {
  taskId: string;
  taskType: string;
  args: Uint8Array;
  isFinally: boolean;
  namespace: string;
  workerName: string;
  retryPolicy?: WireRetryPolicy | null;
  displayName?: string | null;
  uid: number;
  isExceptionally: boolean;
}

/** A group entry of a pipeline. */
export interface WireGroupEntry {
  uid: number;
  group: WirePipeline[];
  maxParallelism: number;
  returnExceptions: boolean;
  isUnordered: boolean;
  flatten: boolean;
}

/** One entry of a pipeline: a task or a group. */
export interface WirePipelineEntry {
  taskEntry?: WireTaskEntry | null;
  groupEntry?: WireGroupEntry | null;
}

/** A pipeline. */
export interface WirePipeline {
  entries: WirePipelineEntry[];
  inline: boolean;
  initialState?: Uint8Array | null;
}

/** A request to run a task, or (with `pipeline`) to run a pipeline. */
export interface WireTaskRequest {
  id: string;
  type: string;
  replyTopic?: string | null;
  replyAddress?: WireAddress | null;
  args: Uint8Array;
  state?: Uint8Array | null;
  retryPolicy?: WireRetryPolicy | null;
  meta: Record<string, string>;
  invocationId: string;
  uid: number;
  pipeline?: WirePipeline | null;
  input?: WireValue | null;
  inputError?: WireTaskException | null;
  branch: number;
  attempt: number;
  rootPipelineId: string;
  rootPipelineAddress?: WireAddress | null;
  pipelineAddress?: WireAddress | null;
  pipelineId: string;
  displayName: string;
  isChild: boolean;
}

/** A successful outcome of a task or pipeline. */
export interface WireTaskResult {
  id: string;
  type: string;
  result?: WireValue | null;
  state?: Uint8Array | null;
  invocationId: string;
  uid: number;
  isWait: boolean;
  branch: number;
  childPipelineId: string;
}

/** A failed outcome of a task or pipeline. */
export interface WireTaskException {
  id: string;
  type: string;
  exceptionType: string;
  exceptionMessage: string;
  stacktrace: string;
  state?: Uint8Array | null;
  maybeRetry: boolean;
  retryPolicy?: WireRetryPolicy | null;
  invocationId: string;
  uid: number;
  isWait: boolean;
  branch: number;
  errors: WireTaskException[];
  displayName: string;
}

/** Either outcome. */
export interface WireTaskResultOrException {
  taskResult?: WireTaskResult | null;
  taskException?: WireTaskException | null;
}

/** Actions on a pipeline (values of the `TaskAction` enum). */
export const TaskAction = {
  GET_STATUS: 0,
  GET_REQUEST: 1,
  GET_RESULT: 2,
  PAUSE_PIPELINE: 3,
  UNPAUSE_PIPELINE: 4,
  CANCEL_PIPELINE: 5,
} as const;
/** A value of {@link TaskAction}. */
export type TaskActionCode = (typeof TaskAction)[keyof typeof TaskAction];

/** Pipeline statuses (values of `TaskStatus.Status`). */
export const StatusCode = {
  PENDING: 0,
  RUNNING: 1,
  COMPLETED: 2,
  FAILED: 3,
  PAUSED: 4,
  CANCELLING: 5,
  CANCELLED: 6,
} as const;
/** A value of {@link StatusCode}. */
export type StatusCodeValue = (typeof StatusCode)[keyof typeof StatusCode];

/** An action request on a pipeline. */
export interface WireTaskActionRequest {
  id: string;
  replyTopic?: string | null;
  replyAddress?: WireAddress | null;
  action: number;
  uid: string;
}

/** The answer to an action. */
export interface WireTaskActionResult {
  id: string;
  action: number;
  result?: WireValue | null;
  uid: string;
  status?: { value: number } | null;
  request?: WirePipeline | null;
  outcome?: WireTaskResultOrException | null;
}

/** An action that could not be carried out. */
export interface WireTaskActionException {
  id: string;
  action: number;
  exceptionType: string;
  exceptionMessage: string;
  stacktrace: string;
  uid: string;
}

/** A task as shown in events. */
export interface WireTaskInfo {
  taskId: string;
  taskType: string;
  namespace: string;
  workerName: string;
  taskUid: number;
  displayName: string;
}

/** A pipeline tree as shown in events. */
export interface WirePipelineInfo {
  entries: Array<{ taskEntry?: WireTaskInfo | null; groupEntry?: { groupId: number; group: WirePipelineInfo[] } | null }>;
}

/** A pipeline event. */
export interface WireEvent {
  pipelineId: string;
  pipelineAddress: string;
  rootPipelineId: string;
  rootPipelineAddress: string;
  pipelineCreated?: { callerId: string; callerAddress: string; pipeline?: WirePipelineInfo | null } | null;
  pipelineStatusChanged?: { status?: { value: number } | null } | null;
  pipelineTasksSkipped?: { tasks: WireTaskInfo[] } | null;
}

/** A message held back while a pipeline is paused. */
export interface WireHeldMessage {
  target?: WireAddress | null;
  typename: string;
  payload: Uint8Array;
}

/** Immutable part of a pipeline function's state: the run being executed. */
export interface WirePipelineRecord {
  pipelineId: string;
  invocationId: string;
  run: number;
  pipeline?: WirePipeline | null;
  replyTopic?: string | null;
  replyAddress?: WireAddress | null;
  callerInvocationId: string;
  callerUid: number;
  callerBranch: number;
  isChild: boolean;
  rootPipelineId: string;
  rootPipelineAddress?: WireAddress | null;
  inline: boolean;
  parentState?: Uint8Array | null;
}

/** A finished branch of the running group. */
export interface WireBranchSlot {
  index: number;
  value?: WireValue | null;
  error?: WireTaskException | null;
  state?: Uint8Array | null;
}

/** Progress of the group at the current position. */
export interface WireGroupProgress {
  uid: number;
  dispatched: number;
  finished: number;
  slots: WireBranchSlot[];
  children: Record<number, string>;
}

/** Changing part of a pipeline function's state. */
export interface WirePipelineProgress {
  run: number;
  status: number;
  position: number;
  value?: WireValue | null;
  error?: WireTaskException | null;
  state?: Uint8Array | null;
  waitingUid: number;
  waiting: boolean;
  group?: WireGroupProgress | null;
  outcome?: WireTaskResultOrException | null;
  finallyRunning: boolean;
  pauseRequested: boolean;
  cancelRequested: boolean;
  childPipelineId: string;
  held: WireHeldMessage[];
  attempt: number;
}

/** Envelope of everything published on the replies egress. */
export interface WireReply {
  outcome?: WireTaskResultOrException | null;
  actionResult?: WireTaskActionResult | null;
  actionException?: WireTaskActionException | null;
}
