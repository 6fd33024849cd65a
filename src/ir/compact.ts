/**
 * Finding compact groups: a group whose branches are each one call of the
 * same task (same settings), differing only in arguments, is kept as the
 * task and its argument tuples (see {@link GroupEntryNode.map}).
 *
 * @module
 */
import { ArgsTable } from './args-table.js';
import { TaskEntryNode, type GroupEntryNode, type MapBranches, type PipelineNode, type RetryPolicyNode } from './nodes.js';

const EMPTY = new Uint8Array(0);

function sameRetry(a: RetryPolicyNode | undefined, b: RetryPolicyNode | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.maxRetries === b.maxRetries &&
    a.delayMs === b.delayMs &&
    a.exponentialBackoff === b.exponentialBackoff &&
    a.maxDelayMs === b.maxDelayMs &&
    a.retryFor.length === b.retryFor.length &&
    a.retryFor.every((r, i) => r === b.retryFor[i])
  );
}

/**
 * The compact form of `group` when its branches (two or more) are each one
 * plain call of the same task, differing only in arguments; `undefined`
 * otherwise. With `numbered`, the calls must also have consecutive uids (as
 * numbering gives them), which the compact form implies.
 */
export function compactBranches(group: GroupEntryNode, numbered: boolean): MapBranches | undefined {
  if (group.map) return group.map;
  const branches = group.branches;
  if (branches.length < 2 || group.continuation) return undefined;
  const first = branches[0]?.entries[0];
  if (first?.kind !== 'TaskEntry') return undefined;
  const args: Uint8Array[] = new Array<Uint8Array>(branches.length);
  for (let i = 0; i < branches.length; i++) {
    const b = branches[i] as PipelineNode;
    const t = b.entries[0];
    if (b.entries.length !== 1 || b.inline || b.initialState !== undefined || t?.kind !== 'TaskEntry') return undefined;
    if ((numbered && t.uid !== first.uid + i) || t.isFinally || t.isExceptionally || t.pauseAfter === true) return undefined;
    if (
      t !== first &&
      (t.taskName !== first.taskName ||
        t.namespace !== first.namespace ||
        t.workerName !== first.workerName ||
        t.taskId !== first.taskId ||
        t.displayName !== first.displayName ||
        t.usesContext !== first.usesContext ||
        t.timeoutMs !== first.timeoutMs ||
        !sameRetry(t.retry, first.retry))
    )
      return undefined;
    args[i] = t.args;
  }
  return { task: TaskEntryNode.cloneWith(first, { args: EMPTY }), args: ArgsTable.of(args) };
}
