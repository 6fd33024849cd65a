/**
 * Automatic splitting of large groups: a group with more branches than a
 * threshold becomes a group of sub-groups, each run by its own child
 * pipeline, whose lists are concatenated (`flatten`). Results are the same,
 * in the same order, and no pipeline key ever aggregates more than
 * `threshold` branches.
 *
 * @module
 */
import { branchCount, GroupEntryNode, PipelineNode, TaskEntryNode, type EntryNode } from './nodes.js';
import { transformPipeline } from './transform.js';

/**
 * Default largest number of branches aggregated by one pipeline key.
 *
 * @example
 * ```ts
 * ir.DEFAULT_SPLIT_THRESHOLD; // 512, also the default of FlinkTasksOptions.groupSplitThreshold
 * new FlinkTasks({ namespace: 'example', workerName: 'worker', groupSplitThreshold: 2 * ir.DEFAULT_SPLIT_THRESHOLD });
 * ```
 */
export const DEFAULT_SPLIT_THRESHOLD = 512;

/**
 * Splits every group with more than `threshold` branches (and no
 * `maxParallelism`, whose limit must stay global) into sub-groups of at most
 * `threshold` branches, hierarchically. uids of new groups continue after
 * the largest uid in the pipeline.
 *
 * @example
 * ```ts
 * const big = inParallel(Array.from({ length: 1000 }, (_, i) => multiply.send(i, 2))).toIR();
 * const split = ir.splitLargeGroups(big, 100); // one group of 10 inline sub-pipelines, each a group of 100
 * ```
 */
export function splitLargeGroups(pipeline: PipelineNode, threshold = DEFAULT_SPLIT_THRESHOLD): PipelineNode {
  if (threshold < 2) throw new RangeError('splitLargeGroups: threshold must be at least 2');
  let nextUid = maxUid(pipeline) + 1;
  const split = (group: GroupEntryNode): EntryNode => {
    const count = branchCount(group);
    if (count <= threshold || group.maxParallelism !== 0) return group;
    const chunks: PipelineNode[] = [];
    for (let i = 0; i < count; i += threshold) {
      // A compact group's parts stay compact: a range of its argument tuples.
      const map = group.map;
      const part = map
        ? GroupEntryNode.cloneWith(group, {
            uid: nextUid++,
            map: { task: TaskEntryNode.cloneWith(map.task, { uid: map.task.uid + i }), args: map.args.slice(i, i + threshold) },
          })
        : GroupEntryNode.cloneWith(group, { uid: nextUid++, branches: group.branches.slice(i, i + threshold) });
      chunks.push(PipelineNode.create({ entries: [part], inline: true, initialState: undefined }));
    }
    return split(GroupEntryNode.cloneWith(group, { branches: chunks, flatten: true }));
  };
  return transformPipeline(pipeline, { GroupEntry: split });
}

/** The largest entry uid in a pipeline (-1 if it has none). */
export function maxUid(pipeline: PipelineNode): number {
  let max = -1;
  for (const e of pipeline.entries) {
    max = Math.max(max, e.uid);
    if (e.kind !== 'GroupEntry') continue;
    if (e.map) max = Math.max(max, e.map.args.length > 0 ? e.map.task.uid + e.map.args.length - 1 : -1);
    else for (const b of e.branches) max = Math.max(max, maxUid(b));
  }
  return max;
}
