/**
 * Moving a run forward: from its current position, skip what an error
 * skips, dispatch the next task or start the next group, or end the chain;
 * and combine a group's branches once all have ended.
 *
 * @module
 */
import { ErrorCode } from '../core/error-codes.js';
import { branchCount, mapTask, type EntryNode, type GroupEntryNode, type TaskEntryNode } from '../ir/nodes.js';
import { formatBytes } from '../wire/sizes.js';
import { Status } from '../wire/status.js';
import { emptyListValue } from '../wire/value-bytes.js';
import { toValueBytes } from '../wire/values.js';
import { dispatchBranch, dispatchMapBranches, dispatchTask } from './dispatch.js';
import { eventsFor } from './events.js';
import { endChain } from './finish.js';
import { groupOutcome, mergeBranchStates, undefinedValue, type GroupOutcome } from './group-outcome.js';
import { cancelChildren, pause } from './control.js';
import { exception } from './messages.js';
import { touch, type ActiveRun } from './run.js';
import { newGroupProgress, plainListValue, readSlots } from './slots.js';

/** Runs the chain from the current position until something is dispatched or the chain ends. */
export function advance(run: ActiveRun): void {
  const { progress, ir } = run;
  const skipped: TaskEntryNode[] = [];
  const reportSkipped = (): void => {
    if (skipped.length > 0) eventsFor(run.config.events, run.record, run.self, run.effects)?.skipped(skipped);
  };
  for (;;) {
    const entry = ir.entries[progress.position];
    if (entry === undefined || (entry.kind === 'TaskEntry' && entry.isFinally)) {
      reportSkipped();
      // Paused after its last step: the pipeline ends when it is unpaused.
      if (progress.status === Status.PAUSED) {
        touch(run);
        return;
      }
      endChain(run, entry);
      return;
    }
    if (progress.error) {
      if (entry.kind === 'TaskEntry' && entry.isExceptionally) {
        dispatchTask(run, entry, { inputError: progress.error });
        break;
      }
      // A segment can only handle the error if it has an exceptionally.
      if (entry.kind === 'GroupEntry' && entry.continuation && handlesErrors(entry)) {
        startGroup(run, entry);
        break;
      }
      // Only events report them (a skipped compact group's tasks are built just for that).
      if (run.config.events) collectTasks(entry, skipped);
      progress.position += 1;
      continue;
    }
    if (entry.kind === 'TaskEntry') {
      if (entry.isExceptionally) {
        progress.position += 1;
        continue;
      }
      dispatchTask(run, entry, { input: progress.value });
      break;
    }
    if (branchCount(entry) === 0) {
      progress.value = emptyListValue();
      progress.position += 1;
      continue;
    }
    startGroup(run, entry);
    break;
  }
  reportSkipped();
  touch(run);
}

/** Dispatches the first branches of `group` (all of them, or `maxParallelism`). */
function startGroup(run: ActiveRun, group: GroupEntryNode): void {
  const { progress } = run;
  const count = branchCount(group);
  const limit = group.maxParallelism > 0 ? Math.min(group.maxParallelism, count) : count;
  progress.group = newGroupProgress(group.uid, limit, count);
  progress.waiting = true;
  progress.waitingUid = group.uid;
  if (group.map)
    dispatchMapBranches(
      run,
      group,
      Array.from({ length: limit }, (_, b) => b),
    );
  else for (let b = 0; b < limit; b++) dispatchBranch(run, group, b);
}

/** Every branch of `group` has ended: combine them and move on. */
export function completeGroup(run: ActiveRun, group: GroupEntryNode): void {
  const { progress } = run;
  // Branches that all ended with a plain value (no error, no state): their list, straight from the slots' bytes.
  const plain = progress.group && !group.continuation && !group.flatten ? plainListValue(progress.group, group.ordered, undefinedValue()) : undefined;
  if (plain) {
    if (group.pauseAfter) pause(run);
    moveOn(run, { value: plain });
    return;
  }
  const slots = progress.group ? readSlots(progress.group) : [];
  const only = slots[0];
  // A continuation's outcome passes through; a group's is the list of its branches.
  const outcome =
    group.continuation && only
      ? only.error
        ? { error: only.error }
        : { value: only.value && only.value.byteLength > 0 ? only.value : toValueBytes(undefined) }
      : groupOutcome(group, slots);
  progress.state = mergeBranchStates(progress.state, slots);
  if (group.pauseAfter) pause(run);
  moveOn(run, outcome);
}

/**
 * The finished branches' values add up to more than `limits.maxValueBytes`:
 * the group fails now (its state would otherwise outgrow what StateFun can
 * ship); branches still running are cancelled or their results dropped.
 */
export function abortOversizedGroup(run: ActiveRun, group: GroupEntryNode): void {
  const bytes = run.progress.group?.valueBytes ?? 0;
  const limit = run.config.limits.maxValueBytes;
  cancelChildren(run);
  moveOn(run, {
    error: exception(
      ErrorCode.MessageSizeExceeded,
      `the results of group #${group.uid} add up to more than ${formatBytes(limit)} (limits.maxValueBytes; ${formatBytes(bytes)} after ${run.progress.group?.finished ?? 0} of ${branchCount(group)} branches)`,
      { id: run.record.pipelineId },
    ),
  });
}

/** The current group has ended with `outcome`: the chain continues after it. */
function moveOn(run: ActiveRun, outcome: GroupOutcome): void {
  const { progress } = run;
  if ('value' in outcome) {
    progress.value = outcome.value;
    progress.error = undefined;
  } else {
    progress.error = outcome.error;
    progress.value = undefined;
  }
  progress.group = undefined;
  progress.pending = [];
  progress.waiting = false;
  progress.position += 1;
  touch(run);
  advance(run);
}

/** After unpausing: moves on if the run was held at its end (nothing in flight, nothing dispatched). */
export function resume(run: ActiveRun): void {
  const { progress } = run;
  if (!progress.waiting && !progress.group && !progress.finallyRunning && !progress.outcome) advance(run);
}

/** The group at the run's current position, if the current entry is one. */
export function currentGroup(run: ActiveRun): GroupEntryNode | undefined {
  const entry = run.ir.entries[run.progress.position];
  return entry?.kind === 'GroupEntry' ? entry : undefined;
}

function handlesErrors(entry: EntryNode): boolean {
  if (entry.kind === 'TaskEntry') return entry.isExceptionally;
  if (entry.map) return false; // a compact group's branches are plain calls
  return entry.continuation && entry.branches.some((b) => b.entries.some(handlesErrors));
}

function collectTasks(entry: EntryNode, into: TaskEntryNode[]): void {
  if (entry.kind === 'TaskEntry') {
    into.push(entry);
    return;
  }
  if (entry.map) {
    for (let i = 0; i < entry.map.args.length; i++) into.push(mapTask(entry.map, i));
    return;
  }
  for (const b of entry.branches) for (const e of b.entries) collectTasks(e, into);
}
