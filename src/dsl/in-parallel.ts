/**
 * Fan-out / fan-in.
 *
 * @module
 */
import { PipelineError } from '../core/errors.js';
import { GroupEntryNode, PipelineNode } from '../ir/nodes.js';
import { PipelineBuilder, isPipeline, pipelineOf } from './builder.js';
import type { GroupOptions, GroupResult, Pipeline, PipelineLike } from './types.js';

/**
 * Runs `branches` concurrently; the result lists the branch results in
 * declaration order (a tuple for a tuple literal, an array for an array).
 * Branches may be chains or groups themselves. An empty group yields `[]`.
 *
 * @example
 * ```ts
 * inParallel([multiply.send(1, 2), greet.send('a')]);       // Pipeline<[number, string]>
 * inParallel(xs.map((x) => multiply.send(x, 2)));           // Pipeline<number[]>
 * inParallel(ps, { maxParallelism: 10, ordered: false });   // results in completion order
 * ```
 */
export function inParallel<const P extends readonly PipelineLike<unknown>[], const O extends GroupOptions = {}>(
  branches: P,
  options?: O,
): Pipeline<GroupResult<P, O>> {
  if (!Array.isArray(branches)) throw new PipelineError('inParallel expects an array of pipelines');
  const nodes = branches.map((b: unknown, i): PipelineNode => {
    if (!isPipeline(b)) throw new PipelineError(`inParallel: branch ${i} is not a pipeline (use task.send(...) to make one)`);
    return b.node;
  });
  const maxParallelism = options?.maxParallelism ?? 0;
  if (!Number.isInteger(maxParallelism) || maxParallelism < 0) {
    throw new PipelineError(`inParallel: maxParallelism must be a whole number >= 1 (or 0 / absent for unlimited), got ${String(options?.maxParallelism)}`);
  }
  const group = GroupEntryNode.create({
    uid: 0,
    branches: nodes,
    maxParallelism,
    ordered: options?.ordered ?? true,
    returnExceptions: options?.returnExceptions ?? false,
    flatten: false,
    continuation: false,
  });
  return new PipelineBuilder(pipelineOf(group)) as unknown as Pipeline<GroupResult<P, O>>;
}
