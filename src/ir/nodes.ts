/**
 * The untyped pipeline IR: frozen, immutable nodes that the typed DSL lowers
 * to and that the executor runs. One factory object per node kind, named like
 * the node's interface (`TaskEntryNode.create`, `TaskEntryNode.is`).
 *
 * @module
 */
import type { RetryRules } from '../core/retry-rules.js';
import type { ArgsTable } from './args-table.js';

/**
 * Retry policy of a task entry.
 *
 * @example
 * ```ts
 * const node: ir.RetryPolicyNode = new RetryPolicy({ maxRetries: 3, delayMs: 100 }).node;
 * node.retryFor; // []: every error is retried
 * ```
 */
export interface RetryPolicyNode extends RetryRules {
  /** Node kind. */
  readonly kind: 'RetryPolicy';
}

/**
 * A call of one bound task.
 *
 * @example
 * ```ts
 * const [entry] = multiply.send(3, 2).set({ displayName: 'big multiply' }).toIR().entries;
 * if (entry && ir.TaskEntryNode.is(entry)) console.log(entry.taskName, entry.displayName, entry.workerName); // multiply big multiply worker
 * ```
 */
export interface TaskEntryNode {
  /** Node kind. */
  readonly kind: 'TaskEntry';
  /** Unique within its root pipeline; numbered in pre-order by {@link numberEntries}. */
  readonly uid: number;
  /** Name the task was bound under. */
  readonly taskName: string;
  /** The task's own arguments (for continuations: the extra arguments), superjson-encoded array. */
  readonly args: Uint8Array;
  /** Worker namespace. */
  readonly namespace: string;
  /** Worker function name. */
  readonly workerName: string;
  /** Fixed worker function id (shared task state); `undefined`: a fresh id per call. */
  readonly taskId: string | undefined;
  /** Name shown in events and errors. */
  readonly displayName: string | undefined;
  /** Retry policy, if any. */
  readonly retry: RetryPolicyNode | undefined;
  /** Runs last, on every outcome (`finallyDo`). */
  readonly isFinally: boolean;
  /** Runs only on failure, with the error first (`exceptionally`). */
  readonly isExceptionally: boolean;
  /** The task is bound `withContext`: every call gets its own function address (fresh task state). */
  readonly usesContext: boolean;
  /** Longest one call may run, in ms; after it the call fails with `TaskTimeout`. Absent: no limit. */
  readonly timeoutMs?: number | undefined;
  /** The pipeline pauses once this entry has finished (`pauseAfter()`). */
  readonly pauseAfter?: boolean | undefined;
}

/**
 * Branches that run concurrently; the result is the list of their results.
 *
 * @example
 * ```ts
 * const [group] = inParallel([multiply.send(1, 2), multiply.send(3, 4)], { maxParallelism: 1 }).toIR().entries;
 * if (group && ir.GroupEntryNode.is(group)) console.log(group.branches.length, group.maxParallelism); // 2 1
 * ```
 */
export interface GroupEntryNode {
  /** Node kind. */
  readonly kind: 'GroupEntry';
  /** Unique within its root pipeline. */
  readonly uid: number;
  /** The pipelines run concurrently. */
  readonly branches: readonly PipelineNode[];
  /** At most this many branches in flight; 0 means unlimited. */
  readonly maxParallelism: number;
  /** Results in declaration order (true) or completion order (false). */
  readonly ordered: boolean;
  /** Put each failed branch's error in its slot instead of failing the group. */
  readonly returnExceptions: boolean;
  /** Each branch yields a list; the result is their concatenation (automatic splitting). */
  readonly flatten: boolean;
  /**
   * A continuation (automatic segmentation of long chains): the single
   * branch receives the current value, or the error being carried, as its
   * input, and its outcome passes through unchanged.
   */
  readonly continuation: boolean;
  /** The pipeline pauses once this group has finished (`pauseAfter()`). */
  readonly pauseAfter?: boolean | undefined;
  /**
   * Set on a compact group (a "map": every branch one call of the same task,
   * differing only in its arguments), as the runtime decodes the common
   * fan-out from the wire. `branches` then builds the branches when it is
   * first read; the runtime works from `map` and never builds them. Not
   * enumerable: a compact group equals the same group written out.
   */
  readonly map?: MapBranches | undefined;
}

/**
 * The branches of a compact group: branch `i` calls `task` with uid
 * `task.uid + i` and the arguments `args.at(i)`.
 *
 * @example
 * ```ts
 * if (group.map) console.log(group.map.task.taskName, group.map.args.length); // e.g. noop 250000
 * ```
 */
export interface MapBranches {
  /** The task every branch calls, with the uid of branch 0 (its `args` are empty). */
  readonly task: TaskEntryNode;
  /** Each branch's arguments. */
  readonly args: ArgsTable;
}

/**
 * One step of a pipeline.
 *
 * @example
 * ```ts
 * const describe = (e: ir.EntryNode): string => (e.kind === 'TaskEntry' ? e.taskName : `a group of ${e.branches.length}`);
 * multiply.send(3, 2).continueWith(divide, 2).toIR().entries.map(describe); // ['multiply', 'divide']
 * ```
 */
export type EntryNode = TaskEntryNode | GroupEntryNode;

/**
 * A chain of entries.
 *
 * @example
 * ```ts
 * const node: ir.PipelineNode = multiply.send(3, 2).continueWith(divide, 2).toIR();
 * node.entries.map((e) => e.kind); // ['TaskEntry', 'TaskEntry']
 * ```
 */
export interface PipelineNode {
  /** Node kind. */
  readonly kind: 'Pipeline';
  /** Steps, in order. */
  readonly entries: readonly EntryNode[];
  /** Shares state with the parent (orchestrator child pipelines). */
  readonly inline: boolean;
  /** superjson-encoded starting state (`withInitial`). */
  readonly initialState: Uint8Array | undefined;
}

/**
 * Every IR node.
 *
 * @example
 * ```ts
 * const isEntry = (node: ir.IrNode): node is ir.EntryNode => ir.TaskEntryNode.is(node) || ir.GroupEntryNode.is(node);
 * ```
 */
export type IrNode = PipelineNode | TaskEntryNode | GroupEntryNode | RetryPolicyNode;
/**
 * The `kind` of every IR node.
 *
 * @example
 * ```ts
 * type K = ir.IrNodeKind; // 'Pipeline' | 'TaskEntry' | 'GroupEntry' | 'RetryPolicy'
 * ```
 */
export type IrNodeKind = IrNode['kind'];

const freezeArray = <T>(xs: readonly T[]): readonly T[] => (Object.isFrozen(xs) ? xs : Object.freeze([...xs]));

/**
 * Factory and guard of {@link RetryPolicyNode}.
 *
 * @example
 * ```ts
 * RetryPolicyNode.create({ retryFor: [], maxRetries: 2, delayMs: 100, exponentialBackoff: true, maxDelayMs: 0 });
 * ```
 */
export const RetryPolicyNode = Object.freeze({
  /** Whether `node` is a RetryPolicyNode. */
  is: (node: IrNode): node is RetryPolicyNode => node.kind === 'RetryPolicy',
  /** A new frozen RetryPolicyNode. */
  create: (props: Omit<RetryPolicyNode, 'kind'>): RetryPolicyNode => Object.freeze({ kind: 'RetryPolicy', ...props, retryFor: freezeArray(props.retryFor) }),
});

/**
 * Factory and guard of {@link TaskEntryNode}.
 *
 * @example
 * ```ts
 * TaskEntryNode.cloneWith(entry, { displayName: 'renamed' });
 * ```
 */
export const TaskEntryNode = Object.freeze({
  /** Whether `node` is a TaskEntryNode. */
  is: (node: IrNode): node is TaskEntryNode => node.kind === 'TaskEntry',
  /** A new frozen TaskEntryNode. */
  create: (props: Omit<TaskEntryNode, 'kind'>): TaskEntryNode => Object.freeze({ kind: 'TaskEntry', ...props }),
  /** A frozen copy of `node` with `props` replaced. */
  cloneWith: (node: TaskEntryNode, props: Partial<Omit<TaskEntryNode, 'kind'>>): TaskEntryNode => Object.freeze({ ...node, ...props }),
});

/** The fields of a GroupEntryNode besides its branches, copied from `props` (a `pauseAfter` only when given). */
function groupFields(props: Omit<GroupEntryNode, 'kind' | 'branches' | 'map'>) {
  return {
    kind: 'GroupEntry' as const,
    uid: props.uid,
    maxParallelism: props.maxParallelism,
    ordered: props.ordered,
    returnExceptions: props.returnExceptions,
    flatten: props.flatten,
    continuation: props.continuation,
    ...(props.pauseAfter !== undefined ? { pauseAfter: props.pauseAfter } : {}),
  };
}

/**
 * Factory and guard of {@link GroupEntryNode}.
 *
 * @example
 * ```ts
 * const groups = pipeline.toIR().entries.filter(ir.GroupEntryNode.is);
 * ```
 */
export const GroupEntryNode = Object.freeze({
  /** Whether `node` is a GroupEntryNode. */
  is: (node: IrNode): node is GroupEntryNode => node.kind === 'GroupEntry',
  /** A new frozen GroupEntryNode. */
  create: (props: Omit<GroupEntryNode, 'kind' | 'map'>): GroupEntryNode => Object.freeze({ ...groupFields(props), branches: freezeArray(props.branches) }),
  /** A new frozen compact GroupEntryNode (see {@link GroupEntryNode.map}): its branches are built when first read. */
  createMap: (props: Omit<GroupEntryNode, 'kind' | 'branches' | 'map'> & { readonly map: MapBranches }): GroupEntryNode => {
    let built: readonly PipelineNode[] | undefined;
    const node = { ...groupFields(props), branches: [] as readonly PipelineNode[] };
    // Not enumerable: a compact group compares equal to the same group with its branches written out.
    Object.defineProperty(node, 'map', { enumerable: false, value: props.map });
    Object.defineProperty(node, 'branches', {
      enumerable: true,
      get: (): readonly PipelineNode[] => {
        built ??= Object.freeze(Array.from({ length: props.map.args.length }, (_, i) => mapBranch(props.map, i)));
        return built;
      },
    });
    return Object.freeze(node);
  },
  /** A frozen copy of `node` with `props` replaced (a compact group stays compact unless `props` gives branches). */
  cloneWith: (node: GroupEntryNode, props: Partial<Omit<GroupEntryNode, 'kind'>>): GroupEntryNode => {
    const fields = {
      uid: props.uid ?? node.uid,
      maxParallelism: props.maxParallelism ?? node.maxParallelism,
      ordered: props.ordered ?? node.ordered,
      returnExceptions: props.returnExceptions ?? node.returnExceptions,
      flatten: props.flatten ?? node.flatten,
      continuation: props.continuation ?? node.continuation,
      ...('pauseAfter' in props ? { pauseAfter: props.pauseAfter } : node.pauseAfter !== undefined ? { pauseAfter: node.pauseAfter } : {}),
    };
    const map = props.map ?? (props.branches === undefined ? node.map : undefined);
    return map !== undefined ? GroupEntryNode.createMap({ ...fields, map }) : GroupEntryNode.create({ ...fields, branches: props.branches ?? node.branches });
  },
});

/** The task that branch `i` of a compact group calls. */
export function mapTask(map: MapBranches, i: number): TaskEntryNode {
  return TaskEntryNode.cloneWith(map.task, { uid: map.task.uid + i, args: map.args.at(i) });
}

/** Branch `i` of a compact group, as a pipeline. */
function mapBranch(map: MapBranches, i: number): PipelineNode {
  return PipelineNode.create({ entries: [mapTask(map, i)], inline: false, initialState: undefined });
}

/**
 * How many branches a group has (without building a compact group's branches).
 *
 * @example
 * ```ts
 * ir.branchCount(group); // group.branches.length, cheaply
 * ```
 */
export function branchCount(group: GroupEntryNode): number {
  return group.map ? group.map.args.length : group.branches.length;
}

/**
 * Branch `i` of a group (built on its own for a compact group), or `undefined` past the last.
 *
 * @example
 * ```ts
 * const first = ir.branchAt(group, 0);
 * ```
 */
export function branchAt(group: GroupEntryNode, i: number): PipelineNode | undefined {
  if (!group.map) return group.branches[i];
  return Number.isInteger(i) && i >= 0 && i < group.map.args.length ? mapBranch(group.map, i) : undefined;
}

/**
 * Factory and guard of {@link PipelineNode}.
 *
 * @example
 * ```ts
 * PipelineNode.create({ entries: [entry], inline: false, initialState: undefined });
 * ```
 */
export const PipelineNode = Object.freeze({
  /** Whether `node` is a PipelineNode. */
  is: (node: IrNode): node is PipelineNode => node.kind === 'Pipeline',
  /** A new frozen PipelineNode. */
  create: (props: Omit<PipelineNode, 'kind'>): PipelineNode => Object.freeze({ kind: 'Pipeline', ...props, entries: freezeArray(props.entries) }),
  /** A frozen copy of `node` with `props` replaced. */
  cloneWith: (node: PipelineNode, props: Partial<Omit<PipelineNode, 'kind'>>): PipelineNode => PipelineNode.create({ ...node, ...props }),
});
