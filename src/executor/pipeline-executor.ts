/**
 * The pipeline function as a pure state machine: (state, message) → (new
 * state, messages, delayed messages, egress records). It knows nothing of
 * HTTP, Kafka or the StateFun SDK, reads no clock, and never throws: every
 * failure becomes a reply or a log line.
 *
 * @module
 */
import type { FunctionAddress } from '../dsl/context.js';
import { CANCELLED_ERROR_TYPE } from '../errors.js';
import type { GroupEntryNode, PipelineNode, TaskEntryNode } from '../ir/nodes.js';
import { segmentLongChains } from '../ir/segment.js';
import { splitLargeGroups } from '../ir/split.js';
import { validatePipeline } from '../ir/validate.js';
import { codecs, Typenames } from '../wire/codec.js';
import {
  StatusCode,
  statusNameOf,
  TaskAction,
  type StatusCodeValue,
  type WireAddress,
  type WireBranchSlot,
  type WireHeldMessage,
  type WirePipelineProgress,
  type WirePipelineRecord,
  type WireTaskActionRequest,
  type WireTaskException,
  type WireTaskRequest,
  type WireTaskResult,
  type WireValue,
} from '../wire/messages.js';
import { fromWireAddress, toWireAddress } from '../wire/address.js';
import { pipelineFromWire, pipelineToWire, retryToWire } from '../wire/pipeline.js';
import { Effects, type IncomingMessage, type PipelineSession } from './effects.js';
import { groupOutcome, mergeBranchStates } from './group-outcome.js';
import { encodeJson } from '../wire/values.js';
import { eventsFor, type EventsConfig } from './events.js';

/** Configuration of the pipeline function. */
export interface ExecutorConfig {
  /** Largest number of branches one pipeline key aggregates. */
  readonly groupSplitThreshold: number;
  /** Largest number of chain entries one pipeline key holds; default 512. */
  readonly chainSegmentLength?: number;
  /**
   * How long a finished top-level pipeline keeps its state for status,
   * result and request queries, in ms; default one hour; 0 keeps it until
   * resubmitted. Child pipelines drop their state as soon as they finish.
   */
  readonly finishedRetentionMs?: number;
  /** Egress typename for replies to Kafka clients, e.g. `flinktasks/replies`. */
  readonly repliesEgress: string;
  /** Where pipeline events go, if anywhere. */
  readonly events?: EventsConfig | undefined;
}

/**
 * Tasks without function-scoped state run on this many pipeline-scoped worker
 * addresses, so the runtime batches their invocations (StateFun batches per
 * address only) while batches still run side by side.
 */
const WORKER_SPREAD = 16;

/** Cancellation tokens of retention expiries start with this (runtimes need not keep a process alive for them). */
export const EXPIRY_TOKEN_PREFIX = 'flinktasks-expire:';

const ACTIVE: ReadonlySet<number> = new Set([StatusCode.PENDING, StatusCode.RUNNING, StatusCode.PAUSED, StatusCode.CANCELLING]);
const ACTION_NAMES = Object.fromEntries(Object.entries(TaskAction).map(([k, v]) => [v, k])) as Record<number, string>;

/** Name of a status code, e.g. `RUNNING`. */
export function statusName(code: number): string {
  return statusNameOf(code) ?? `UNKNOWN(${code})`;
}


function exception(errorType: string, message: string, fields: Partial<WireTaskException> = {}): WireTaskException {
  return {
    id: '', type: '', exceptionType: errorType, exceptionMessage: message, stacktrace: '', maybeRetry: false,
    invocationId: '', uid: 0, isWait: false, branch: 0, errors: [], displayName: '', ...fields,
  };
}

/**
 * Runs pipelines. One instance serves every pipeline function address; all
 * per-pipeline data lives in the {@link PipelineSession}.
 *
 * @example
 * ```ts
 * const executor = new PipelineExecutor({ groupSplitThreshold: 512, repliesEgress: 'flinktasks/replies' });
 * const session = openSession(undefined, undefined);
 * const effects = new Effects();
 * executor.apply(session, { namespace: 'example', name: 'pipeline', id: 'p1' }, message, effects);
 * ```
 */
export class PipelineExecutor {
  constructor(readonly config: ExecutorConfig) {}

  /** Applies one incoming message. Never throws. */
  apply(session: PipelineSession, self: FunctionAddress, message: IncomingMessage, effects: Effects): void {
    try {
      switch (message.typename) {
        case Typenames.taskRequest:
          this.onSubmit(session, self, codecs.taskRequest.decode(message.payload), effects);
          return;
        case Typenames.taskResult:
          this.onOutcome(session, self, codecs.taskResult.decode(message.payload), undefined, effects);
          return;
        case Typenames.taskException: {
          const e = codecs.taskException.decode(message.payload);
          this.onOutcome(session, self, undefined, e, effects);
          return;
        }
        case Typenames.taskActionRequest:
          this.onAction(session, self, codecs.taskActionRequest.decode(message.payload), effects);
          return;
        case Typenames.pipelineCommand: {
          const command = codecs.pipelineCommand.decode(message.payload);
          if (command.submit) this.onSubmit(session, self, command.submit, effects);
          else if (command.action) this.onAction(session, self, command.action, effects);
          else effects.log('warn', 'pipeline function dropped an empty command', { pipeline: self.id });
          return;
        }
        default:
          effects.log('warn', 'pipeline function dropped a message of unknown type', { pipeline: self.id, typename: message.typename });
      }
    } catch (err) {
      this.failInternally(session, self, err, effects);
    }
  }

  // ---------------------------------------------------------------------------
  // Submission

  private onSubmit(session: PipelineSession, self: FunctionAddress, request: WireTaskRequest, effects: Effects): void {
    const reply = { replyTopic: request.replyTopic || null, replyAddress: request.replyAddress ?? null };
    const progress = session.progress;
    if (progress && ACTIVE.has(progress.status)) {
      this.replyTo(reply, self.id, request, {
        taskException: exception('PipelineAlreadyRunning',
          `pipeline '${self.id}' is already ${statusName(progress.status)}; wait for it to finish or cancel it before submitting again under this id`,
          { invocationId: request.invocationId, uid: request.uid, branch: request.branch, id: self.id }),
      }, effects);
      effects.log('warn', 'submission refused: pipeline already running', { pipeline: self.id });
      return;
    }
    if (!request.pipeline) {
      this.replyTo(reply, self.id, request, {
        taskException: exception('InvalidPipelineRequest', `the request for pipeline '${self.id}' carries no pipeline`,
          { invocationId: request.invocationId, uid: request.uid, branch: request.branch, id: self.id }),
      }, effects);
      return;
    }
    let ir: PipelineNode;
    try {
      // Children come from this executor or from a worker's toIR(), both
      // validated already; a continuation may start with exceptionally.
      const submitted = pipelineFromWire(request.pipeline);
      ir = this.bounded(request.isChild ? submitted : validatePipeline(submitted));
    } catch (err) {
      this.replyTo(reply, self.id, request, {
        taskException: exception('InvalidPipeline', err instanceof Error ? err.message : String(err),
          { invocationId: request.invocationId, uid: request.uid, branch: request.branch, id: self.id }),
      }, effects);
      return;
    }
    const run = (progress?.run ?? 0) + 1;
    const inline = request.pipeline.inline ?? false;
    const record: WirePipelineRecord = {
      pipelineId: self.id,
      invocationId: String(run),
      run,
      pipeline: request.pipeline,
      replyTopic: reply.replyTopic,
      replyAddress: reply.replyAddress,
      callerInvocationId: request.invocationId,
      callerUid: request.uid,
      callerBranch: request.branch,
      isChild: request.isChild,
      rootPipelineId: request.rootPipelineId || self.id,
      rootPipelineAddress: request.rootPipelineAddress ?? toWireAddress(self),
      inline,
      parentState: request.isChild && !inline ? (request.state ?? null) : null,
    };
    const initialState = request.isChild && inline ? request.state : ir.initialState;
    session.record = record;
    session.recordChanged = true;
    session.ir = ir;
    session.finished = undefined;
    session.progress = {
      run, status: StatusCode.RUNNING, position: 0,
      // A continuation starts from its parent's value, or the error it carries.
      value: request.input ?? null,
      error: request.inputError ? { ...request.inputError, errors: request.inputError.errors ?? [] } : null,
      state: initialState ?? null,
      waitingUid: 0, waiting: false, group: null, outcome: null, finallyRunning: false, childPipelineId: '', held: [],
    };
    session.progressChanged = true;
    eventsFor(this.config.events, record, self)?.created(ir, request, effects);
    eventsFor(this.config.events, record, self)?.statusChanged(StatusCode.RUNNING, effects);
    this.advance(session, self, effects);
  }

  // ---------------------------------------------------------------------------
  // Results of tasks and child pipelines

  private onOutcome(
    session: PipelineSession,
    self: FunctionAddress,
    result: WireTaskResult | undefined,
    error: WireTaskException | undefined,
    effects: Effects,
  ): void {
    const msg = (result ?? error) as WireTaskResult | WireTaskException;
    const { record, progress } = this.load(session);
    if (!record || !progress || msg.invocationId !== record.invocationId) {
      effects.log('debug', 'dropped a result of another run', { pipeline: self.id, invocationId: msg.invocationId, uid: msg.uid });
      return;
    }
    if (!ACTIVE.has(progress.status)) {
      effects.log('debug', 'dropped a result after the pipeline ended', { pipeline: self.id, uid: msg.uid });
      return;
    }
    const isChildNotice = result !== undefined && result.childPipelineId !== '';
    if (progress.finallyRunning) {
      if (!isChildNotice && progress.waiting && msg.uid === progress.waitingUid) this.onFinallyDone(session, self, error, effects);
      return;
    }
    if (progress.status === StatusCode.CANCELLING) return;
    const isWait = msg.isWait;

    if (progress.group) {
      const group = this.currentGroup(session);
      if (!group || group.uid !== progress.group.uid) return;
      const finished = this.finishedBranches(session);
      if (msg.branch >= group.branches.length || finished.has(msg.branch)) return;
      if (isChildNotice) {
        progress.group.children[msg.branch] = result.childPipelineId;
        session.progressChanged = true;
        return;
      }
      const slot: WireBranchSlot = error
        ? { index: msg.branch, error: { ...error, errors: error.errors ?? [] }, value: null, state: null }
        : { index: msg.branch, value: result?.result ?? null, error: null, state: result?.state ?? null };
      progress.group.slots.push(slot);
      progress.group.finished += 1;
      finished.add(msg.branch);
      session.progressChanged = true;
      if (isWait) this.pause(session, self, effects);
      if (progress.group.dispatched < group.branches.length) {
        this.dispatchBranch(session, self, group, progress.group.dispatched, effects);
        progress.group.dispatched += 1;
      }
      if (progress.group.finished === group.branches.length) this.completeGroup(session, self, group, effects);
      return;
    }

    if (!progress.waiting || msg.uid !== progress.waitingUid) {
      effects.log('debug', 'dropped an unexpected result', { pipeline: self.id, uid: msg.uid });
      return;
    }
    if (isChildNotice) {
      progress.childPipelineId = result.childPipelineId;
      session.progressChanged = true;
      return;
    }
    progress.waiting = false;
    progress.childPipelineId = '';
    progress.position += 1;
    if (error) {
      progress.error = { ...error, errors: error.errors ?? [] };
      progress.value = null;
      if (error.state) progress.state = error.state;
    } else if (result) {
      progress.value = result.result ?? null;
      progress.error = null;
      if (result.state) progress.state = result.state;
    }
    session.progressChanged = true;
    if (isWait) this.pause(session, self, effects);
    this.advance(session, self, effects);
  }

  // ---------------------------------------------------------------------------
  // Moving forward

  private advance(session: PipelineSession, self: FunctionAddress, effects: Effects): void {
    const { record, progress } = this.load(session);
    const ir = this.pipeline(session);
    if (!record || !progress) return;
    const entries = ir.entries;
    const skipped: TaskEntryNode[] = [];
    for (;;) {
      const entry = entries[progress.position];
      if (entry === undefined || (entry.kind === 'TaskEntry' && entry.isFinally)) {
        if (skipped.length > 0) eventsFor(this.config.events, record, self)?.skipped(skipped, effects);
        this.endChain(session, self, entry, effects);
        return;
      }
      if (progress.error) {
        if (entry.kind === 'TaskEntry' && entry.isExceptionally) {
          this.dispatchTask(session, self, entry, { inputError: progress.error }, effects);
          break;
        }
        // A segment can only handle the error if it has an exceptionally.
        if (entry.kind === 'GroupEntry' && entry.continuation && handlesErrors(entry)) {
          this.startGroup(session, self, entry, effects);
          break;
        }
        collectTasks(entry, skipped);
        progress.position += 1;
        continue;
      }
      if (entry.kind === 'TaskEntry') {
        if (entry.isExceptionally) {
          progress.position += 1;
          continue;
        }
        this.dispatchTask(session, self, entry, { input: progress.value ?? null }, effects);
        break;
      }
      if (entry.branches.length === 0) {
        progress.value = { list: { items: [] } };
        progress.position += 1;
        continue;
      }
      this.startGroup(session, self, entry, effects);
      break;
    }
    if (skipped.length > 0) eventsFor(this.config.events, record, self)?.skipped(skipped, effects);
    session.progressChanged = true;
  }

  private dispatchTask(
    session: PipelineSession,
    self: FunctionAddress,
    entry: TaskEntryNode,
    input: { input?: WireValue | null; inputError?: WireTaskException | null; branch?: number; state?: Uint8Array | null },
    effects: Effects,
  ): void {
    const record = session.record as WirePipelineRecord;
    const progress = session.progress as WirePipelineProgress;
    const entryId = `${record.pipelineId}/${record.run}.${entry.uid}`;
    const request: WireTaskRequest = {
      id: entryId,
      type: entry.taskName,
      replyAddress: toWireAddress(self),
      args: entry.args,
      state: input.state !== undefined ? input.state : (progress.state ?? null),
      retryPolicy: entry.retry ? retryToWire(entry.retry) : null,
      meta: {},
      invocationId: record.invocationId,
      uid: entry.uid,
      input: input.input ?? null,
      inputError: input.inputError ?? null,
      branch: input.branch ?? 0,
      attempt: 0,
      // Task requests stay small: the worker derives the pipeline's id and
      // address from the reply address, and an empty root means "this one".
      rootPipelineId: record.rootPipelineId === record.pipelineId ? '' : record.rootPipelineId,
      rootPipelineAddress: record.rootPipelineId === record.pipelineId ? null : (record.rootPipelineAddress ?? null),
      pipelineAddress: null,
      pipelineId: '',
      displayName: entry.displayName ?? '',
      isChild: false,
    };
    if (input.branch === undefined) {
      progress.waiting = true;
      progress.waitingUid = entry.uid;
    }
    this.emit(session, {
      target: { namespace: entry.namespace, type: entry.workerName, id: entry.taskId ?? (entry.usesContext ? entryId : `${record.pipelineId}/${record.run}~${entry.uid % WORKER_SPREAD}`) },
      typename: Typenames.taskRequest,
      payload: codecs.taskRequest.encode(request),
    }, effects);
  }

  private startGroup(session: PipelineSession, self: FunctionAddress, group: GroupEntryNode, effects: Effects): void {
    const progress = session.progress as WirePipelineProgress;
    const limit = group.maxParallelism > 0 ? Math.min(group.maxParallelism, group.branches.length) : group.branches.length;
    progress.group = { uid: group.uid, dispatched: limit, finished: 0, slots: [], children: {} };
    session.finished = new Set();
    progress.waiting = true;
    progress.waitingUid = group.uid;
    for (let b = 0; b < limit; b++) this.dispatchBranch(session, self, group, b, effects);
  }

  private dispatchBranch(session: PipelineSession, self: FunctionAddress, group: GroupEntryNode, b: number, effects: Effects): void {
    const record = session.record as WirePipelineRecord;
    const progress = session.progress as WirePipelineProgress;
    const branch = group.branches[b] as PipelineNode;
    const only = branch.entries.length === 1 ? branch.entries[0] : undefined;
    if (!group.continuation && only !== undefined && only.kind === 'TaskEntry' && !only.isFinally && branch.initialState === undefined) {
      this.dispatchTask(session, self, only, { input: null, branch: b }, effects);
      return;
    }
    // Anything else runs as an inline child pipeline: it starts with the
    // group's input state and hands its final state back for merging.
    const childId = `${record.pipelineId}/${record.run}.${group.uid}.${b}`;
    const request: WireTaskRequest = {
      id: childId, type: '', replyAddress: toWireAddress(self), args: new Uint8Array(0), state: progress.state ?? null,
      retryPolicy: null, meta: {}, invocationId: record.invocationId, uid: group.uid,
      pipeline: { ...pipelineToWire(branch), inline: true },
      input: group.continuation ? (progress.value ?? null) : null,
      inputError: group.continuation ? (progress.error ?? null) : null,
      branch: b, attempt: 0,
      rootPipelineId: record.rootPipelineId, rootPipelineAddress: record.rootPipelineAddress ?? null,
      pipelineAddress: toWireAddress(self), pipelineId: record.pipelineId, displayName: '', isChild: true,
    };
    (progress.group as NonNullable<WirePipelineProgress['group']>).children[b] = childId;
    this.emit(session, {
      target: { namespace: self.namespace, type: self.name, id: childId },
      typename: Typenames.taskRequest,
      payload: codecs.taskRequest.encode(request),
    }, effects);
  }

  private completeGroup(session: PipelineSession, self: FunctionAddress, group: GroupEntryNode, effects: Effects): void {
    const progress = session.progress as WirePipelineProgress;
    const slots = progress.group?.slots ?? [];
    const only = slots[0];
    // A continuation's outcome passes through; a group's is the list of its branches.
    const outcome = group.continuation && only
      ? (only.error ? { error: only.error } : { value: only.value ?? { json: encodeJson(undefined) } })
      : groupOutcome(group, slots);
    progress.state = mergeBranchStates(progress.state, slots) ?? null;
    if ('value' in outcome) {
      progress.value = outcome.value;
      progress.error = null;
    } else {
      progress.error = outcome.error;
      progress.value = null;
    }
    progress.group = null;
    progress.waiting = false;
    progress.position += 1;
    session.finished = undefined;
    session.progressChanged = true;
    this.advance(session, self, effects);
  }

  // ---------------------------------------------------------------------------
  // Ending

  private endChain(session: PipelineSession, self: FunctionAddress, finallyEntry: PipelineNode['entries'][number] | undefined, effects: Effects): void {
    const progress = session.progress as WirePipelineProgress;
    progress.outcome = progress.error
      ? { taskException: progress.error }
      : { taskResult: this.resultMessage(session, progress.value ?? null) };
    if (finallyEntry !== undefined && finallyEntry.kind === 'TaskEntry') {
      progress.finallyRunning = true;
      this.dispatchTask(session, self, finallyEntry, { input: null }, effects);
      return;
    }
    this.finish(session, self, progress.error ? StatusCode.FAILED : StatusCode.COMPLETED, effects);
  }

  private onFinallyDone(session: PipelineSession, self: FunctionAddress, error: WireTaskException | undefined, effects: Effects): void {
    const progress = session.progress as WirePipelineProgress;
    progress.waiting = false;
    progress.finallyRunning = false;
    if (error) progress.outcome = { taskException: { ...error, errors: error.errors ?? [] } };
    const cancelled = progress.status === StatusCode.CANCELLING;
    const failed = progress.outcome?.taskException !== null && progress.outcome?.taskException !== undefined;
    this.finish(session, self, cancelled ? StatusCode.CANCELLED : failed ? StatusCode.FAILED : StatusCode.COMPLETED, effects);
  }

  private resultMessage(session: PipelineSession, value: WireValue | null): WireTaskResult {
    const record = session.record as WirePipelineRecord;
    return {
      id: record.pipelineId, type: '', result: value, state: null, invocationId: record.callerInvocationId,
      uid: record.callerUid, isWait: false, branch: record.callerBranch, childPipelineId: '',
    };
  }

  private finish(session: PipelineSession, self: FunctionAddress, status: StatusCodeValue, effects: Effects): void {
    const record = session.record as WirePipelineRecord;
    const progress = session.progress as WirePipelineProgress;
    progress.status = status;
    progress.held = [];
    progress.waiting = false;
    progress.group = null;
    session.progressChanged = true;
    const outcome = progress.outcome ?? { taskException: exception('PipelineError', 'the pipeline ended without an outcome') };
    // An inline child hands its state back; any other child hands back its parent's.
    const state = record.isChild ? (record.inline ? progress.state : record.parentState) ?? null : progress.state ?? null;
    const echo = { invocationId: record.callerInvocationId, uid: record.callerUid, branch: record.callerBranch, id: record.pipelineId };
    const reply = outcome.taskResult
      ? { taskResult: { ...outcome.taskResult, ...echo, state } }
      : { taskException: { ...(outcome.taskException as WireTaskException), ...echo, state } };
    this.replyTo(record, record.pipelineId, undefined, reply, effects);
    eventsFor(this.config.events, record, self)?.statusChanged(status, effects);
    this.retire(session, self, effects);
  }

  /**
   * Keeps state from growing with every pipeline ever run: a child's state
   * goes now (nobody asks a finished child anything); a top-level pipeline's
   * goes when its retention ends, through a delayed message to itself.
   */
  private retire(session: PipelineSession, self: FunctionAddress, effects: Effects): void {
    const record = session.record as WirePipelineRecord;
    if (record.isChild) {
      this.forget(session);
      return;
    }
    const retention = this.config.finishedRetentionMs ?? 3_600_000;
    if (retention <= 0) return;
    effects.sendAfter({
      target: self,
      typename: Typenames.taskActionRequest,
      payload: codecs.taskActionRequest.encode({ id: self.id, action: TaskAction.EXPIRE_PIPELINE, uid: String(record.run) }),
      delayMs: retention,
      cancellationToken: `${EXPIRY_TOKEN_PREFIX}${self.id}:${record.run}`,
    });
  }

  private forget(session: PipelineSession): void {
    session.record = undefined;
    session.progress = undefined;
    session.ir = undefined;
    session.finished = undefined;
    session.recordChanged = true;
    session.progressChanged = true;
  }

  // ---------------------------------------------------------------------------
  // Actions

  private onAction(session: PipelineSession, self: FunctionAddress, action: WireTaskActionRequest, effects: Effects): void {
    const { record, progress } = this.load(session);
    const fail = (type: string, message: string): void => {
      this.replyAction(action, self, { actionException: {
        id: self.id, action: action.action, exceptionType: type, exceptionMessage: message, stacktrace: '', uid: action.uid,
      } }, effects);
    };
    const ok = (extra: Record<string, unknown> = {}): void => {
      this.replyAction(action, self, { actionResult: {
        id: self.id, action: action.action, uid: action.uid, status: { value: session.progress?.status ?? StatusCode.PENDING }, ...extra,
      } }, effects);
    };
    if (action.action === TaskAction.EXPIRE_PIPELINE) {
      // Only the run it was scheduled for, and only if that run has ended.
      if (record && progress && !ACTIVE.has(progress.status) && String(progress.run) === action.uid) this.forget(session);
      return;
    }
    const name = ACTION_NAMES[action.action] ?? String(action.action);
    if (!record || !progress) {
      fail('PipelineNotFound', `${name}: no pipeline with id '${self.id}' has been submitted`);
      return;
    }
    const status = progress.status;
    switch (action.action) {
      case TaskAction.GET_STATUS:
        ok();
        return;
      case TaskAction.GET_REQUEST:
        ok({ request: record.pipeline });
        return;
      case TaskAction.GET_RESULT:
        if (ACTIVE.has(status)) fail('PipelineNotFinished', `GET_RESULT: pipeline '${self.id}' is ${statusName(status)}; it has no result yet`);
        else ok({ outcome: progress.outcome });
        return;
      case TaskAction.PAUSE_PIPELINE:
        if (status !== StatusCode.RUNNING) {
          fail('InvalidAction', `PAUSE_PIPELINE: pipeline '${self.id}' is ${statusName(status)}; only a RUNNING pipeline can be paused`);
          return;
        }
        this.pause(session, self, effects);
        ok();
        return;
      case TaskAction.UNPAUSE_PIPELINE:
        if (status !== StatusCode.PAUSED) {
          fail('InvalidAction', `UNPAUSE_PIPELINE: pipeline '${self.id}' is ${statusName(status)}; only a PAUSED pipeline can be unpaused`);
          return;
        }
        this.unpause(session, self, effects);
        ok();
        return;
      case TaskAction.CANCEL_PIPELINE:
        if (status !== StatusCode.RUNNING && status !== StatusCode.PAUSED && status !== StatusCode.PENDING) {
          fail('InvalidAction', `CANCEL_PIPELINE: pipeline '${self.id}' is ${statusName(status)}; only a running or paused pipeline can be cancelled`);
          return;
        }
        this.cancel(session, self, effects);
        ok();
        return;
      default:
        fail('InvalidAction', `unknown action ${action.action}`);
    }
  }

  private childIds(progress: WirePipelineProgress): string[] {
    const ids = Object.values(progress.group?.children ?? {});
    if (progress.childPipelineId) ids.push(progress.childPipelineId);
    return ids;
  }

  private cascade(self: FunctionAddress, progress: WirePipelineProgress, action: number, effects: Effects): void {
    for (const id of this.childIds(progress)) {
      effects.send({
        target: { ...self, id },
        typename: Typenames.taskActionRequest,
        payload: codecs.taskActionRequest.encode({ id, action, uid: '' }),
      });
    }
  }

  private pause(session: PipelineSession, self: FunctionAddress, effects: Effects): void {
    const progress = session.progress as WirePipelineProgress;
    if (progress.status !== StatusCode.RUNNING) return;
    progress.status = StatusCode.PAUSED;
    session.progressChanged = true;
    this.cascade(self, progress, TaskAction.PAUSE_PIPELINE, effects);
    eventsFor(this.config.events, session.record as WirePipelineRecord, self)?.statusChanged(StatusCode.PAUSED, effects);
  }

  private unpause(session: PipelineSession, self: FunctionAddress, effects: Effects): void {
    const progress = session.progress as WirePipelineProgress;
    progress.status = StatusCode.RUNNING;
    const held = progress.held;
    progress.held = [];
    session.progressChanged = true;
    for (const h of held) {
      if (h.target) effects.send({ target: fromWireAddress(h.target), typename: h.typename, payload: h.payload });
    }
    this.cascade(self, progress, TaskAction.UNPAUSE_PIPELINE, effects);
    eventsFor(this.config.events, session.record as WirePipelineRecord, self)?.statusChanged(StatusCode.RUNNING, effects);
  }

  private cancel(session: PipelineSession, self: FunctionAddress, effects: Effects): void {
    const progress = session.progress as WirePipelineProgress;
    const ir = this.pipeline(session);
    this.cascade(self, progress, TaskAction.CANCEL_PIPELINE, effects);
    progress.status = StatusCode.CANCELLING;
    progress.held = [];
    progress.group = null;
    session.finished = undefined;
    session.progressChanged = true;
    eventsFor(this.config.events, session.record as WirePipelineRecord, self)?.statusChanged(StatusCode.CANCELLING, effects);
    progress.outcome = { taskException: exception(CANCELLED_ERROR_TYPE, `pipeline '${self.id}' was cancelled`, { id: self.id }) };
    if (progress.finallyRunning) return;
    const last = ir.entries[ir.entries.length - 1];
    if (last !== undefined && last.kind === 'TaskEntry' && last.isFinally) {
      progress.finallyRunning = true;
      this.dispatchTask(session, self, last, { input: null }, effects);
      return;
    }
    this.finish(session, self, StatusCode.CANCELLED, effects);
  }

  // ---------------------------------------------------------------------------
  // Plumbing

  /** Sends now, or holds the message while the pipeline is paused. */
  private emit(session: PipelineSession, held: WireHeldMessage & { target: WireAddress }, effects: Effects): void {
    const progress = session.progress as WirePipelineProgress;
    if (progress.status === StatusCode.PAUSED) {
      progress.held.push(held);
      session.progressChanged = true;
      return;
    }
    effects.send({ target: fromWireAddress(held.target), typename: held.typename, payload: held.payload });
  }

  private replyTo(
    to: { replyTopic?: string | null; replyAddress?: WireAddress | null },
    key: string,
    request: WireTaskRequest | undefined,
    outcome: { taskResult?: WireTaskResult | null; taskException?: WireTaskException | null },
    effects: Effects,
  ): void {
    if (to.replyTopic) {
      effects.publish({ egress: this.config.repliesEgress, topic: to.replyTopic, key, value: codecs.reply.encode({ outcome }) });
    } else if (to.replyAddress) {
      const target = fromWireAddress(to.replyAddress);
      if (outcome.taskResult) {
        effects.send({ target, typename: Typenames.taskResult, payload: codecs.taskResult.encode(outcome.taskResult) });
      } else if (outcome.taskException) {
        effects.send({ target, typename: Typenames.taskException, payload: codecs.taskException.encode(outcome.taskException) });
      }
    } else if (request !== undefined || outcome.taskException) {
      effects.log('warn', 'no reply address for a pipeline outcome; dropped', { pipeline: key });
    }
  }

  private replyAction(action: WireTaskActionRequest, self: FunctionAddress, reply: Parameters<typeof codecs.reply.encode>[0], effects: Effects): void {
    if (action.replyTopic) {
      effects.publish({ egress: this.config.repliesEgress, topic: action.replyTopic, key: self.id, value: codecs.reply.encode(reply) });
    } else if (action.replyAddress) {
      const target = fromWireAddress(action.replyAddress);
      if (reply.actionResult) effects.send({ target, typename: Typenames.taskActionResult, payload: codecs.taskActionResult.encode(reply.actionResult) });
      if (reply.actionException) effects.send({ target, typename: Typenames.taskActionException, payload: codecs.taskActionException.encode(reply.actionException) });
    }
  }

  private failInternally(session: PipelineSession, self: FunctionAddress, err: unknown, effects: Effects): void {
    const message = err instanceof Error ? err.message : String(err);
    effects.log('error', 'pipeline function failed internally', { pipeline: self.id, error: message, stack: err instanceof Error ? err.stack : undefined });
    try {
      const progress = session.progress;
      if (session.record && progress && ACTIVE.has(progress.status)) {
        progress.outcome = { taskException: exception('PipelineInternalError', `flink-tasks internal error in pipeline '${self.id}': ${message}`, { id: self.id }) };
        this.finish(session, self, StatusCode.FAILED, effects);
      }
    } catch (again) {
      effects.log('error', 'pipeline function could not report an internal failure', { pipeline: self.id, error: String(again) });
    }
  }

  private load(session: PipelineSession): { record: WirePipelineRecord | undefined; progress: WirePipelineProgress | undefined } {
    return { record: session.record, progress: session.progress };
  }

  private pipeline(session: PipelineSession): PipelineNode {
    if (!session.ir) {
      const wire = session.record?.pipeline;
      if (!wire) throw new Error('no pipeline recorded');
      session.ir = this.bounded(pipelineFromWire(wire));
    }
    return session.ir;
  }

  /** The pipeline as this key runs it: large groups split, long chains segmented (deterministic). */
  private bounded(ir: PipelineNode): PipelineNode {
    return segmentLongChains(splitLargeGroups(ir, this.config.groupSplitThreshold), this.config.chainSegmentLength ?? 512);
  }

  private currentGroup(session: PipelineSession): GroupEntryNode | undefined {
    const entry = this.pipeline(session).entries[(session.progress as WirePipelineProgress).position];
    return entry?.kind === 'GroupEntry' ? entry : undefined;
  }

  private finishedBranches(session: PipelineSession): Set<number> {
    if (!session.finished) session.finished = new Set((session.progress?.group?.slots ?? []).map((s) => s.index));
    return session.finished;
  }
}

function handlesErrors(entry: PipelineNode['entries'][number]): boolean {
  if (entry.kind === 'TaskEntry') return entry.isExceptionally;
  return entry.continuation && entry.branches.some((b) => b.entries.some(handlesErrors));
}

function collectTasks(entry: PipelineNode['entries'][number], into: TaskEntryNode[]): void {
  if (entry.kind === 'TaskEntry') {
    into.push(entry);
    return;
  }
  for (const b of entry.branches) for (const e of b.entries) collectTasks(e, into);
}
