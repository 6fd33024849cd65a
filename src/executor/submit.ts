/**
 * Submissions: a new run of a pipeline at this address, refused while one
 * is still running, and refused when it cannot be served: a client setting
 * what only flink-tasks sets, a reply topic the deployment does not allow,
 * an entry naming a worker function the deployment does not serve.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, type ErrorCodeName } from '../core/error-codes.js';
import { pipelineIdProblem } from '../core/ids.js';
import { traceMetaOf } from '../core/tracing.js';
import type { PipelineNode, TaskEntryNode } from '../ir/nodes.js';
import { validatePipeline } from '../ir/validate.js';
import { toWireAddress } from '../wire/address.js';
import { Typenames } from '../wire/codec.js';
import { PipelineProgress, TaskAction, type PipelineRecord, type TaskRequest } from '../wire/generated/flinktasks.js';
import { pipelineFromWire } from '../wire/pipeline.js';
import { ACTIVE_STATUSES, Status, statusName } from '../wire/status.js';
import { advance } from './advance.js';
import { deadLetter } from './dead-letters.js';
import { eventsFor } from './events.js';
import { publishPendingOutcome } from './finish.js';
import { systemFieldsOf } from './ingress.js';
import { actionMessage, exception } from './messages.js';
import { replyOutcome, type ReplyTo } from './replies.js';
import { boundedPipeline, loadRun, touch, type Step } from './run.js';

/** Most callers that may wait for one pipeline's outcome besides its submitter. */
const MAX_WAITERS = 1000;

/** Where to answer `request`: its reply topic (if not empty) or address. */
function replyToOf(request: TaskRequest): ReplyTo {
  return request.reply?.$case === 'replyTopic' && request.reply.value === '' ? undefined : request.reply;
}

/** Worker functions that `ir`'s entries name but the deployment cannot deliver to. */
function unservedWorkers(step: Step, ir: PipelineNode): string[] {
  const { routes } = step.config;
  const unserved = new Set<string>();
  const check = (t: TaskEntryNode): void => {
    const isPipelineFunction = t.namespace === step.self.namespace && t.workerName === step.self.name;
    if (isPipelineFunction || !routes.servesFunction(t.namespace, t.workerName)) unserved.add(`${t.namespace}/${t.workerName} (task '${t.taskName}')`);
  };
  const walk = (p: PipelineNode): void => {
    for (const e of p.entries) {
      if (e.kind === 'TaskEntry') check(e);
      else if (e.map)
        check(e.map.task); // every branch of a compact group calls its task
      else for (const b of e.branches) walk(b);
    }
  };
  walk(ir);
  return [...unserved];
}

/** Starts a run of the submitted pipeline, or answers why not. `fromClient`: it came through the ingress. */
export function submit(step: Step, request: TaskRequest, fromClient: boolean): void {
  const { self, session } = step;
  const reply = replyToOf(request);
  const refuse = (code: ErrorCodeName, message: string): void => {
    const value = exception(code, message, { invocationId: request.invocationId, uid: request.uid, branch: request.branch, id: self.id });
    replyOutcome(step, reply, self.id, { taskResultOrException: { $case: 'taskException', value } }, true);
  };
  const drop = (code: ErrorCodeName, message: string): void => {
    deadLetter(step, { code, message, typename: Typenames.taskRequest, payload: new Uint8Array(0) });
  };
  // First: nothing may be published to a topic that is not allowed (the egress would fail the job).
  if (reply?.$case === 'replyTopic') {
    const problem = step.config.routes.replyTopicProblem(reply.value);
    if (problem !== undefined) {
      drop(ErrorCode.InvalidReplyTopic, `submission of pipeline '${self.id}' refused: ${problem}`);
      return;
    }
  }
  if (fromClient) {
    const idProblem = pipelineIdProblem(self.id);
    if (idProblem !== undefined) {
      drop(ErrorCode.InvalidPipelineRequest, `submission refused: ${idProblem}`);
      if (reply?.$case === 'replyTopic') refuse(ErrorCode.InvalidPipelineRequest, `flink-tasks: ${idProblem}`);
      return;
    }
    const forbidden = systemFieldsOf(request);
    if (forbidden.length > 0) {
      const message = `submission of pipeline '${self.id}' refused: ${forbidden.join(', ')} may only be set by flink-tasks`;
      drop(ErrorCode.InvalidPipelineRequest, message);
      // Answer on a topic only: an address in a client's submission is not to be trusted.
      if (reply?.$case === 'replyTopic') refuse(ErrorCode.InvalidPipelineRequest, message);
      return;
    }
  }
  const previous = session.progress;
  if (previous && ACTIVE_STATUSES.has(previous.status) && request.attachIfRunning && reply?.$case === 'replyTopic') {
    // Wait for the running one's outcome instead.
    if (previous.waiters.length >= MAX_WAITERS) {
      refuse(ErrorCode.InvalidPipelineRequest, `pipeline '${self.id}' already has ${MAX_WAITERS} callers waiting for its outcome`);
      return;
    }
    previous.waiters.push({ replyTopic: reply.value, correlationId: request.invocationId, isAction: false });
    session.progressChanged = true;
    return;
  }
  if (previous && ACTIVE_STATUSES.has(previous.status)) {
    refuse(
      ErrorCode.PipelineAlreadyRunning,
      `pipeline '${self.id}' is already ${statusName(previous.status)}; wait for it to finish or cancel it before submitting again under this id`,
    );
    step.effects.log('warn', 'submission refused: pipeline already running', { pipeline: self.id });
    return;
  }
  if (!request.pipeline) {
    refuse(ErrorCode.InvalidPipelineRequest, `the request for pipeline '${self.id}' carries no pipeline`);
    return;
  }
  let submitted: PipelineNode;
  let ir: PipelineNode;
  try {
    // Children come from this executor or from a worker's toIR(), both
    // validated already; a continuation may start with exceptionally.
    submitted = pipelineFromWire(request.pipeline);
    ir = boundedPipeline(request.isChild ? submitted : validatePipeline(submitted), step.config);
  } catch (err) {
    refuse(ErrorCode.InvalidPipeline, err instanceof Error ? err.message : String(err));
    return;
  }
  const unserved = unservedWorkers(step, submitted);
  if (unserved.length > 0) {
    refuse(
      ErrorCode.UnknownFunction,
      `pipeline '${self.id}' names worker functions this deployment does not serve: ${unserved.slice(0, 5).join(', ')}${unserved.length > 5 ? ` and ${unserved.length - 5} more` : ''}; ` +
        'bind the tasks on a served worker, or declare the function types in routes.functions (and route them in module.yaml)',
    );
    return;
  }
  // The previous run's outcome, if still waiting to be published, goes out first.
  const last = loadRun(step);
  if (last?.progress.replyPending) publishPendingOutcome(last);
  const delayMs = request.startDelayMs;
  if (!Number.isFinite(delayMs) || delayMs < 0) {
    refuse(ErrorCode.InvalidPipelineRequest, `start delay must be a finite number of ms >= 0, got ${delayMs}`);
    return;
  }
  const run = (previous?.run ?? 0) + 1;
  const inline = request.pipeline.inline;
  const record: PipelineRecord = {
    pipelineId: self.id,
    // Unguessable: results are matched on it, and a client never sees it.
    invocationId: (step.config.newRunToken ?? randomUUID)(),
    run,
    pipeline: request.pipeline,
    reply,
    callerInvocationId: request.invocationId,
    callerUid: request.uid,
    callerBranch: request.branch,
    isChild: request.isChild,
    rootPipelineId: request.rootPipelineId || self.id,
    rootPipelineAddress: request.rootPipelineAddress ?? toWireAddress(self),
    inline,
    parentState: request.isChild && !inline ? request.state : undefined,
    parentPipelineId: request.isChild ? request.pipelineId : '',
    // Only a valid trace context, bounded: it is copied into every task request of the run.
    meta: traceMetaOf(request.meta),
  };
  session.record = record;
  session.recordChanged = true;
  session.ir = ir;
  session.progress = {
    ...PipelineProgress.create(),
    run,
    status: delayMs > 0 ? Status.PENDING : Status.RUNNING,
    // A continuation starts from its parent's value, or the error it carries.
    value: request.input,
    error: request.inputError,
    state: request.isChild && inline ? request.state : ir.initialState,
  };
  session.progressChanged = true;
  const active = loadRun(step);
  if (!active) return;
  const events = eventsFor(step.config.events, record, self, step.effects);
  events?.created(request);
  // Submitted by a client: info; started by the runtime (orchestrator tasks, group branches, segments): debug.
  step.effects.log(request.isChild ? 'debug' : 'info', 'pipeline submitted', {
    pipeline: self.id,
    rootPipeline: record.rootPipelineId,
    parentPipeline: record.parentPipelineId || undefined,
    run,
    ...(delayMs > 0 ? { startDelayMs: delayMs } : {}),
  });
  if (delayMs > 0) {
    // PENDING until a delayed message to itself: it survives restarts with the rest of the state.
    events?.statusChanged(Status.PENDING);
    step.effects.sendAfter({ ...actionMessage(self, TaskAction.START_PIPELINE, String(run)), delayMs: Math.ceil(delayMs) });
    return;
  }
  events?.statusChanged(Status.RUNNING);
  advance(active);
}

/** START_PIPELINE: a pipeline submitted with a start delay starts now (unless cancelled meanwhile). */
export function startDelayed(step: Step, runNo: string): void {
  const run = loadRun(step);
  if (!run || String(run.progress.run) !== runNo || run.progress.status !== Status.PENDING) return;
  run.progress.status = Status.RUNNING;
  touch(run);
  eventsFor(run.config.events, run.record, run.self, run.effects)?.statusChanged(Status.RUNNING);
  advance(run);
}
