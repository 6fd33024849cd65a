/**
 * A transformer over IR nodes: one handler per node kind, each receiving the
 * node with its children already transformed. Adding a node kind fails to
 * compile until every transformer handles it.
 *
 * @module
 */
import { compactBranches } from './compact.js';
import { branchAt, GroupEntryNode, PipelineNode, TaskEntryNode, type EntryNode, type IrNode } from './nodes.js';

type NodeOfKind<K extends IrNode['kind']> = Extract<IrNode, { kind: K }>;

/**
 * Handlers of a transform, by node kind; each may return the node unchanged.
 *
 * @example
 * ```ts
 * const toGpu: ir.TransformHandlers = {
 *   TaskEntry: (t) => (t.taskName === 'multiply' ? ir.TaskEntryNode.cloneWith(t, { workerName: 'gpu' }) : t),
 * };
 * const moved = ir.transformPipeline(pipeline.toIR(), toGpu);
 * ```
 */
export type TransformHandlers = {
  readonly [K in IrNode['kind']]?: (node: NodeOfKind<K>) => NodeOfKind<K> | (K extends 'GroupEntry' | 'TaskEntry' ? EntryNode : never);
};

/**
 * Visitors over IR nodes, called in pre-order, by node kind.
 *
 * @example
 * ```ts
 * const names: string[] = [];
 * const collect: ir.VisitHandlers = { TaskEntry: (t) => names.push(t.taskName) };
 * ir.visitPipeline(multiply.send(3, 2).continueWith(divide, 2).toIR(), collect); // names: ['multiply', 'divide']
 * ```
 */
export type VisitHandlers = {
  readonly [K in IrNode['kind']]?: (node: NodeOfKind<K>, depth: number) => void;
};

/**
 * Rebuilds a pipeline bottom-up, calling the handler of each node's kind after
 * its children were transformed. Nodes that no handler touches are kept as
 * they are (same object).
 *
 * @example
 * ```ts
 * const labelled = ir.transformPipeline(pipeline.toIR(), {
 *   TaskEntry: (t) => ir.TaskEntryNode.cloneWith(t, { displayName: `${t.taskName} (batch)` }),
 * });
 * ```
 */
export function transformPipeline(pipeline: PipelineNode, handlers: TransformHandlers): PipelineNode {
  let changed = false;
  const entries = pipeline.entries.map((e) => {
    const next = transformEntry(e, handlers);
    changed ||= next !== e;
    return next;
  });
  const rebuilt = changed ? PipelineNode.cloneWith(pipeline, { entries }) : pipeline;
  return handlers.Pipeline ? handlers.Pipeline(rebuilt) : rebuilt;
}

function transformEntry(entry: EntryNode, handlers: TransformHandlers): EntryNode {
  switch (entry.kind) {
    case 'TaskEntry':
      return handlers.TaskEntry ? handlers.TaskEntry(entry) : entry;
    case 'GroupEntry':
      return transformGroup(entry, handlers);
    default:
      return assertNever(entry);
  }
}

function assertNever(node: never): never {
  throw new Error(`unknown IR node ${JSON.stringify(node)}`);
}

function transformGroup(entry: GroupEntryNode, handlers: TransformHandlers): EntryNode {
  // A compact group's branches are built only for handlers that look at them.
  if (entry.map && !handlers.Pipeline && !handlers.TaskEntry && !handlers.RetryPolicy) {
    return handlers.GroupEntry ? handlers.GroupEntry(entry) : entry;
  }
  let changed = false;
  const branches = entry.branches.map((b) => {
    const next = transformPipeline(b, handlers);
    changed ||= next !== b;
    return next;
  });
  const rebuilt = changed ? GroupEntryNode.cloneWith(entry, { branches }) : entry;
  return handlers.GroupEntry ? handlers.GroupEntry(rebuilt) : rebuilt;
}

/**
 * Walks a pipeline in pre-order (declaration order), calling the visitor of each node's kind.
 *
 * @example
 * ```ts
 * ir.visitPipeline(pipeline.toIR(), {
 *   TaskEntry: (t, depth) => console.log(`${'  '.repeat(depth)}${t.taskName}`),
 *   GroupEntry: (g, depth) => console.log(`${'  '.repeat(depth)}group of ${g.branches.length}`),
 * });
 * ```
 */
export function visitPipeline(pipeline: PipelineNode, visitor: VisitHandlers, depth = 0): void {
  visitor.Pipeline?.(pipeline, depth);
  for (const entry of pipeline.entries) {
    if (entry.kind === 'TaskEntry') {
      visitor.TaskEntry?.(entry, depth);
      if (entry.retry) visitor.RetryPolicy?.(entry.retry, depth);
    } else {
      visitor.GroupEntry?.(entry, depth);
      if (entry.map) {
        // A compact group's branches are built one at a time (and not kept), and only for visitors that look at them.
        if (!visitor.Pipeline && !visitor.TaskEntry && !visitor.RetryPolicy) continue;
        for (let i = 0; i < entry.map.args.length; i++) visitPipeline(branchAt(entry, i) as PipelineNode, visitor, depth + 1);
        continue;
      }
      for (const branch of entry.branches) visitPipeline(branch, visitor, depth + 1);
    }
  }
}

/**
 * Numbers every entry in pre-order (0, 1, 2 …), so uids are unique within
 * the pipeline. The numbering is deterministic: the same tree gets the same
 * uids. A group whose branches each call the same task comes out compact
 * (see {@link GroupEntryNode.map}): equal to the same group written out,
 * without a node per branch.
 *
 * @example
 * ```ts
 * const node = multiply.send(3, 2).continueWith(divide, 2).toIR();
 * ir.numberEntries(node, 10).entries.map((e) => e.uid); // [10, 11]
 * ```
 */
export function numberEntries(pipeline: PipelineNode, first = 0): PipelineNode {
  let next = first;
  const number = (p: PipelineNode): PipelineNode =>
    PipelineNode.cloneWith(p, {
      entries: p.entries.map((e): EntryNode => {
        const uid = next++;
        if (e.kind === 'TaskEntry') return TaskEntryNode.cloneWith(e, { uid });
        // A group of calls of one task becomes compact: branch i is its task with uid `first + i`.
        const map = compactBranches(e, false);
        if (map) {
          const first = next;
          next += map.args.length;
          return GroupEntryNode.cloneWith(e, { uid, map: { task: TaskEntryNode.cloneWith(map.task, { uid: first }), args: map.args } });
        }
        return GroupEntryNode.cloneWith(e, { uid, branches: e.branches.map(number) });
      }),
    });
  return number(pipeline);
}

/**
 * Counts the entries (tasks and groups) of a pipeline, nested ones included.
 *
 * @example
 * ```ts
 * ir.countEntries(inParallel([multiply.send(1, 2), multiply.send(3, 4)]).continueWith(sum).toIR()); // 4: the group, its two tasks, sum
 * ```
 */
export function countEntries(pipeline: PipelineNode): number {
  let n = 0;
  for (const e of pipeline.entries) {
    n += 1;
    if (e.kind === 'GroupEntry') {
      if (e.map) n += e.map.args.length;
      else for (const b of e.branches) n += countEntries(b);
    }
  }
  return n;
}
