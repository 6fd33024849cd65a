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
  const check = (p: PipelineNode, where: string): void => {
    if (p.entries.length === 0) throw new PipelineError(`${where} has no entries: a pipeline needs at least one task or group`);
    p.entries.forEach((entry: EntryNode, i) => {
      const at = `${where}, entry ${i}`;
      if (seen.has(entry.uid)) throw new PipelineError(`${at}: uid ${entry.uid} is used twice; uids must be unique within a pipeline`);
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
          for (let j = 1; j < count; j++) {
            const uid = map.task.uid + j;
            if (seen.has(uid)) throw new PipelineError(`${at}, branch ${j}, entry 0: uid ${uid} is used twice; uids must be unique within a pipeline`);
            seen.add(uid);
          }
        } else {
          entry.branches.forEach((b, j) => check(b, `${at}, branch ${j}`));
        }
      }
    });
  };
  check(pipeline, 'pipeline');
  return pipeline;
}
