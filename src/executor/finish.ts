/**
 * Ending a run: the outcome of the chain, `finallyDo`, the reply to the
 * caller, and retiring the state.
 *
 * @module
 */
import { ErrorCode } from '../core/error-codes.js';
import type { EntryNode } from '../ir/nodes.js';
import { TaskResult, type TaskException, type TaskResultOrException, type TaskStatus_Status } from '../wire/generated/flinktasks.js';
import { Status } from '../wire/status.js';
import { dispatchTask } from './dispatch.js';
import { eventsFor } from './events.js';
import { exception } from './messages.js';
import { replyOutcome } from './replies.js';
import { retire } from './retention.js';
import { touch, type ActiveRun } from './run.js';

/** The chain has ended (at `finallyEntry`, or past its last entry): run `finallyDo` or finish. */
export function endChain(run: ActiveRun, finallyEntry: EntryNode | undefined): void {
  const { progress } = run;
  progress.outcome = progress.error
    ? { taskResultOrException: { $case: 'taskException', value: progress.error } }
    : { taskResultOrException: { $case: 'taskResult', value: { ...TaskResult.create(), result: progress.value } } };
  if (finallyEntry !== undefined && finallyEntry.kind === 'TaskEntry') {
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

/** Ends the run with `status`: replies to the caller, publishes the status, retires the state. */
export function finish(run: ActiveRun, status: TaskStatus_Status): void {
  const { record, progress } = run;
  progress.status = status;
  progress.held = [];
  progress.waiting = false;
  progress.group = undefined;
  touch(run);
  // An inline child hands its state back; any other child hands back its parent's.
  const state = record.isChild ? (record.inline ? progress.state : record.parentState) : progress.state;
  const echo = { invocationId: record.callerInvocationId, uid: record.callerUid, branch: record.callerBranch, id: record.pipelineId, state };
  const outcome = progress.outcome?.taskResultOrException
    ?? { $case: 'taskException' as const, value: exception(ErrorCode.PipelineError, 'the pipeline ended without an outcome') };
  const reply: TaskResultOrException = outcome.$case === 'taskResult'
    ? { taskResultOrException: { $case: 'taskResult', value: { ...outcome.value, ...echo } } }
    : { taskResultOrException: { $case: 'taskException', value: { ...outcome.value, ...echo } } };
  replyOutcome(run, record.reply, record.pipelineId, reply, false);
  eventsFor(run.config.events, record, run.self, run.effects)?.statusChanged(status, outcome.$case === 'taskException' ? outcome.value : undefined);
  retire(run);
}
