/**
 * Submissions: a new run of a pipeline at this address, refused while one
 * is still running.
 *
 * @module
 */
import { ErrorCode, type ErrorCodeName } from '../core/error-codes.js';
import type { PipelineNode } from '../ir/nodes.js';
import { validatePipeline } from '../ir/validate.js';
import { toWireAddress } from '../wire/address.js';
import { PipelineProgress, type PipelineRecord, type TaskRequest } from '../wire/generated/flinktasks.js';
import { pipelineFromWire } from '../wire/pipeline.js';
import { ACTIVE_STATUSES, Status } from '../wire/status.js';
import { statusName } from './actions.js';
import { advance } from './advance.js';
import { eventsFor } from './events.js';
import { exception } from './messages.js';
import { replyOutcome, type ReplyTo } from './replies.js';
import { boundedPipeline, loadRun, type Step } from './run.js';

/** Where to answer `request`: its reply topic (if not empty) or address. */
function replyToOf(request: TaskRequest): ReplyTo {
  return request.reply?.$case === 'replyTopic' && request.reply.value === '' ? undefined : request.reply;
}

/** Starts a run of the submitted pipeline, or answers why not. */
export function submit(step: Step, request: TaskRequest): void {
  const { self, session } = step;
  const reply = replyToOf(request);
  const refuse = (code: ErrorCodeName, message: string): void => {
    const value = exception(code, message, { invocationId: request.invocationId, uid: request.uid, branch: request.branch, id: self.id });
    replyOutcome(step, reply, self.id, { taskResultOrException: { $case: 'taskException', value } }, true);
  };
  const previous = session.progress;
  if (previous && ACTIVE_STATUSES.has(previous.status)) {
    refuse(ErrorCode.PipelineAlreadyRunning,
      `pipeline '${self.id}' is already ${statusName(previous.status)}; wait for it to finish or cancel it before submitting again under this id`);
    step.effects.log('warn', 'submission refused: pipeline already running', { pipeline: self.id });
    return;
  }
  if (!request.pipeline) {
    refuse(ErrorCode.InvalidPipelineRequest, `the request for pipeline '${self.id}' carries no pipeline`);
    return;
  }
  let ir: PipelineNode;
  try {
    // Children come from this executor or from a worker's toIR(), both
    // validated already; a continuation may start with exceptionally.
    const submitted = pipelineFromWire(request.pipeline);
    ir = boundedPipeline(request.isChild ? submitted : validatePipeline(submitted), step.config);
  } catch (err) {
    refuse(ErrorCode.InvalidPipeline, err instanceof Error ? err.message : String(err));
    return;
  }
  const run = (previous?.run ?? 0) + 1;
  const inline = request.pipeline.inline;
  const record: PipelineRecord = {
    pipelineId: self.id,
    invocationId: String(run),
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
  };
  session.record = record;
  session.recordChanged = true;
  session.ir = ir;
  session.finished = undefined;
  session.progress = {
    ...PipelineProgress.create(),
    run,
    status: Status.RUNNING,
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
  events?.statusChanged(Status.RUNNING);
  advance(active);
}
