/**
 * Results and errors of tasks and child pipelines: matched with what the run
 * waits for, recorded in the current group or the chain, and the run moved on.
 *
 * @module
 */
import { branchCount } from '../ir/nodes.js';
import type { MapResults, TaskException, TaskResult } from '../wire/generated/flinktasks.js';
import type { TupleBounds } from '../wire/tuple-bounds.js';
import { ACTIVE_STATUSES, Status } from '../wire/status.js';
import { exceptionBytes, valueBytes } from '../wire/sizes.js';
import { abortOversizedGroup, advance, completeGroup, currentGroup } from './advance.js';
import { pause } from './control.js';
import { dispatchBranch, singleTaskBranch } from './dispatch.js';
import { eventsFor } from './events.js';
import { finallyDone } from './finish.js';
import { acceptCall, settlePending } from './pending.js';
import { loadRun, touch, type Step } from './run.js';
import { appendSlot, appendValueSlot, isFinished } from './slots.js';

/** A task's (or child pipeline's) outcome: a result or an error. */
export type Outcome = { readonly result: TaskResult; readonly error?: undefined } | { readonly result?: undefined; readonly error: TaskException };

/**
 * Records the results of a map request's calls (`MapResults`: each stands
 * for the `TaskResult` its call would have sent alone), as `onOutcome` of
 * each in order would. While they are plain results for the current group
 * of an active run, each is recorded straight from the packed values
 * (`bounds`: where each starts and ends), without a result object or a view
 * per call; anything else (the group ends, another run, a finally task)
 * goes through `onOutcome`.
 */
export function onMapResults(step: Step, results: MapResults, bounds: TupleBounds): void {
  const { branches } = results;
  const n = branches.length;
  let j = 0;
  const run = loadRun(step);
  const gp = run?.progress.group;
  const group = run ? currentGroup(run) : undefined;
  if (
    run &&
    gp &&
    group?.uid === gp.uid &&
    results.invocationId === run.record.invocationId &&
    run.progress.status !== Status.CANCELLING &&
    ACTIVE_STATUSES.has(run.progress.status) &&
    !run.progress.finallyRunning
  ) {
    const { progress } = run;
    const count = branchCount(group);
    const maxValueBytes = run.config.limits.maxValueBytes;
    const bytes = results.values;
    const events = eventsFor(run.config.events, run.record, run.self, run.effects);
    // A compact group's branch is its task (not built just for the event), as in onOutcome.
    const mapTask = group.map && !group.continuation && !group.map.task.isFinally ? group.map.task : undefined;
    for (; j < n && progress.group === gp; j++) {
      const branch = branches[j] as number;
      if (branch >= count || isFinished(gp, branch)) continue;
      if (progress.pending.length > 0) settlePending(run, results.uid + branch, branch, true);
      const start = bounds.starts[j] as number;
      const end = bounds.ends[j] as number;
      appendValueSlot(gp, branch, bytes, start, end);
      if (events) {
        const task = mapTask ? { uid: mapTask.uid + branch, taskName: mapTask.taskName, displayName: mapTask.displayName } : singleTaskBranch(group, branch);
        if (task) events.taskFinished(task, branch, undefined);
      }
      gp.finished += 1;
      gp.valueBytes += end - start;
      touch(run);
      if (gp.valueBytes > maxValueBytes) {
        abortOversizedGroup(run, group);
        continue;
      }
      if (gp.dispatched < count) {
        dispatchBranch(run, group, gp.dispatched);
        gp.dispatched += 1;
      }
      if (gp.finished === count) completeGroup(run, group);
    }
  }
  for (; j < n; j++) {
    const branch = branches[j] as number;
    const uid = results.uid + branch;
    onOutcome(step, {
      result: {
        id: `${results.id}${uid}`,
        taskName: results.taskName,
        result: results.values.subarray(bounds.starts[j], bounds.ends[j]),
        state: undefined,
        invocationId: results.invocationId,
        uid,
        pauseAfter: false,
        branch,
        childPipelineId: '',
        accepted: false,
        leaseMs: 0,
        deferNonce: '',
        attempt: 0,
      },
    });
  }
}

/** Records an outcome and moves the run on. */
export function onOutcome(step: Step, outcome: Outcome): void {
  const { result, error } = outcome;
  const msg = result ?? error;
  const run = loadRun(step);
  if (run?.record.invocationId !== msg.invocationId) {
    step.effects.log('debug', 'dropped a result of another run', { pipeline: step.self.id, invocationId: msg.invocationId, uid: msg.uid });
    return;
  }
  const { progress } = run;
  if (!ACTIVE_STATUSES.has(progress.status)) {
    step.effects.log('debug', 'dropped a result after the pipeline ended', { pipeline: step.self.id, uid: msg.uid });
    return;
  }
  if (result?.accepted) {
    // The call goes on without a result (background or deferred): keep waiting, with a lease or deadline.
    acceptCall(run, result);
    return;
  }
  const childPipelineId = result?.childPipelineId ?? '';
  const events = eventsFor(run.config.events, run.record, run.self, run.effects);
  if (progress.finallyRunning) {
    if (childPipelineId === '' && progress.waiting && msg.uid === progress.waitingUid) {
      const last = run.ir.entries[run.ir.entries.length - 1];
      if (last?.kind === 'TaskEntry') events?.taskFinished(last, undefined, error);
      finallyDone(run, error);
    }
    return;
  }
  if (progress.status === Status.CANCELLING) return;

  if (progress.group) {
    const group = currentGroup(run);
    if (group?.uid !== progress.group.uid) return;
    const count = branchCount(group);
    if (msg.branch >= count || isFinished(progress.group, msg.branch)) return;
    if (childPipelineId !== '') {
      progress.group.children[msg.branch] = childPipelineId;
      touch(run);
      return;
    }
    settlePending(run, msg.uid, msg.branch, true);
    appendSlot(progress.group, error ? { index: msg.branch, error } : { index: msg.branch, value: result?.result, state: result?.state });
    // A compact group's branch is its task (not built just for the event).
    const task = !events
      ? undefined
      : group.map && !group.continuation && !group.map.task.isFinally
        ? { uid: group.map.task.uid + msg.branch, taskName: group.map.task.taskName, displayName: group.map.task.displayName }
        : singleTaskBranch(group, msg.branch);
    if (task) events?.taskFinished(task, msg.branch, error);
    progress.group.finished += 1;
    progress.group.valueBytes += (error ? exceptionBytes(error) : valueBytes(result?.result)) + (result?.state?.byteLength ?? 0);
    touch(run);
    if (progress.group.valueBytes > run.config.limits.maxValueBytes) {
      abortOversizedGroup(run, group);
      return;
    }
    if (msg.pauseAfter) pause(run);
    if (progress.group.dispatched < count) {
      dispatchBranch(run, group, progress.group.dispatched);
      progress.group.dispatched += 1;
    }
    if (progress.group.finished === count) completeGroup(run, group);
    return;
  }

  if (!progress.waiting || msg.uid !== progress.waitingUid) {
    step.effects.log('debug', 'dropped an unexpected result', { pipeline: step.self.id, uid: msg.uid });
    return;
  }
  if (childPipelineId !== '') {
    progress.childPipelineId = childPipelineId;
    touch(run);
    return;
  }
  const entry = run.ir.entries[progress.position];
  if (entry?.kind === 'TaskEntry') events?.taskFinished(entry, undefined, error);
  settlePending(run, msg.uid, msg.branch, false);
  progress.waiting = false;
  progress.childPipelineId = '';
  progress.position += 1;
  if (error) {
    progress.error = error;
    progress.value = undefined;
    if (error.state) progress.state = error.state;
  } else {
    progress.value = result.result;
    progress.error = undefined;
    if (result.state) progress.state = result.state;
  }
  touch(run);
  if (msg.pauseAfter || entry?.pauseAfter) pause(run);
  advance(run);
}
