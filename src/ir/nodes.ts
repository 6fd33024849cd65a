/**
 * The untyped pipeline IR: frozen, immutable nodes that the typed DSL lowers
 * to and that the executor runs. One factory object per node kind, named like
 * the node's interface (`TaskEntryNode.create`, `TaskEntryNode.is`).
 *
 * @module
 */

/** Retry policy of a task entry. */
export interface RetryPolicyNode {
  readonly kind: 'RetryPolicy';
  /** Error class names to retry; empty means every error. */
  readonly retryFor: readonly string[];
  readonly maxRetries: number;
  readonly delayMs: number;
  readonly exponentialBackoff: boolean;
  /** Upper bound of one delay; 0 means none. */
  readonly maxDelayMs: number;
}

/** A call of one bound task. */
export interface TaskEntryNode {
  readonly kind: 'TaskEntry';
  /** Unique within its root pipeline; numbered in pre-order by {@link numberEntries}. */
  readonly uid: number;
  /** Name the task was bound under. */
  readonly taskName: string;
  /** The task's own arguments (for continuations: the extra arguments), superjson-encoded array. */
  readonly args: Uint8Array;
  readonly namespace: string;
  readonly workerName: string;
  /** Fixed worker function id (shared task state); `undefined`: a fresh id per call. */
  readonly taskId: string | undefined;
  readonly displayName: string | undefined;
  readonly retry: RetryPolicyNode | undefined;
  /** Runs last, on every outcome (`finallyDo`). */
  readonly isFinally: boolean;
  /** Runs only on failure, with the error first (`exceptionally`). */
  readonly isExceptionally: boolean;
}

/** Branches that run concurrently; the result is the list of their results. */
export interface GroupEntryNode {
  readonly kind: 'GroupEntry';
  readonly uid: number;
  readonly branches: readonly PipelineNode[];
  /** At most this many branches in flight; 0 means unlimited. */
  readonly maxParallelism: number;
  /** Results in declaration order (true) or completion order (false). */
  readonly ordered: boolean;
  /** Put each failed branch's error in its slot instead of failing the group. */
  readonly returnExceptions: boolean;
  /** Each branch yields a list; the result is their concatenation (automatic splitting). */
  readonly flatten: boolean;
}

/** One step of a pipeline. */
export type EntryNode = TaskEntryNode | GroupEntryNode;

/** A chain of entries. */
export interface PipelineNode {
  readonly kind: 'Pipeline';
  readonly entries: readonly EntryNode[];
  /** Shares state with the parent (orchestrator child pipelines). */
  readonly inline: boolean;
  /** superjson-encoded starting state (`withInitial`). */
  readonly initialState: Uint8Array | undefined;
}

/** Every IR node. */
export type IrNode = PipelineNode | TaskEntryNode | GroupEntryNode | RetryPolicyNode;
/** The `kind` of every IR node. */
export type IrNodeKind = IrNode['kind'];

const freezeArray = <T>(xs: readonly T[]): readonly T[] => (Object.isFrozen(xs) ? xs : Object.freeze([...xs]));

/** Factory and guard of {@link RetryPolicyNode}. */
export const RetryPolicyNode = Object.freeze({
  is: (node: IrNode): node is RetryPolicyNode => node.kind === 'RetryPolicy',
  create: (props: Omit<RetryPolicyNode, 'kind'>): RetryPolicyNode =>
    Object.freeze({ kind: 'RetryPolicy', ...props, retryFor: freezeArray(props.retryFor) }),
});

/** Factory and guard of {@link TaskEntryNode}. */
export const TaskEntryNode = Object.freeze({
  is: (node: IrNode): node is TaskEntryNode => node.kind === 'TaskEntry',
  create: (props: Omit<TaskEntryNode, 'kind'>): TaskEntryNode => Object.freeze({ kind: 'TaskEntry', ...props }),
  cloneWith: (node: TaskEntryNode, props: Partial<Omit<TaskEntryNode, 'kind'>>): TaskEntryNode =>
    Object.freeze({ ...node, ...props }),
});

/** Factory and guard of {@link GroupEntryNode}. */
export const GroupEntryNode = Object.freeze({
  is: (node: IrNode): node is GroupEntryNode => node.kind === 'GroupEntry',
  create: (props: Omit<GroupEntryNode, 'kind'>): GroupEntryNode =>
    Object.freeze({ kind: 'GroupEntry', ...props, branches: freezeArray(props.branches) }),
  cloneWith: (node: GroupEntryNode, props: Partial<Omit<GroupEntryNode, 'kind'>>): GroupEntryNode =>
    GroupEntryNode.create({ ...node, ...props }),
});

/** Factory and guard of {@link PipelineNode}. */
export const PipelineNode = Object.freeze({
  is: (node: IrNode): node is PipelineNode => node.kind === 'Pipeline',
  create: (props: Omit<PipelineNode, 'kind'>): PipelineNode =>
    Object.freeze({ kind: 'Pipeline', ...props, entries: freezeArray(props.entries) }),
  cloneWith: (node: PipelineNode, props: Partial<Omit<PipelineNode, 'kind'>>): PipelineNode =>
    PipelineNode.create({ ...node, ...props }),
});
