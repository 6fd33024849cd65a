/**
 * Pausing, resuming and cancelling a run, cascading to its child pipelines.
 *
 * @module
 */
import { ErrorCode } from '../core/error-codes.js';
import { fromWireAddress } from '../wire/address.js';
import { codecs, Typenames } from '../wire/codec.js';
import type { PipelineProgress, TaskAction } from '../wire/generated/flinktasks.js';
import { TaskAction as Action } from '../wire/generated/flinktasks.js';
import { Status } from '../wire/status.js';
import { dispatchTask } from './dispatch.js';
import { eventsFor } from './events.js';
import { finish } from './finish.js';
import { actionMessage, exception } from './messages.js';
import { touch, type ActiveRun } from './run.js';

function childIds(progress: PipelineProgress): string[] {
  const ids = Object.values(progress.group?.children ?? {});
  if (progress.childPipelineId) ids.push(progress.childPipelineId);
  return ids;
}

/** Sends `action` to every child pipeline of the run. */
function cascade(run: ActiveRun, action: TaskAction): void {
  for (const id of childIds(run.progress)) run.effects.send(actionMessage({ ...run.self, id }, action, ''));
}

/** The reserved id worker functions receive cancellations at (not queued behind a busy address). */
export const CANCEL_ID = 'flinktasks.cancel';

/**
 * Cancels the run's child pipelines, and tells the worker functions of the
 * tasks it is waiting for to abort them (its own state is the caller's to change).
 */
export function cancelChildren(run: ActiveRun): void {
  cascade(run, Action.CANCEL_PIPELINE);
  const entry = run.ir.entries[run.progress.position];
  const tasks =
    entry === undefined
      ? []
      : entry.kind === 'TaskEntry'
        ? [entry]
        : entry.map
          ? [entry.map.task]
          : entry.branches.flatMap((b) => (b.entries.length === 1 && b.entries[0]?.kind === 'TaskEntry' ? [b.entries[0]] : []));
  const workers = new Set(tasks.map((t) => `${t.namespace}\u0000${t.workerName}`));
  // The finallyDo that the cancellation dispatches may reach a worker first: it is spared.
  const last = run.ir.entries[run.ir.entries.length - 1];
  const spareUid = last?.kind === 'TaskEntry' && last.isFinally ? last.uid : undefined;
  const payload = codecs.taskCancel.encode({ invocationId: run.record.invocationId, reason: `pipeline '${run.self.id}' was cancelled`, spareUid });
  for (const w of workers) {
    const [namespace = '', name = ''] = w.split('\u0000');
    run.effects.send({ target: { namespace, name, id: CANCEL_ID }, typename: Typenames.taskCancel, payload });
  }
  const broadcast = run.config.cancellations;
  if (broadcast && workers.size > 0) run.effects.publish({ egress: broadcast.egress, topic: broadcast.topic, key: run.record.invocationId, value: payload });
}

/** Holds back new dispatches (a RUNNING run only). */
export function pause(run: ActiveRun): void {
  const { progress } = run;
  if (progress.status !== Status.RUNNING) return;
  progress.status = Status.PAUSED;
  touch(run);
  cascade(run, Action.PAUSE_PIPELINE);
  eventsFor(run.config.events, run.record, run.self, run.effects)?.statusChanged(Status.PAUSED);
}

/** Resumes a paused run: sends what was held back. */
export function unpause(run: ActiveRun): void {
  const { progress } = run;
  progress.status = Status.RUNNING;
  const held = progress.held;
  progress.held = [];
  touch(run);
  for (const h of held) {
    if (h.target) run.effects.send({ target: fromWireAddress(h.target), typename: h.typename, payload: h.payload });
  }
  cascade(run, Action.UNPAUSE_PIPELINE);
  eventsFor(run.config.events, run.record, run.self, run.effects)?.statusChanged(Status.RUNNING);
}

/** Cancels the run: nothing new is dispatched, `finallyDo` still runs, the outcome is a cancellation. */
export function cancel(run: ActiveRun): void {
  const { progress, ir, self } = run;
  if (!progress.finallyRunning) cancelChildren(run);
  else cascade(run, Action.CANCEL_PIPELINE);
  progress.status = Status.CANCELLING;
  progress.held = [];
  progress.pending = [];
  progress.group = undefined;
  touch(run);
  eventsFor(run.config.events, run.record, self, run.effects)?.statusChanged(Status.CANCELLING);
  progress.outcome = {
    taskResultOrException: { $case: 'taskException', value: exception(ErrorCode.PipelineCancelled, `pipeline '${self.id}' was cancelled`, { id: self.id }) },
  };
  if (progress.finallyRunning) return;
  const last = ir.entries[ir.entries.length - 1];
  if (last?.kind === 'TaskEntry' && last.isFinally) {
    progress.finallyRunning = true;
    dispatchTask(run, last, {});
    return;
  }
  finish(run, Status.CANCELLED);
}
