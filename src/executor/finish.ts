/**
 * Ending a run: the outcome of the chain, `finallyDo`, the reply to the
 * caller (within the size limits), and retiring the state.
 *
 * @module
 */
import { ErrorCode } from '../core/error-codes.js';
import type { EntryNode } from '../ir/nodes.js';
import { TaskAction, TaskResult, type TaskException, type TaskResultOrException, type TaskStatus_Status } from '../wire/generated/flinktasks.js';
import { formatBytes, valueBytes } from '../wire/sizes.js';
import { Status, statusName } from '../wire/status.js';
import { INLINE_REPLY_BYTES } from './config.js';
import { dispatchTask } from './dispatch.js';
import { eventsFor } from './events.js';
import { actionMessage, exception } from './messages.js';
import { replyAction, replyOutcome } from './replies.js';
import { retire } from './retention.js';
import { touch, type ActiveRun } from './run.js';

/** The chain has ended (at `finallyEntry`, or past its last entry): run `finallyDo` or finish. */
export function endChain(run: ActiveRun, finallyEntry: EntryNode | undefined): void {
  const { progress } = run;
  progress.outcome = progress.error
    ? { taskResultOrException: { $case: 'taskException', value: progress.error } }
    : { taskResultOrException: { $case: 'taskResult', value: { ...TaskResult.create(), result: progress.value } } };
  if (finallyEntry?.kind === 'TaskEntry') {
    progress.finallyRunning = true;
    dispatchTask(run, finallyEntry, {});
    return;
  }
  finish(run, progress.error ? Status.FAILED : Status.COMPLETED);
}

/** `finallyDo` has ended; its error, if any, becomes the outcome. */
export function finallyDone(run: ActiveRun, error: TaskException | undefined): void {
  const { progress } = run;
  progress.waiting = false;
  progress.finallyRunning = false;
  if (error) progress.outcome = { taskResultOrException: { $case: 'taskException', value: error } };
  const failed = progress.outcome?.taskResultOrException?.$case === 'taskException';
  finish(run, progress.status === Status.CANCELLING ? Status.CANCELLED : failed ? Status.FAILED : Status.COMPLETED);
}

/** The reply to the run's caller: its outcome, echoing what the caller sent. */
function replyOf(run: ActiveRun): TaskResultOrException {
  const { record, progress } = run;
  // An inline child hands its state back; any other child hands back its parent's.
  const state = record.isChild ? (record.inline ? progress.state : record.parentState) : progress.state;
  const echo = { invocationId: record.callerInvocationId, uid: record.callerUid, branch: record.callerBranch, id: record.pipelineId, state };
  const outcome = progress.outcome?.taskResultOrException ?? {
    $case: 'taskException' as const,
    value: exception(ErrorCode.PipelineError, 'the pipeline ended without an outcome'),
  };
  return outcome.$case === 'taskResult'
    ? { taskResultOrException: { $case: 'taskResult', value: { ...outcome.value, ...echo } } }
    : { taskResultOrException: { $case: 'taskException', value: { ...outcome.value, ...echo } } };
}

/** A successful outcome too large for where it goes becomes a `MessageSizeExceeded` error (kept as the outcome). */
function boundOutcome(run: ActiveRun): void {
  const { progress, record, config } = run;
  const o = progress.outcome?.taskResultOrException;
  if (o?.$case !== 'taskResult') return;
  const toTopic = record.reply?.$case === 'replyTopic';
  const limit = toTopic ? config.limits.maxReplyBytes : config.limits.maxValueBytes;
  const size = valueBytes(o.value.result) + (toTopic ? 0 : (progress.state?.byteLength ?? 0));
  if (size <= limit) return;
  const where = toTopic
    ? `the reply to ${record.reply?.value as string} (limits.maxReplyBytes: ${formatBytes(limit)})`
    : `a value passed between pipelines (limits.maxValueBytes: ${formatBytes(limit)})`;
  progress.outcome = {
    taskResultOrException: {
      $case: 'taskException',
      value: exception(ErrorCode.MessageSizeExceeded, `the result of pipeline '${record.pipelineId}' is about ${formatBytes(size)}, too large for ${where}`, {
        id: record.pipelineId,
      }),
    },
  };
}

/** Most reply bytes one invocation publishes to waiters; the rest go in the next (see PUBLISH_OUTCOME). */
const WAITER_REPLY_BUDGET = 4 * INLINE_REPLY_BYTES;

/**
 * Publishes the outcome kept in state (PUBLISH_OUTCOME): to the caller, then
 * to those waiting for it (attached submissions, GET_RESULT with wait), as
 * many as fit one response; the rest in the next invocation.
 */
export function publishPendingOutcome(run: ActiveRun): void {
  const { progress, record, self } = run;
  if (!progress.replyPending) return;
  const reply = replyOf(run);
  const o = reply.taskResultOrException;
  let budget = WAITER_REPLY_BUDGET;
  if (!progress.callerAnswered) {
    replyOutcome(run, record.reply, record.pipelineId, reply, false);
    progress.callerAnswered = true;
    budget -= o?.$case === 'taskResult' ? valueBytes(o.value.result) : 0;
  }
  const size = o?.$case === 'taskResult' ? valueBytes(o.value.result) : 1024;
  while (progress.waiters.length > 0 && budget > 0) {
    const w = progress.waiters.shift();
    if (!w) break;
    budget -= size;
    if (w.isAction) {
      replyAction(
        run,
        { id: self.id, action: TaskAction.GET_RESULT, correlationId: w.correlationId, reply: { $case: 'replyTopic', value: w.replyTopic }, wait: true },
        {
          reply: {
            $case: 'actionResult',
            value: {
              id: self.id,
              action: TaskAction.GET_RESULT,
              correlationId: w.correlationId,
              status: { value: progress.status },
              outcome: progress.outcome,
            },
          },
        },
      );
    } else if (o) {
      const echoed: TaskResultOrException =
        o.$case === 'taskResult'
          ? { taskResultOrException: { $case: 'taskResult', value: { ...o.value, invocationId: w.correlationId } } }
          : { taskResultOrException: { $case: 'taskException', value: { ...o.value, invocationId: w.correlationId } } };
      replyOutcome(run, { $case: 'replyTopic', value: w.replyTopic }, record.pipelineId, echoed, false);
    }
  }
  if (progress.waiters.length > 0) run.effects.send(actionMessage(self, TaskAction.PUBLISH_OUTCOME, String(record.run)));
  else progress.replyPending = false;
  touch(run);
}

/** Ends the run with `status`: replies to the caller, publishes the status, retires the state. */
export function finish(run: ActiveRun, status: TaskStatus_Status): void {
  const { record, progress, self } = run;
  boundOutcome(run);
  // The outcome holds the chain's last value now; nothing runs on to read it, and state would carry it twice.
  progress.value = undefined;
  const failed = status === Status.COMPLETED && progress.outcome?.taskResultOrException?.$case === 'taskException';
  progress.status = failed ? Status.FAILED : status;
  progress.held = [];
  progress.pending = [];
  progress.waiting = false;
  progress.group = undefined;
  touch(run);
  const reply = replyOf(run);
  const o = reply.taskResultOrException;
  const large = record.reply?.$case === 'replyTopic' && !record.isChild && o?.$case === 'taskResult' && valueBytes(o.value.result) > INLINE_REPLY_BYTES;
  if (large || progress.waiters.length > 0) {
    // Published from state in the next invocation(s): this response already carries the outcome in state.
    progress.replyPending = true;
    progress.callerAnswered = false;
    run.effects.send(actionMessage(self, TaskAction.PUBLISH_OUTCOME, String(record.run)));
  } else {
    replyOutcome(run, record.reply, record.pipelineId, reply, false);
  }
  const error = o?.$case === 'taskException' ? o.value : undefined;
  eventsFor(run.config.events, record, self, run.effects)?.statusChanged(progress.status, error);
  run.effects.log(record.isChild ? 'debug' : 'info', `pipeline ${statusName(progress.status).toLowerCase()}`, {
    pipeline: record.pipelineId,
    rootPipeline: record.rootPipelineId,
    parentPipeline: record.parentPipelineId || undefined,
    run: record.run,
    status: statusName(progress.status),
    ...(error ? { errorType: error.exceptionType, error: error.exceptionMessage, failedTask: error.taskName || undefined } : {}),
  });
  retire(run);
}
