import { BinaryReader, BinaryWriter } from "../protobuf-runtime.js";
/**
 * Wire schema of flink-tasks.
 *
 * The message structure follows the Python `statefun-tasks` library's
 * messages.proto (TaskRequest, TaskResult, TaskException, Pipeline,
 * PipelineEntry, TaskEntry, GroupEntry, TaskRetryPolicy, TaskAction*,
 * TaskStatus, Event) so that its layout stays familiar. Deliberate
 * differences:
 * - values (arguments, results, pipeline state) are `Value`s holding
 *   superjson-encoded UTF-8 JSON, not pickled `google.protobuf.Any`;
 * - entry uids are small integers numbered in pre-order when a pipeline is
 *   lowered, which keeps state and messages compact;
 * - a task's input (the previous result, or the error for `exceptionally`)
 *   travels apart from its own extra arguments, so the orchestrator only moves
 *   bytes and never decodes user values.
 *
 * Names mean one thing each: `uid` is an entry's number in its pipeline;
 * `invocation_id` is the token of one run of a pipeline (its replies carry it
 * back); `correlation_id` is the id a client picks to match the reply to its
 * request or action; `task_name` is the name a task is bound under;
 * `pause_after` says the pipeline pauses after that entry or task. (Field
 * numbers never change: renaming a field keeps the wire as it is.)
 */
export declare const TaskAction: {
    readonly GET_STATUS: 0;
    readonly GET_REQUEST: 1;
    readonly GET_RESULT: 2;
    readonly PAUSE_PIPELINE: 3;
    readonly UNPAUSE_PIPELINE: 4;
    readonly CANCEL_PIPELINE: 5;
    /** EXPIRE_PIPELINE - Internal: a finished pipeline's state has outlived its retention. */
    readonly EXPIRE_PIPELINE: 6;
    /**
     * PUBLISH_OUTCOME - Internal: publish the outcome kept in state (a large outcome is published
     * in a second invocation, so that no response carries it twice).
     */
    readonly PUBLISH_OUTCOME: 7;
    /**
     * CHECK_PENDING - Internal: see whether a call that went on without a result (background,
     * deferred) has outlived its lease or deadline.
     */
    readonly CHECK_PENDING: 8;
    /** START_PIPELINE - Internal: a pipeline submitted with a start delay starts now. */
    readonly START_PIPELINE: 9;
    readonly UNRECOGNIZED: -1;
};
export type TaskAction = typeof TaskAction[keyof typeof TaskAction];
export declare namespace TaskAction {
    type GET_STATUS = typeof TaskAction.GET_STATUS;
    type GET_REQUEST = typeof TaskAction.GET_REQUEST;
    type GET_RESULT = typeof TaskAction.GET_RESULT;
    type PAUSE_PIPELINE = typeof TaskAction.PAUSE_PIPELINE;
    type UNPAUSE_PIPELINE = typeof TaskAction.UNPAUSE_PIPELINE;
    type CANCEL_PIPELINE = typeof TaskAction.CANCEL_PIPELINE;
    type EXPIRE_PIPELINE = typeof TaskAction.EXPIRE_PIPELINE;
    type PUBLISH_OUTCOME = typeof TaskAction.PUBLISH_OUTCOME;
    type CHECK_PENDING = typeof TaskAction.CHECK_PENDING;
    type START_PIPELINE = typeof TaskAction.START_PIPELINE;
    type UNRECOGNIZED = typeof TaskAction.UNRECOGNIZED;
}
export declare const PipelineOrigin: {
    /** SUBMITTED - Submitted by a client. */
    readonly SUBMITTED: 0;
    /** ORCHESTRATOR - Returned by an orchestrator task. */
    readonly ORCHESTRATOR: 1;
    /**
     * BRANCH - Started by the runtime for a group branch, a split group's part or a
     * chain segment; shares its parent's entry uids.
     */
    readonly BRANCH: 2;
    readonly UNRECOGNIZED: -1;
};
export type PipelineOrigin = typeof PipelineOrigin[keyof typeof PipelineOrigin];
export declare namespace PipelineOrigin {
    type SUBMITTED = typeof PipelineOrigin.SUBMITTED;
    type ORCHESTRATOR = typeof PipelineOrigin.ORCHESTRATOR;
    type BRANCH = typeof PipelineOrigin.BRANCH;
    type UNRECOGNIZED = typeof PipelineOrigin.UNRECOGNIZED;
}
export declare const BatchedKind: {
    readonly BATCHED_TASK_REQUEST: 0;
    readonly BATCHED_TASK_RESULT: 1;
    readonly BATCHED_TASK_EXCEPTION: 2;
    readonly BATCHED_MAP_RESULTS: 3;
    readonly UNRECOGNIZED: -1;
};
export type BatchedKind = typeof BatchedKind[keyof typeof BatchedKind];
export declare namespace BatchedKind {
    type BATCHED_TASK_REQUEST = typeof BatchedKind.BATCHED_TASK_REQUEST;
    type BATCHED_TASK_RESULT = typeof BatchedKind.BATCHED_TASK_RESULT;
    type BATCHED_TASK_EXCEPTION = typeof BatchedKind.BATCHED_TASK_EXCEPTION;
    type BATCHED_MAP_RESULTS = typeof BatchedKind.BATCHED_MAP_RESULTS;
    type UNRECOGNIZED = typeof BatchedKind.UNRECOGNIZED;
}
export interface Address {
    namespace: string;
    type: string;
    id: string;
}
/**
 * A user value: superjson-encoded JSON, a list of values (a group's result),
 * or an error standing in a list slot (returnExceptions).
 */
export interface Value {
    kind?: {
        $case: "json";
        value: Uint8Array;
    } | {
        $case: "list";
        value: ValueList;
    } | {
        $case: "error";
        value: TaskException;
    } | undefined;
}
export interface ValueList {
    items: Value[];
}
export interface TaskRetryPolicy {
    retryFor: string[];
    maxRetries: number;
    delayMs: number;
    exponentialBackOff: boolean;
    maxDelayMs: number;
}
export interface TaskEntry {
    /** Fixed worker function id (shared task state); empty: a fresh id per call. */
    taskId: string;
    /** The name the task was bound under. */
    taskName: string;
    /**
     * The task's own arguments (extra arguments for continuations), a
     * superjson-encoded array.
     */
    args: Uint8Array;
    isFinally: boolean;
    namespace: string;
    workerName: string;
    retryPolicy?: TaskRetryPolicy | undefined;
    displayName?: string | undefined;
    uid: number;
    isExceptionally: boolean;
    /**
     * The task reads or writes function-scoped state (bound withContext): it
     * gets an address of its own per call. Other tasks share a few
     * pipeline-scoped addresses so that the runtime batches them.
     */
    usesContext: boolean;
    /** Longest one call may run, in ms; 0: no limit. */
    timeoutMs: number;
    /** The pipeline pauses once this entry has finished. */
    pauseAfter: boolean;
}
export interface GroupEntry {
    uid: number;
    group: Pipeline[];
    maxParallelism: number;
    returnExceptions: boolean;
    isUnordered: boolean;
    /**
     * Set by automatic splitting: every branch yields a list and the group's
     * result is their concatenation.
     */
    flatten: boolean;
    /**
     * Set by automatic segmentation of long chains: the single branch receives
     * the current value (or the error being carried) as its input, and its
     * outcome passes through unchanged.
     */
    continuation: boolean;
    /** The pipeline pauses once this group has finished. */
    pauseAfter: boolean;
    /**
     * A compact group (a "map"): every branch is one call of the same task,
     * differing only in its arguments, as in the common fan-out
     * `inParallel(xs.map((x) => task.send(x)))`. Instead of `group`, branch i
     * calls `map_task` (its `args` empty) with uid `map_task.uid + i` and the
     * i-th tuple of `map_args`, which holds `map_count` argument tuples one
     * after another, each a varint length and its superjson bytes. Written
     * whenever a group's branches allow it, so a fan-out costs its arguments'
     * bytes plus one or two per branch, not a task entry per branch.
     */
    mapTask?: TaskEntry | undefined;
    mapArgs: Uint8Array;
    mapCount: number;
}
export interface PipelineEntry {
    entry?: {
        $case: "taskEntry";
        value: TaskEntry;
    } | {
        $case: "groupEntry";
        value: GroupEntry;
    } | undefined;
}
export interface Pipeline {
    entries: PipelineEntry[];
    /**
     * An inline pipeline starts with its parent's state and hands its final
     * state back.
     */
    inline: boolean;
    initialState?: Uint8Array | undefined;
}
/**
 * A request to run a task on a worker, or (with `pipeline` set) to run a
 * pipeline on the pipeline function.
 */
export interface TaskRequest {
    /** Pipeline requests: the pipeline id. Task requests: the task's entry id. */
    id: string;
    /** Task requests: the task name. */
    taskName: string;
    reply?: {
        $case: "replyTopic";
        value: string;
    } | {
        $case: "replyAddress";
        value: Address;
    } | undefined;
    /** Task requests: the task's own arguments (superjson array). */
    args: Uint8Array;
    /** The pipeline state the task runs with (superjson). */
    state?: Uint8Array | undefined;
    retryPolicy?: TaskRetryPolicy | undefined;
    meta: {
        [key: string]: string;
    };
    /** Identifies the run of the calling pipeline; replies echo it. */
    invocationId: string;
    uid: number;
    pipeline?: Pipeline | undefined;
    /** Task requests: the previous result (continuations), an encoded Value ... */
    input?: Uint8Array | undefined;
    /** ... or the error being handled (exceptionally). */
    inputError?: TaskException | undefined;
    /** The branch of the caller's group this request answers for. */
    branch: number;
    attempt: number;
    rootPipelineId: string;
    rootPipelineAddress?: Address | undefined;
    /** Task requests: the address of the pipeline that dispatched the task. */
    pipelineAddress?: Address | undefined;
    pipelineId: string;
    /** Task requests: name shown in events and errors. */
    displayName: string;
    /** Pipeline requests: run as a child of `reply_address`. */
    isChild: boolean;
    /**
     * Pipeline requests: a child started by the pipeline function itself for a
     * group branch (not by an orchestrator task).
     */
    isBranch: boolean;
    /** Task requests: longest the call may run, in ms; 0: no limit. */
    timeoutMs: number;
    /**
     * Pipeline requests: when one is already running under this id, wait for
     * its outcome instead of being refused.
     */
    attachIfRunning: boolean;
    /** Pipeline requests: start this many ms from now (PENDING until then). */
    startDelayMs: number;
    /**
     * Task requests for several branches of a compact group at once (a "map"
     * request): one call per entry of `map_branches`, each as if sent alone
     * with `branch` set to it, `uid` increased by it, `args` the matching
     * tuple of `map_args` (packed as in GroupEntry.map_args) and an `id` that
     * is this request's `id` followed by its uid. Empty: a request for one call.
     */
    mapBranches: number[];
    mapArgs: Uint8Array;
}
export interface TaskRequest_MetaEntry {
    key: string;
    value: string;
}
export interface TaskResult {
    id: string;
    taskName: string;
    /**
     * An encoded Value. Values stay encoded wherever the pipeline function
     * only moves them (it never decodes user values), so that a group's results
     * are copied as bytes, never rebuilt as objects. On the wire this is the
     * same as a `Value` field.
     */
    result?: Uint8Array | undefined;
    state?: Uint8Array | undefined;
    invocationId: string;
    uid: number;
    /** The task asked for the pipeline to pause after it. */
    pauseAfter: boolean;
    branch: number;
    /** The task returned a pipeline that now runs as a child with this id. */
    childPipelineId: string;
    /**
     * No result yet: the call goes on (in the background, or deferred); the
     * pipeline keeps waiting for this entry.
     */
    accepted: boolean;
    /**
     * Accepted in the background: the worker renews this lease with heartbeats;
     * if it lapses, the worker is presumed lost and the call fails (TaskTimeout).
     */
    leaseMs: number;
    /** Accepted as deferred: the nonce of the completion token. */
    deferNonce: string;
    /** The attempt this answers (0 for the first). */
    attempt: number;
}
export interface TaskException {
    id: string;
    taskName: string;
    exceptionType: string;
    exceptionMessage: string;
    stacktrace: string;
    state?: Uint8Array | undefined;
    maybeRetry: boolean;
    retryPolicy?: TaskRetryPolicy | undefined;
    invocationId: string;
    uid: number;
    pauseAfter: boolean;
    branch: number;
    /**
     * Aggregated group failures: one error per failed branch, in declaration
     * order, with the branch index in `branch`.
     */
    errors: TaskException[];
    displayName: string;
    /** Class names from the thrown error's class up to Error (retryFor matches any). */
    errorTypes: string[];
}
export interface TaskResultOrException {
    taskResultOrException?: {
        $case: "taskResult";
        value: TaskResult;
    } | {
        $case: "taskException";
        value: TaskException;
    } | undefined;
}
export interface TaskActionRequest {
    id: string;
    reply?: {
        $case: "replyTopic";
        value: string;
    } | {
        $case: "replyAddress";
        value: Address;
    } | undefined;
    action: TaskAction;
    correlationId: string;
    /** GET_RESULT of a pipeline still running: answer when it has finished. */
    wait: boolean;
}
export interface TaskActionResult {
    id: string;
    action: TaskAction;
    result?: Value | undefined;
    correlationId: string;
    status?: TaskStatus | undefined;
    request?: Pipeline | undefined;
    outcome?: TaskResultOrException | undefined;
}
export interface TaskActionException {
    id: string;
    action: TaskAction;
    exceptionType: string;
    exceptionMessage: string;
    stacktrace: string;
    correlationId: string;
}
export interface TaskStatus {
    value: TaskStatus_Status;
}
export declare const TaskStatus_Status: {
    readonly PENDING: 0;
    readonly RUNNING: 1;
    readonly COMPLETED: 2;
    readonly FAILED: 3;
    readonly PAUSED: 4;
    readonly CANCELLING: 5;
    readonly CANCELLED: 6;
    readonly UNRECOGNIZED: -1;
};
export type TaskStatus_Status = typeof TaskStatus_Status[keyof typeof TaskStatus_Status];
export declare namespace TaskStatus_Status {
    type PENDING = typeof TaskStatus_Status.PENDING;
    type RUNNING = typeof TaskStatus_Status.RUNNING;
    type COMPLETED = typeof TaskStatus_Status.COMPLETED;
    type FAILED = typeof TaskStatus_Status.FAILED;
    type PAUSED = typeof TaskStatus_Status.PAUSED;
    type CANCELLING = typeof TaskStatus_Status.CANCELLING;
    type CANCELLED = typeof TaskStatus_Status.CANCELLED;
    type UNRECOGNIZED = typeof TaskStatus_Status.UNRECOGNIZED;
}
/**
 * A task entry in the shape of a pipeline (events carry shapes, not
 * arguments).
 */
export interface TaskInfo {
    taskId: string;
    taskName: string;
    namespace: string;
    workerName: string;
    taskUid: number;
    displayName: string;
    isExceptionally: boolean;
    isFinally: boolean;
}
/**
 * A group in the shape of a pipeline: its first branches (at most 64) and
 * how many it has.
 */
export interface GroupInfo {
    groupId: number;
    group: PipelineInfo[];
    branchCount: number;
    isUnordered: boolean;
    returnExceptions: boolean;
    maxParallelism: number;
}
export interface EntryInfo {
    entry?: {
        $case: "taskEntry";
        value: TaskInfo;
    } | {
        $case: "groupEntry";
        value: GroupInfo;
    } | undefined;
}
/** The shape of a pipeline. */
export interface PipelineInfo {
    entries: EntryInfo[];
}
export interface PipelineCreated {
    callerId: string;
    callerAddress: string;
    pipeline?: PipelineInfo | undefined;
    origin: PipelineOrigin;
    /** Task entries of the pipeline, all branches included. */
    taskCount: number;
}
export interface PipelineStatusChanged {
    status?: TaskStatus | undefined;
    /** The error a FAILED or CANCELLED pipeline ended with. */
    error?: TaskException | undefined;
}
export interface PipelineTasksSkipped {
    tasks: TaskInfo[];
}
/** A task call started, ended, will be retried, or reported progress. */
export interface TaskEvent {
    uid: number;
    /** The branch of the pipeline's current group (a single-task branch). */
    branch?: number | undefined;
    taskName: string;
    displayName: string;
    attempt: number;
    /** Finished: the error, if it failed. Retried: why the attempt failed. */
    error?: TaskException | undefined;
    /** Retried: delay before the next attempt. */
    delayMs: number;
    /** Progress: between 0 and 1, and a message. */
    fraction: number;
    message: string;
}
export interface Event {
    pipelineId: string;
    pipelineAddress: string;
    rootPipelineId: string;
    rootPipelineAddress: string;
    /** The pipeline that started this one, if it is a child. */
    parentPipelineId: string;
    /** When the runtime published it (ms since the epoch). */
    time: number;
    event?: {
        $case: "pipelineCreated";
        value: PipelineCreated;
    } | {
        $case: "pipelineStatusChanged";
        value: PipelineStatusChanged;
    } | {
        $case: "pipelineTasksSkipped";
        value: PipelineTasksSkipped;
    } | {
        $case: "taskStarted";
        value: TaskEvent;
    } | {
        $case: "taskFinished";
        value: TaskEvent;
    } | {
        $case: "taskRetried";
        value: TaskEvent;
    } | {
        $case: "taskProgress";
        value: TaskEvent;
    } | undefined;
}
/**
 * Events of one root pipeline published together, in order, as one record
 * of the events topic (the events of one function call: a large group makes
 * two per task). A record of the events topic holds an Event or an
 * EventBatch; a reader tells them apart by the first field: no Event has a
 * field 100.
 */
export interface EventBatch {
    events: Event[];
}
export interface PipelineRecord {
    pipelineId: string;
    invocationId: string;
    run: number;
    pipeline?: Pipeline | undefined;
    reply?: {
        $case: "replyTopic";
        value: string;
    } | {
        $case: "replyAddress";
        value: Address;
    } | undefined;
    /** What a reply to the caller must echo. */
    callerInvocationId: string;
    callerUid: number;
    callerBranch: number;
    isChild: boolean;
    rootPipelineId: string;
    rootPipelineAddress?: Address | undefined;
    /**
     * An inline child hands its final state back; any other child hands back
     * `parent_state`, the state its parent had when it started.
     */
    inline: boolean;
    parentState?: Uint8Array | undefined;
    /** Id of the pipeline that started this one (children only). */
    parentPipelineId: string;
    /**
     * The trace context of the submission (`traceparent`, `tracestate`), copied
     * into every task request and child pipeline of this run.
     */
    meta: {
        [key: string]: string;
    };
}
export interface PipelineRecord_MetaEntry {
    key: string;
    value: string;
}
export interface BranchSlot {
    index: number;
    /** An encoded Value. */
    value?: Uint8Array | undefined;
    error?: TaskException | undefined;
    state?: Uint8Array | undefined;
}
export interface GroupProgress {
    uid: number;
    /** Branches dispatched so far (maxParallelism holds the rest back). */
    dispatched: number;
    finished: number;
    /**
     * Finished branches, in completion order: BranchSlot messages, each
     * written as a varint length and its bytes. Kept as bytes, so that a
     * result joins the state by appending its bytes, not by re-encoding the
     * branches that finished before it.
     */
    slots: Uint8Array;
    /** Finished branches as a bitmap (bit i of byte i / 8: branch i). */
    finishedBits: Uint8Array;
    /** Child pipelines started for branches, by branch index (for cascading). */
    children: {
        [key: number]: string;
    };
    /** Approximate encoded size of the finished branches' values. */
    valueBytes: number;
}
export interface GroupProgress_ChildrenEntry {
    key: number;
    value: string;
}
export interface PipelineProgress {
    run: number;
    status: TaskStatus_Status;
    /** Index of the current entry in the root chain. */
    position: number;
    /**
     * Input of the current entry: the previous result (an encoded Value) or
     * the error being carried towards an `exceptionally`.
     */
    value?: Uint8Array | undefined;
    error?: TaskException | undefined;
    state?: Uint8Array | undefined;
    /** Waiting for this task or group uid. */
    waitingUid: number;
    waiting: boolean;
    group?: GroupProgress | undefined;
    /** The outcome once the chain (before finallyDo) has ended. */
    outcome?: TaskResultOrException | undefined;
    finallyRunning: boolean;
    /** Child pipeline started by an orchestrator task at the current position. */
    childPipelineId: string;
    /** Messages held back while paused. */
    held: HeldMessage[];
    /** The outcome is still to be published to the caller (PUBLISH_OUTCOME). */
    replyPending: boolean;
    /**
     * Calls of the current entry that went on without a result: running in the
     * background (with a lease) or deferred (with a token nonce).
     */
    pending: PendingCall[];
    /** Others waiting for the outcome: submissions that attached, GET_RESULT with wait. */
    waiters: OutcomeWaiter[];
    /** With reply_pending: whether the caller has been answered already. */
    callerAnswered: boolean;
}
export interface OutcomeWaiter {
    replyTopic: string;
    /** A submission's request id, or an action's uid. */
    correlationId: string;
    /** true: answered as a GET_RESULT action; false: as a submission. */
    isAction: boolean;
}
export interface PendingCall {
    uid: number;
    branch: number;
    /** Whether `branch` is a branch of the current group (false: the chain step). */
    inGroup: boolean;
    attempt: number;
    /** Background: when the lease lapses (ms since the epoch), and its length. */
    leaseExpiresAt: number;
    leaseMs: number;
    /** Deferred: the token nonce. */
    deferNonce: string;
    /** When it times out (ms since the epoch; 0: never). */
    deadline: number;
    /** The worker address it runs at (where a retry goes). */
    worker?: Address | undefined;
}
/**
 * What clients send to the pipeline function through Kafka: submissions and
 * actions share one topic, so that Kafka keeps them in order per pipeline
 * (an action sent right after a submission must not overtake it).
 */
export interface PipelineCommand {
    command?: {
        $case: "submit";
        value: TaskRequest;
    } | {
        $case: "action";
        value: TaskActionRequest;
    } | //
    /** From workers, through the requests topic: a background call ended ... */
    {
        $case: "completion";
        value: TaskCompletion;
    } | //
    /** ... or is still running. */
    {
        $case: "heartbeat";
        value: TaskHeartbeat;
    } | //
    /** From clients: complete or fail a deferred task by its token. */
    {
        $case: "complete";
        value: DeferredCompletion;
    } | //
    /** From clients: a part of a submission too large for one record. */
    {
        $case: "submitPart";
        value: SubmissionPart;
    } | undefined;
}
/**
 * A submission sent in parts, so that no Kafka record grows with the
 * pipeline: the encoded TaskRequest (the `submit` a single record would
 * carry) cut into `count` pieces, sent in order under the pipeline's id, so
 * that Kafka delivers them in order. The pipeline function keeps them
 * (state `upload`) until the last has arrived, then handles the submission
 * as if it had come whole.
 */
export interface SubmissionPart {
    /** The submission's request id (its TaskRequest's invocation_id). */
    requestId: string;
    index: number;
    count: number;
    bytes: Uint8Array;
    /** Where to answer if the parts cannot be put together. */
    replyTopic: string;
}
/** The parts of a submission received so far (state of the pipeline function). */
export interface SubmissionUpload {
    requestId: string;
    count: number;
    received: number;
    /** The parts received, in order, one after another. */
    bytes: Uint8Array;
    replyTopic: string;
}
/**
 * Something the worker would have done in its call, done by the pipeline
 * function when a background call ends: a message, a delayed message or an
 * egress record.
 */
export interface ForwardedEffect {
    effect?: {
        $case: "message";
        value: HeldMessage;
    } | {
        $case: "delayed";
        value: DelayedForward;
    } | {
        $case: "egress";
        value: EgressForward;
    } | undefined;
}
export interface DelayedForward {
    message?: HeldMessage | undefined;
    delayMs: number;
}
export interface EgressForward {
    egress: string;
    topic: string;
    key: string;
    value: Uint8Array;
}
/**
 * A call that went to the background has ended. Accepted only with the run
 * token of the run that dispatched it.
 */
export interface TaskCompletion {
    invocationId: string;
    uid: number;
    branch: number;
    attempt: number;
    /**
     * Its outcome (absent when the call is retried: a delayed message is among
     * the effects).
     */
    outcome?: TaskResultOrException | undefined;
    effects: ForwardedEffect[];
    /**
     * The worker address the call ran at, and the task state it left there (if
     * it wrote any).
     */
    worker?: Address | undefined;
    taskState?: Uint8Array | undefined;
    taskStateWritten: boolean;
}
/** A call running in the background is alive (and may report progress). */
export interface TaskHeartbeat {
    invocationId: string;
    uid: number;
    branch: number;
    attempt: number;
    fraction: number;
    message: string;
    hasProgress: boolean;
}
/** A client completes (or fails) a deferred task. Answered like an action. */
export interface DeferredCompletion {
    nonce: string;
    value?: Value | undefined;
    error?: TaskException | undefined;
    reply?: {
        $case: "replyTopic";
        value: string;
    } | {
        $case: "replyAddress";
        value: Address;
    } | undefined;
    correlationId: string;
}
/**
 * Sent by a pipeline function to a worker address: the task state a call
 * that ran in the background left there.
 */
export interface TaskStateWrite {
    taskState?: Uint8Array | undefined;
}
/**
 * What the pipeline function publishes on the replies egress: Kafka records
 * carry no typename, so every reply is wrapped.
 */
export interface Reply {
    reply?: {
        $case: "outcome";
        value: TaskResultOrException;
    } | {
        $case: "actionResult";
        value: TaskActionResult;
    } | {
        $case: "actionException";
        value: TaskActionException;
    } | undefined;
}
export interface HeldMessage {
    target?: Address | undefined;
    typename: string;
    payload: Uint8Array;
}
/**
 * A Kafka record that the flink-tasks ingress (`io.flinktasks.kafka.v1/ingress`)
 * could not route as a command: it arrives at the pipeline function under the
 * reserved id `flinktasks.invalid-records` with typename
 * `io.flinktasks/InvalidRecord`, never failing the job.
 */
export interface InvalidRecord {
    /** Why it could not be routed: `MissingKey`, `MissingValue` or `KeyTooLong`. */
    reason: string;
    topic: string;
    partition: number;
    offset: number;
    /** The record key (at most the ingress's maxKeyBytes), if it had one. */
    key: Uint8Array;
    /** The record value, if it had one. */
    value: Uint8Array;
    /** The record timestamp (ms since the epoch). */
    timestamp: number;
}
/**
 * What the pipeline function publishes on the dead-letter egress for a
 * message it had to drop and could not answer (key: the target function id).
 */
export interface DeadLetter {
    /** An error code from the error-code table, e.g. `UndecodableCommand`. */
    reason: string;
    /** What was wrong, as a sentence. */
    message: string;
    /** Typename of the dropped message. */
    typename: string;
    /** The dropped message's bytes. */
    payload: Uint8Array;
    /** Function id (pipeline id) the message was addressed to. */
    targetId: string;
    /** Set when the message came from the flink-tasks ingress as an invalid record. */
    record?: InvalidRecord | undefined;
}
/**
 * Several messages for one function address, in the order they were sent,
 * carried as one StateFun message (typename `io.flinktasks/MessageBatch`).
 * The receiving function handles them exactly as if StateFun had delivered
 * them one after another in one batch. The pipeline function sends the task
 * requests of one batch to each worker address this way, and a worker the
 * results of one batch to each pipeline, so that a fan-out costs StateFun one
 * message per address and batch instead of one per task. A batch of one is
 * sent as the message itself.
 */
export interface MessageBatch {
    messages: BatchedMessage[];
}
export interface BatchedMessage {
    kind: BatchedKind;
    /** The message's bytes (a TaskRequest, TaskResult or TaskException). */
    payload: Uint8Array;
}
/**
 * The plain results of calls of one map request (TaskRequest.map_branches),
 * sent together by the worker that ran them (typename
 * `io.flinktasks/MapResults`): each stands for exactly the TaskResult its
 * call would have sent alone, { id: id + uid, task_name, invocation_id, uid:
 * uid + branch, branch, result: its value, attempt: 0 }, with the state the
 * call received left out (unchanged). Calls that end in any other way (an
 * error, a pipeline, a pause, a deferral, a task bound withState or
 * withContext) send their own messages.
 */
export interface MapResults {
    invocationId: string;
    /** The uid of branch 0 (as in the map request). */
    uid: number;
    branches: number[];
    /** The branches' results, encoded Values, packed as GroupEntry.map_args. */
    values: Uint8Array;
    /** The map request's id (each call's id is it followed by the call's uid) and task. */
    id: string;
    taskName: string;
}
/**
 * Sent by a cancelled pipeline to the worker functions it has tasks running
 * on (at the reserved id `flinktasks.cancel`, so that it is not queued behind
 * a busy address): abort the calls of this run.
 */
export interface TaskCancel {
    invocationId: string;
    reason: string;
    /**
     * A call of this entry is not aborted: the pipeline's finallyDo, which the
     * cancellation dispatches at the same time (StateFun may deliver its request
     * to the worker before this message).
     */
    spareUid?: number | undefined;
}
export declare const Address: MessageFns<Address>;
export declare const Value: MessageFns<Value>;
export declare const ValueList: MessageFns<ValueList>;
export declare const TaskRetryPolicy: MessageFns<TaskRetryPolicy>;
export declare const TaskEntry: MessageFns<TaskEntry>;
export declare const GroupEntry: MessageFns<GroupEntry>;
export declare const PipelineEntry: MessageFns<PipelineEntry>;
export declare const Pipeline: MessageFns<Pipeline>;
export declare const TaskRequest: MessageFns<TaskRequest>;
export declare const TaskRequest_MetaEntry: MessageFns<TaskRequest_MetaEntry>;
export declare const TaskResult: MessageFns<TaskResult>;
export declare const TaskException: MessageFns<TaskException>;
export declare const TaskResultOrException: MessageFns<TaskResultOrException>;
export declare const TaskActionRequest: MessageFns<TaskActionRequest>;
export declare const TaskActionResult: MessageFns<TaskActionResult>;
export declare const TaskActionException: MessageFns<TaskActionException>;
export declare const TaskStatus: MessageFns<TaskStatus>;
export declare const TaskInfo: MessageFns<TaskInfo>;
export declare const GroupInfo: MessageFns<GroupInfo>;
export declare const EntryInfo: MessageFns<EntryInfo>;
export declare const PipelineInfo: MessageFns<PipelineInfo>;
export declare const PipelineCreated: MessageFns<PipelineCreated>;
export declare const PipelineStatusChanged: MessageFns<PipelineStatusChanged>;
export declare const PipelineTasksSkipped: MessageFns<PipelineTasksSkipped>;
export declare const TaskEvent: MessageFns<TaskEvent>;
export declare const Event: MessageFns<Event>;
export declare const EventBatch: MessageFns<EventBatch>;
export declare const PipelineRecord: MessageFns<PipelineRecord>;
export declare const PipelineRecord_MetaEntry: MessageFns<PipelineRecord_MetaEntry>;
export declare const BranchSlot: MessageFns<BranchSlot>;
export declare const GroupProgress: MessageFns<GroupProgress>;
export declare const GroupProgress_ChildrenEntry: MessageFns<GroupProgress_ChildrenEntry>;
export declare const PipelineProgress: MessageFns<PipelineProgress>;
export declare const OutcomeWaiter: MessageFns<OutcomeWaiter>;
export declare const PendingCall: MessageFns<PendingCall>;
export declare const PipelineCommand: MessageFns<PipelineCommand>;
export declare const SubmissionPart: MessageFns<SubmissionPart>;
export declare const SubmissionUpload: MessageFns<SubmissionUpload>;
export declare const ForwardedEffect: MessageFns<ForwardedEffect>;
export declare const DelayedForward: MessageFns<DelayedForward>;
export declare const EgressForward: MessageFns<EgressForward>;
export declare const TaskCompletion: MessageFns<TaskCompletion>;
export declare const TaskHeartbeat: MessageFns<TaskHeartbeat>;
export declare const DeferredCompletion: MessageFns<DeferredCompletion>;
export declare const TaskStateWrite: MessageFns<TaskStateWrite>;
export declare const Reply: MessageFns<Reply>;
export declare const HeldMessage: MessageFns<HeldMessage>;
export declare const InvalidRecord: MessageFns<InvalidRecord>;
export declare const DeadLetter: MessageFns<DeadLetter>;
export declare const MessageBatch: MessageFns<MessageBatch>;
export declare const BatchedMessage: MessageFns<BatchedMessage>;
export declare const MapResults: MessageFns<MapResults>;
export declare const TaskCancel: MessageFns<TaskCancel>;
type Builtin = Date | Function | Uint8Array | string | number | boolean | undefined;
type DeepPartial<T> = T extends Builtin ? T : T extends globalThis.Array<infer U> ? globalThis.Array<DeepPartial<U>> : T extends ReadonlyArray<infer U> ? ReadonlyArray<DeepPartial<U>> : T extends {
    $case: string;
    value: unknown;
} ? {
    $case: T["$case"];
    value?: DeepPartial<T["value"]>;
} : T extends {} ? {
    [K in keyof T]?: DeepPartial<T[K]>;
} : Partial<T>;
interface MessageFns<T> {
    encode(message: T, writer?: BinaryWriter): BinaryWriter;
    decode(input: BinaryReader | Uint8Array, length?: number): T;
    create(base?: DeepPartial<T>): T;
    fromPartial(object: DeepPartial<T>): T;
}
export {};
