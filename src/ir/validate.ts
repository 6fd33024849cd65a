/**
 * Structural checks of a pipeline IR, with messages that say what is wrong
 * and where.
 *
 * @module
 */
import { PipelineError } from '../core/errors.js';
import { PipelineNode, type EntryNode } from './nodes.js';

/**
 * Throws {@link PipelineError} unless the pipeline is well formed:
 * non-empty chains, unique uids, `finallyDo` single and last, no chain that
 * starts with `exceptionally`, sane group options and task names.
 *
 * @example
 * ```ts
 * validatePipeline(pipeline.toIR()); // passes for anything the typed DSL builds
 * ```
 */
export function validatePipeline(pipeline: PipelineNode): PipelineNode {
  const seen = new Set<number>();
  /** The uids of compact groups' branches: first, first + 1, … (checked as ranges, not one by one). */
  const ranges: { readonly first: number; readonly end: number; readonly at: string }[] = [];
  const used = (uid: number, at: string): never => {
    throw new PipelineError(`${at}: uid ${uid} is used twice; uids must be unique within a pipeline`);
  };
  const check = (p: PipelineNode, where: string): void => {
    if (p.entries.length === 0) throw new PipelineError(`${where} has no entries: a pipeline needs at least one task or group`);
    p.entries.forEach((entry: EntryNode, i) => {
      const at = `${where}, entry ${i}`;
      if (seen.has(entry.uid) || ranges.some((r) => entry.uid >= r.first && entry.uid < r.end)) used(entry.uid, at);
      seen.add(entry.uid);
      if (entry.kind === 'TaskEntry') {
        if (entry.taskName === '') throw new PipelineError(`${at}: the task has no name`);
        if (entry.namespace === '' || entry.workerName === '') {
          throw new PipelineError(`${at} (${entry.taskName}): namespace and workerName must be set`);
        }
        if (entry.isFinally && i !== p.entries.length - 1) {
          throw new PipelineError(`${at} (${entry.taskName}): finallyDo must be the last step of its pipeline`);
        }
        if (entry.isFinally && entry.isExceptionally) {
          throw new PipelineError(`${at} (${entry.taskName}): an entry cannot be both finallyDo and exceptionally`);
        }
        if (entry.isExceptionally && i === 0) {
          throw new PipelineError(`${at} (${entry.taskName}): a pipeline cannot start with exceptionally; there is no step whose error it could handle`);
        }
        const r = entry.retry;
        if (r && (!Number.isInteger(r.maxRetries) || r.maxRetries < 0 || !(r.delayMs >= 0) || !(r.maxDelayMs >= 0))) {
          throw new PipelineError(`${at} (${entry.taskName}): retry policy needs maxRetries >= 0 (integer), delayMs >= 0 and maxDelayMs >= 0`);
        }
      } else {
        if (!Number.isInteger(entry.maxParallelism) || entry.maxParallelism < 0) {
          throw new PipelineError(`${at}: maxParallelism must be a whole number >= 0 (0 means unlimited), got ${entry.maxParallelism}`);
        }
        const map = entry.map;
        if (map) {
          // A compact group: every branch is its task alone, with uids first, first + 1, ...
          const count = map.args.length;
          if (count > 0) check(PipelineNode.create({ entries: [map.task], inline: false, initialState: undefined }), `${at}, branch 0`);
          const first = map.task.uid + 1;
          const end = map.task.uid + count;
          if (first < end) {
            for (const uid of seen) if (uid >= first && uid < end) used(uid, `${at}, branch ${uid - map.task.uid}, entry 0`);
            for (const r of ranges)
              if (first < r.end && r.first < end) used(Math.max(first, r.first), `${at}, branch ${Math.max(first, r.first) - map.task.uid}, entry 0`);
            ranges.push({ first, end, at });
          }
        } else {
          entry.branches.forEach((b, j) => {
            check(b, `${at}, branch ${j}`);
          });
        }
      }
    });
  };
  check(pipeline, 'pipeline');
  return pipeline;
}
