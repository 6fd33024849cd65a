/**
 * Fan-out / fan-in.
 *
 * @module
 */
import { PipelineError } from '../core/errors.js';
import { GroupPipelineBuilder, groupParts, isPipeline } from './builder.js';
import type { GroupOptions, GroupPipeline, GroupResult, GroupState, GroupStateCheck, PipelineLike } from './types.js';

/**
 * Runs `branches` concurrently; the result lists the branch results in
 * declaration order (a tuple for a tuple literal, an array for an array).
 * Branches may be chains or groups themselves. An empty group yields `[]`.
 * Every branch runs on the group's pipeline state, so branches that use the
 * state must use the same state type; their states are merged afterwards.
 *
 * @example
 * ```ts
 * inParallel([multiply.send(1, 2), greet.send('a')]);       // GroupPipeline<[number, string]>
 * inParallel(xs.map((x) => multiply.send(x, 2)));           // GroupPipeline<number[]>
 * inParallel(ps, { maxParallelism: 10, ordered: false });   // results in completion order
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{}`: the type of options not given
export function inParallel<const P extends readonly PipelineLike<unknown>[], const O extends GroupOptions = {}>(
  branches: P & GroupStateCheck<P>,
  options?: O,
): GroupPipeline<GroupResult<P, O>, GroupState<P>> {
  if (!Array.isArray(branches)) throw new PipelineError('inParallel expects an array of pipelines');
  const builders = branches.map((b: unknown, i) => {
    if (!isPipeline(b)) throw new PipelineError(`inParallel: branch ${i} is not a pipeline (use task.send(...) to make one)`);
    return b;
  });
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new PipelineError('inParallel: options must be an object');
  const maxParallelism = options?.maxParallelism ?? 0;
  if (!Number.isInteger(maxParallelism) || maxParallelism < 0) {
    throw new PipelineError(`inParallel: maxParallelism must be a whole number >= 1 (or 0 / absent for unlimited), got ${String(options?.maxParallelism)}`);
  }
  return new GroupPipelineBuilder<GroupResult<P, O>, GroupState<P>>(
    groupParts(builders, {
      maxParallelism,
      ordered: options?.ordered ?? true,
      returnExceptions: options?.returnExceptions ?? false,
    }),
  );
}
