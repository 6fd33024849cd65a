/**
 * Calls that went on without a result: running in the background (a worker
 * renews their lease with heartbeats, and sends their end as a completion)
 * or deferred (a client completes them with their token). The run keeps
 * waiting for their entry; this file keeps the record of them (see
 * `pending-commands.ts` for what arrives about them).
 *
 * @module
 */
import { TaskAction, type PendingCall, type TaskResult } from '../wire/generated/flinktasks.js';
import type { TaskEntryNode } from '../ir/nodes.js';
import { currentGroup } from './advance.js';
import { singleTaskBranch } from './dispatch.js';
import { actionMessage } from './messages.js';
import { touch, type ActiveRun } from './run.js';

/** The task entry a call of (uid, branch) runs, if the run is waiting for it. */
export function entryOf(run: ActiveRun, uid: number, branch: number, inGroup: boolean): TaskEntryNode | undefined {
  if (inGroup) {
    const group = currentGroup(run);
    const task = group && run.progress.group?.uid === group.uid ? singleTaskBranch(group, branch) : undefined;
    return task?.uid === uid ? task : undefined;
  }
  const entry = run.ir.entries[run.progress.position];
  return run.progress.waiting && entry?.kind === 'TaskEntry' && entry.uid === uid ? entry : undefined;
}

/** Index of the first pending call matching `match`, or -1. */
export function findPending(run: ActiveRun, match: (p: PendingCall) => boolean): number {
  return run.progress.pending.findIndex(match);
}

/** Schedules a look at pending call `p` after `delayMs`. */
export function scheduleCheck(run: ActiveRun, p: PendingCall, delayMs: number): void {
  const { self, record } = run;
  const key = `${record.run}:${p.uid}:${p.branch}:${p.inGroup ? 1 : 0}:${p.attempt}`;
  run.effects.sendAfter({ ...actionMessage(self, TaskAction.CHECK_PENDING, key), delayMs: Math.max(0, Math.ceil(delayMs)) });
}

/** The earliest moment `p` fails unless heard of (0: never). */
export function expiry(p: PendingCall): number {
  const candidates = [p.leaseMs > 0 ? p.leaseExpiresAt : 0, p.deadline].filter((t) => t > 0);
  return candidates.length > 0 ? Math.min(...candidates) : 0;
}

/**
 * A worker accepted a call without a result (`result.accepted`): records it as
 * pending and schedules the look at its lease or deadline.
 */
export function acceptCall(run: ActiveRun, result: TaskResult): void {
  const group = run.progress.group;
  const inGroup = group !== undefined;
  const entry = entryOf(run, result.uid, result.branch, inGroup);
  if (!entry) {
    run.effects.log('debug', 'dropped a notice for a call the pipeline is not waiting for', { pipeline: run.self.id, uid: result.uid });
    return;
  }
  const now = run.effects.now;
  const existing = findPending(run, (p) => p.uid === result.uid && p.branch === result.branch && p.inGroup === inGroup);
  const pending: PendingCall = {
    uid: result.uid,
    branch: result.branch,
    inGroup,
    attempt: result.attempt,
    leaseMs: result.leaseMs,
    leaseExpiresAt: result.leaseMs > 0 ? now + result.leaseMs : 0,
    deferNonce: result.deferNonce,
    deadline: result.deferNonce !== '' && entry.timeoutMs ? now + entry.timeoutMs : 0,
    worker: undefined,
  };
  if (existing >= 0) run.progress.pending.splice(existing, 1, pending);
  else run.progress.pending.push(pending);
  touch(run);
  const at = expiry(pending);
  if (at > 0) scheduleCheck(run, pending, at - now);
}

/** Forgets the pending record of (uid, branch) once its outcome is known. */
export function settlePending(run: ActiveRun, uid: number, branch: number, inGroup: boolean): void {
  const i = findPending(run, (p) => p.uid === uid && p.branch === branch && p.inGroup === inGroup);
  if (i >= 0) {
    run.progress.pending.splice(i, 1);
    touch(run);
  }
}
