/**
 * The shape of a pipeline: what a picture or a dashboard needs of the IR
 * (task names, roles, groups and their sizes), without arguments, and with
 * large groups cut to their first branches so that a shape stays small even
 * for a 250,000-branch group. Events carry shapes; `toMermaid` draws them.
 *
 * @module
 */
import { branchAt, branchCount, type EntryNode, type PipelineNode } from './nodes.js';

/**
 * A task in a {@link PipelineShape}.
 *
 * @example
 * ```ts
 * const t: ShapeTask = { kind: 'task', uid: 0, taskName: 'multiply', displayName: 'multiply', role: 'task' };
 * ```
 */
export interface ShapeTask {
  /** Entry kind. */
  readonly kind: 'task';
  /** The entry's uid in its pipeline (what task events refer to). */
  readonly uid: number;
  /** Name the task was bound under. */
  readonly taskName: string;
  /** Name to show: the display name, or the task name. */
  readonly displayName: string;
  /** `exceptionally` handler, `finallyDo` task, or an ordinary step. */
  readonly role: 'task' | 'exceptionally' | 'finally';
}

/**
 * A group in a {@link PipelineShape}: at most `maxBranches` of its branches
 * (see {@link shapeOf}) and the count of all of them.
 *
 * @example
 * ```ts
 * const g: ShapeGroup = { kind: 'group', uid: 0, branchCount: 250_000, branches: [], ordered: true, returnExceptions: false, maxParallelism: 0 };
 * ```
 */
export interface ShapeGroup {
  /** Entry kind. */
  readonly kind: 'group';
  /** The group's uid. */
  readonly uid: number;
  /** How many branches the group has. */
  readonly branchCount: number;
  /** The first branches (all of them when `branchCount` is small). */
  readonly branches: readonly PipelineShape[];
  /** Results in declaration order. */
  readonly ordered: boolean;
  /** Failed branches' errors stand in their slots. */
  readonly returnExceptions: boolean;
  /** At most this many branches in flight (0: unlimited). */
  readonly maxParallelism: number;
}

/**
 * One entry of a {@link PipelineShape}.
 *
 * @example
 * ```ts
 * const labels = shape.entries.map((e: ShapeEntry) => (e.kind === 'task' ? e.displayName : `group of ${e.branchCount}`));
 * ```
 */
export type ShapeEntry = ShapeTask | ShapeGroup;

/**
 * A chain of entries: the shape of a pipeline or of a group's branch.
 *
 * @example
 * ```ts
 * const shape: PipelineShape = shapeOf(multiply.send(3, 2).continueWith(divide, 2).toIR());
 * shape.entries.length; // 2
 * ```
 */
export interface PipelineShape {
  /** The entries in order. */
  readonly entries: readonly ShapeEntry[];
}

/**
 * Groups keep at most this many branches in a shape by default.
 *
 * @example
 * ```ts
 * const shape = shapeOf(pipeline.toIR(), 2 * SHAPE_MAX_BRANCHES); // keep more branches of each group
 * ```
 */
export const SHAPE_MAX_BRANCHES = 64;

/**
 * The shape of an IR pipeline; groups keep their first `maxBranches` branches.
 *
 * @example
 * ```ts
 * const shape = shapeOf(inParallel(Array.from({ length: 1000 }, (_, i) => multiply.send(i, 2))).toIR());
 * const [group] = shape.entries; // { kind: 'group', branchCount: 1000, branches: (64 of them) … }
 * ```
 */
export function shapeOf(pipeline: PipelineNode, maxBranches: number = SHAPE_MAX_BRANCHES): PipelineShape {
  return { entries: pipeline.entries.map((e) => entryShape(e, maxBranches)) };
}

function entryShape(entry: EntryNode, maxBranches: number): ShapeEntry {
  if (entry.kind === 'TaskEntry') {
    return {
      kind: 'task',
      uid: entry.uid,
      taskName: entry.taskName,
      displayName: entry.displayName ?? entry.taskName,
      role: entry.isFinally ? 'finally' : entry.isExceptionally ? 'exceptionally' : 'task',
    };
  }
  return {
    kind: 'group',
    uid: entry.uid,
    branchCount: branchCount(entry),
    branches: Array.from({ length: Math.min(maxBranches, branchCount(entry)) }, (_, i) => shapeOf(branchAt(entry, i) as PipelineNode, maxBranches)),
    ordered: entry.ordered,
    returnExceptions: entry.returnExceptions,
    maxParallelism: entry.maxParallelism,
  };
}
