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
  usesContext: boolean;
}

/** A group entry of a pipeline. */
export interface WireGroupEntry {
  uid: number;
  group: WirePipeline[];
  maxParallelism: number;
  returnExceptions: boolean;
  isUnordered: boolean;
  flatten: boolean;
  continuation: boolean;
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
  /** Internal: sent by a finished pipeline to itself when its retention ends. */
  EXPIRE_PIPELINE: 6,
} as const;
/** A value of {@link TaskAction}. */
export type TaskActionCode = (typeof TaskAction)[keyof typeof TaskAction];

/**
 * Pipeline status codes (values of `TaskStatus.Status`), as events carry them.
 *
 * @example
 * ```ts
 * if (event.pipelineStatusChanged?.status?.value === StatusCode.COMPLETED) console.log('done');
 * ```
 */
export const StatusCode = {
  /** Submitted, not started. */
  PENDING: 0,
  /** Dispatching and running tasks. */
  RUNNING: 1,
  /** Finished with a result. */
  COMPLETED: 2,
  /** Finished with an error. */
  FAILED: 3,
  /** Holding back new dispatches. */
  PAUSED: 4,
  /** Cancelled; waiting for finallyDo. */
  CANCELLING: 5,
  /** Cancelled. */
  CANCELLED: 6,
} as const;
/** A value of {@link StatusCode}. */
export type StatusCodeValue = (typeof StatusCode)[keyof typeof StatusCode];

const STATUS_NAMES = Object.fromEntries(Object.entries(StatusCode).map(([k, v]) => [v, k])) as Record<number, keyof typeof StatusCode>;

/** The name of a status code (`RUNNING` …), or undefined for an unknown code. */
export function statusNameOf(code: number): keyof typeof StatusCode | undefined {
  return STATUS_NAMES[code];
}

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

/**
 * A task as shown in events.
 *
 * @example
 * ```ts
 * runtime.onEvent((e) => e.pipelineTasksSkipped?.tasks.forEach((t: WireTaskInfo) => console.log('skipped', t.taskType, t.taskUid, t.displayName)));
 * ```
 */
export interface WireTaskInfo {
  /** Fixed function id, if any. */
  taskId: string;
  /** Task name. */
  taskType: string;
  /** Worker namespace. */
  namespace: string;
  /** Worker function name. */
  workerName: string;
  /** Entry uid within its pipeline. */
  taskUid: number;
  /** Display name, if any. */
  displayName: string;
}

/**
 * A pipeline tree as shown in events.
 *
 * @example
 * ```ts
 * const countTasks = (p: WirePipelineInfo): number =>
 *   p.entries.reduce((n, x) => n + (x.taskEntry ? 1 : (x.groupEntry?.group ?? []).reduce((m, b) => m + countTasks(b), 0)), 0);
 * runtime.onEvent((e) => { if (e.pipelineCreated?.pipeline) console.log(e.pipelineId, countTasks(e.pipelineCreated.pipeline)); });
 * ```
 */
export interface WirePipelineInfo {
  /** Its entries: tasks and groups. */
  entries: WireEntryInfo[];
}

/**
 * One entry of a {@link WirePipelineInfo}.
 *
 * @example
 * ```ts
 * runtime.onEvent((e) => e.pipelineCreated?.pipeline?.entries.forEach((x: WireEntryInfo) =>
 *   console.log(x.taskEntry ? `task ${x.taskEntry.taskType}` : `group ${x.groupEntry?.groupId}`)));
 * ```
 */
export interface WireEntryInfo {
  /** Set for a task. */
  taskEntry?: WireTaskInfo | null;
  /** Set for a group. */
  groupEntry?: WireGroupInfo | null;
}

/**
 * A group as shown in events.
 *
 * @example
 * ```ts
 * runtime.onEvent((e) => {
 *   const groups: WireGroupInfo[] = (e.pipelineCreated?.pipeline?.entries ?? []).flatMap((x) => (x.groupEntry ? [x.groupEntry] : []));
 *   groups.forEach((g) => console.log(`group ${g.groupId}: ${g.group.length} branches`));
 * });
 * ```
 */
export interface WireGroupInfo {
  /** The group's uid. */
  groupId: number;
  /** Its branches. */
  group: WirePipelineInfo[];
}

/**
 * A pipeline event, as published on the events egress. Exactly one of
 * `pipelineCreated`, `pipelineStatusChanged`, `pipelineTasksSkipped` is set.
 *
 * @example
 * ```ts
 * runtime.onEvent((e: PipelineEvent) => {
 *   if (e.pipelineCreated) console.log(e.pipelineId, 'created');
 *   else if (e.pipelineStatusChanged) console.log(e.pipelineId, 'status', e.pipelineStatusChanged.status?.value);
 *   else if (e.pipelineTasksSkipped) console.log(e.pipelineId, 'skipped', e.pipelineTasksSkipped.tasks.length);
 * });
 * ```
 */
export interface WireEvent {
  /** The pipeline the event is about. */
  pipelineId: string;
  /** Its function address, `namespace/name/id`. */
  pipelineAddress: string;
  /** The outermost pipeline (itself, unless a child). */
  rootPipelineId: string;
  /** The outermost pipeline's function address. */
  rootPipelineAddress: string;
  /** The pipeline started. */
  pipelineCreated?: WirePipelineCreated | null;
  /** The pipeline's status changed. */
  pipelineStatusChanged?: WireStatusChanged | null;
  /** Tasks were skipped because of an error. */
  pipelineTasksSkipped?: WireTasksSkipped | null;
}

/**
 * Event: a pipeline started.
 *
 * @example
 * ```ts
 * runtime.onEvent((e) => {
 *   const created: WirePipelineCreated | null | undefined = e.pipelineCreated;
 *   if (created) console.log(e.pipelineId, 'started by', created.callerId || 'a client', created.callerAddress);
 * });
 * ```
 */
export interface WirePipelineCreated {
  /** Id of the pipeline that started it (empty for a client). */
  callerId: string;
  /** Address of what started it. */
  callerAddress: string;
  /** Its tree of tasks. */
  pipeline?: WirePipelineInfo | null;
}

/**
 * Event: a pipeline's status changed.
 *
 * @example
 * ```ts
 * runtime.onEvent((e) => {
 *   const changed: WireStatusChanged | null | undefined = e.pipelineStatusChanged;
 *   if (changed?.status?.value === StatusCode.FAILED) console.log(e.pipelineId, 'failed');
 * });
 * ```
 */
export interface WireStatusChanged {
  /** The new status (a {@link StatusCode} value). */
  status?: WireTaskStatus | null;
}

/**
 * A status on the wire.
 *
 * @example
 * ```ts
 * runtime.onEvent((e) => {
 *   const status: WireTaskStatus | null | undefined = e.pipelineStatusChanged?.status;
 *   if (status?.value === StatusCode.COMPLETED) console.log(e.pipelineId, 'completed');
 * });
 * ```
 */
export interface WireTaskStatus {
  /** The status code (a {@link StatusCode} value). */
  value: number;
}

/**
 * Event: tasks skipped after an error.
 *
 * @example
 * ```ts
 * runtime.onEvent((e) => {
 *   const skipped: WireTasksSkipped | null | undefined = e.pipelineTasksSkipped;
 *   if (skipped) console.log(e.pipelineId, 'skipped', skipped.tasks.map((t) => t.taskType));
 * });
 * ```
 */
export interface WireTasksSkipped {
  /** The skipped tasks. */
  tasks: WireTaskInfo[];
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
  childPipelineId: string;
  held: WireHeldMessage[];
}

/** A client's message to the pipeline function: a submission or an action. */
export interface WirePipelineCommand {
  submit?: WireTaskRequest | null;
  action?: WireTaskActionRequest | null;
}

/** Envelope of everything published on the replies egress. */
export interface WireReply {
  outcome?: WireTaskResultOrException | null;
  actionResult?: WireTaskActionResult | null;
  actionException?: WireTaskActionException | null;
}
