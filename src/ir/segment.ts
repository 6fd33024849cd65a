/**
 * Automatic segmentation of long chains: a chain with more entries than a
 * segment length becomes a chain of continuations, each a child pipeline
 * running one segment, which receives the current value (or the error being
 * carried) as its input. Every task then runs in a key whose state holds at
 * most one segment, and the key holding the continuations handles one
 * message per segment (hierarchically, for very long chains), so the state
 * shipped per step stays bounded instead of growing with the chain.
 * `finallyDo` stays with the outermost pipeline.
 *
 * @module
 */
import { GroupEntryNode, PipelineNode, type EntryNode } from './nodes.js';
import { maxUid } from './split.js';

/**
 * Default largest number of entries one pipeline key holds in a chain.
 *
 * @example
 * ```ts
 * ir.DEFAULT_SEGMENT_LENGTH; // 512, also the default of FlinkTasksOptions.chainSegmentLength
 * new FlinkTasks({ namespace: 'example', workerName: 'worker', chainSegmentLength: 2 * ir.DEFAULT_SEGMENT_LENGTH });
 * ```
 */
export const DEFAULT_SEGMENT_LENGTH = 512;

/**
 * Segments every chain (the root and group branches) longer than `length`.
 * uids of new continuation groups continue after the largest uid.
 *
 * @example
 * ```ts
 * const segmented = segmentLongChains(longChain.toIR(), 512);
 * ```
 */
export function segmentLongChains(pipeline: PipelineNode, length = DEFAULT_SEGMENT_LENGTH): PipelineNode {
  if (length < 2) throw new RangeError('segmentLongChains: length must be at least 2');
  let nextUid = maxUid(pipeline) + 1;
  const continuation = (entries: readonly EntryNode[]): GroupEntryNode =>
    GroupEntryNode.create({
      uid: nextUid++,
      branches: [PipelineNode.create({ entries, inline: true, initialState: undefined })],
      maxParallelism: 0,
      ordered: true,
      returnExceptions: false,
      flatten: false,
      continuation: true,
    });
  // Cuts a chain into continuations of at most `length` entries each, and
  // the resulting chain of continuations again, until it is short enough.
  const cut = (body: readonly EntryNode[]): readonly EntryNode[] => {
    if (body.length <= length) return body;
    const segments: EntryNode[] = [];
    for (let i = 0; i < body.length; i += length) segments.push(continuation(body.slice(i, i + length)));
    return cut(segments);
  };
  const segment = (p: PipelineNode): PipelineNode => {
    const last = p.entries[p.entries.length - 1];
    const finallyEntry = last?.kind === 'TaskEntry' && last.isFinally ? last : undefined;
    const body = finallyEntry ? p.entries.slice(0, -1) : p.entries;
    if (body.length <= length) return p;
    return PipelineNode.cloneWith(p, { entries: finallyEntry ? [...cut(body), finallyEntry] : cut(body) });
  };
  // Bottom-up over every chain; a compact group's branches are single tasks, never long chains.
  const walk = (p: PipelineNode): PipelineNode => {
    let changed = false;
    const entries = p.entries.map((e) => {
      if (e.kind !== 'GroupEntry' || e.map) return e;
      let inner = false;
      const branches = e.branches.map((b) => {
        const next = walk(b);
        inner ||= next !== b;
        return next;
      });
      if (!inner) return e;
      changed = true;
      return GroupEntryNode.cloneWith(e, { branches });
    });
    return segment(changed ? PipelineNode.cloneWith(p, { entries }) : p);
  };
  return walk(pipeline);
}
