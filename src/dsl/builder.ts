/**
 * The classes behind {@link Pipeline}, {@link GroupPipeline} and
 * {@link FinalPipeline}. Each implements its public interface, so the
 * compiler checks the method set and signatures; the type parameters are
 * phantom (nothing at run time depends on them).
 *
 * Building is linear: a pipeline keeps its entries as an immutable linked
 * list, so `continueWith` adds one cell instead of copying the chain, and the
 * IR node is materialised once, when it is needed.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { PipelineError } from '../core/errors.js';
import { pipelineIdProblem } from '../core/ids.js';
import { compactBranches } from '../ir/compact.js';
import { GroupEntryNode, PipelineNode, TaskEntryNode, type EntryNode } from '../ir/nodes.js';
import { numberEntries } from '../ir/transform.js';
import { validatePipeline } from '../ir/validate.js';
import { encodeJson } from '../wire/values.js';
import { descriptorOf, registryOf, type TaskDescriptor } from './descriptor.js';
import type {
  ContinueCheck,
  EntryOptions,
  ExceptionallyCheck,
  ExtraArgs,
  FinalPipeline,
  GroupPipeline,
  InitialOptions,
  NoState,
  Pipeline,
  StateCheck,
  StateFit,
  StatefulPipelineLike,
  Task,
} from './types.js';
import type { readyType } from './brands.js';
import type { ReadyOf } from './state-types.js';
import type { PipelineTypeError } from './type-errors.js';
import type { Inlined, NextState, Seeded } from './types.js';

/** Builds the task entry calling `d` with `args` (uid assigned when lowering). */
export function taskEntry(d: TaskDescriptor, args: readonly unknown[], flags: { isFinally?: boolean; isExceptionally?: boolean } = {}): TaskEntryNode {
  return TaskEntryNode.create({
    uid: 0,
    taskName: d.name,
    args: encodeJson(args, `the arguments of task '${d.name}'`),
    namespace: d.namespace,
    workerName: d.workerName,
    taskId: d.taskId,
    displayName: d.displayName,
    retry: d.retry,
    isFinally: flags.isFinally ?? false,
    isExceptionally: flags.isExceptionally ?? false,
    usesContext: d.withContext,
    ...(d.timeoutMs !== undefined ? { timeoutMs: d.timeoutMs } : {}),
  });
}

/** A timeout or delay option: a whole number of milliseconds > 0, or a clear error naming `where`. */
export function checkMillis(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || !Number.isSafeInteger(value)) {
    throw new PipelineError(`${where} must be a whole number of milliseconds > 0, got ${String(value)}`);
  }
  return value;
}

/** One cell of a pipeline's entries, newest first. */
interface Chain {
  readonly entry: EntryNode;
  readonly previous: Chain | undefined;
  readonly length: number;
}

/**
 * Which FlinkTasks registry the tasks of each worker address come from: a
 * worker serves one registry, so a pipeline mixing two registries on one
 * address would fail at run time with an unknown task.
 */
type Owners = ReadonlyMap<string, object>;

/** Everything a builder holds. */
interface Parts {
  readonly chain: Chain;
  readonly inline: boolean;
  readonly initialState: Uint8Array | undefined;
  readonly owners: Owners;
  /** An id chosen with `withId`, kept by later steps; without one, every step gets a new random id. */
  readonly chosenId: string | undefined;
}

const addressOf = (d: TaskDescriptor): string => `${d.namespace}/${d.workerName}`;

function ownersWith(owners: Owners, d: TaskDescriptor, where: string): Owners {
  const registry = registryOf(d);
  const address = addressOf(d);
  const known = owners.get(address);
  if (known === registry) return owners;
  if (known !== undefined) {
    throw new PipelineError(
      `${where}: task '${d.name}' was bound on another FlinkTasks than the other tasks of this pipeline that run on worker ${address}; ` +
        'a worker serves one FlinkTasks, so one of them would fail as an unknown task. Bind them on the same FlinkTasks (or give the registries different workerNames)',
    );
  }
  return new Map([...owners, [address, registry]]);
}

function mergeOwners(all: readonly Owners[], where: string): Owners {
  let merged: Owners | undefined;
  for (const owners of all) {
    if (merged === undefined || merged === owners) {
      merged = owners;
      continue;
    }
    for (const [address, registry] of owners) {
      const known = merged.get(address);
      if (known === registry) continue;
      if (known !== undefined) {
        throw new PipelineError(
          `${where}: the branches use tasks bound on two different FlinkTasks for worker ${address}; ` +
            'a worker serves one FlinkTasks, so one of them would fail as an unknown task. Bind them on the same FlinkTasks',
        );
      }
      merged = new Map([...merged, [address, registry]]);
    }
  }
  return merged ?? new Map();
}

/**
 * For each worker address a pipeline's tasks run on, the FlinkTasks registry
 * they were bound on; `undefined` for a pipeline not made by this DSL.
 */
export function registriesOf(pipeline: unknown): ReadonlyMap<string, object> | undefined {
  return pipeline instanceof BuilderBase ? pipeline.parts.owners : undefined;
}

/** The parts of a one-entry pipeline. */
function single(entry: EntryNode, owners: Owners): Parts {
  return { chain: { entry, previous: undefined, length: 1 }, inline: false, initialState: undefined, owners, chosenId: undefined };
}

/** The owners of a pipeline of `d`'s calls alone, made once per task: a fan-out of 250k sends shares one map (never changed: merging makes a new one). */
const ownersOfTask = new WeakMap<TaskDescriptor, Owners>();

/** The parts of a one-task pipeline calling `d` with `args`. */
export function taskParts(d: TaskDescriptor, args: readonly unknown[]): Parts {
  let owners = ownersOfTask.get(d);
  if (!owners) ownersOfTask.set(d, (owners = new Map([[addressOf(d), registryOf(d)]])));
  return single(taskEntry(d, args), owners);
}

function appended(parts: Parts, entry: EntryNode, d: TaskDescriptor, where: string): Parts {
  return { ...parts, chain: { entry, previous: parts.chain, length: parts.chain.length + 1 }, owners: ownersWith(parts.owners, d, where) };
}

function seeded(parts: Parts, options: InitialOptions): Parts {
  if (typeof options !== 'object' || options === null || !('state' in options)) {
    throw new PipelineError('withInitial expects an object like { state }');
  }
  return { ...parts, initialState: encodeJson(options.state, 'the initial state') };
}

/** The pipeline node of `parts` (entries in order). */
function nodeOf(parts: Parts): PipelineNode {
  const entries = new Array<EntryNode>(parts.chain.length);
  let cell: Chain | undefined = parts.chain;
  for (let i = parts.chain.length - 1; cell !== undefined; i--, cell = cell.previous) entries[i] = cell.entry;
  return PipelineNode.create({ entries: Object.freeze(entries), inline: parts.inline, initialState: parts.initialState });
}

/** What every builder shares: id, IR, parts. */
abstract class BuilderBase<T, S> implements StatefulPipelineLike<T, S> {
  /** Phantom (type only, never set): whether the pipeline can run on its own. */
  declare readonly [readyType]: ReadyOf<S>;
  #id: string | undefined;
  #node: PipelineNode | undefined;
  /** @param parts - entries (newest first), flags, registries. */
  constructor(readonly parts: Parts) {}

  /** Id the pipeline runs under (generated when first read). */
  get id(): string {
    this.#id ??= this.parts.chosenId ?? randomUUID();
    return this.#id;
  }

  /** The pipeline's IR node, entries in order (not numbered). */
  get node(): PipelineNode {
    this.#node ??= nodeOf(this.parts);
    return this.#node;
  }

  toIR(): PipelineNode {
    return validatePipeline(numberEntries(this.node));
  }
}

/** Runtime class of {@link FinalPipeline}. */
export class FinalPipelineBuilder<T, S = NoState> extends BuilderBase<T, S> implements FinalPipeline<T, S> {
  withInitial<X>(options: InitialOptions<X> & StateCheck<X, S>): FinalPipeline<T, Seeded<S, X>> {
    return new FinalPipelineBuilder<T, Seeded<S, X>>(seeded(this.parts, options));
  }

  inline(): FinalPipeline<T, Inlined<S>> {
    return new FinalPipelineBuilder<T, Inlined<S>>({ ...this.parts, inline: true });
  }

  withId(id: string): FinalPipeline<T, S> {
    return new FinalPipelineBuilder<T, S>(withChosenId(this.parts, id));
  }
}

/** Runtime class of {@link Pipeline}. */
export class PipelineBuilder<T, S = NoState> extends BuilderBase<T, S> implements Pipeline<T, S> {
  continueWith<In extends readonly unknown[], Out, TS = NoState>(
    task: Task<In, Out, TS> & NoInfer<ContinueCheck<T, In, S, TS>>,
    ...extra: ExtraArgs<In>
  ): Pipeline<Out, NextState<S, TS>> {
    const d = descriptorOf(task, 'continueWith');
    return new PipelineBuilder<Out, NextState<S, TS>>(appended(this.parts, taskEntry(d, extra), d, 'continueWith'));
  }

  exceptionally<In extends readonly unknown[], Out, TS = NoState>(
    handler: Task<In, Out, TS> & NoInfer<ExceptionallyCheck<In, S, TS>>,
    ...extra: ExtraArgs<In>
  ): Pipeline<T | Out, NextState<S, TS>> {
    const d = descriptorOf(handler, 'exceptionally');
    return new PipelineBuilder<T | Out, NextState<S, TS>>(appended(this.parts, taskEntry(d, extra, { isExceptionally: true }), d, 'exceptionally'));
  }

  finallyDo<In extends readonly unknown[], Out, TS = NoState>(
    task: Task<In, Out, TS> & NoInfer<StateFit<'finallyDo', S, TS>>,
    ...args: In
  ): FinalPipeline<T, NextState<S, TS>> {
    const d = descriptorOf(task, 'finallyDo');
    return new FinalPipelineBuilder<T, NextState<S, TS>>(appended(this.parts, taskEntry(d, args, { isFinally: true }), d, 'finallyDo'));
  }

  withInitial<X>(options: InitialOptions<X> & StateCheck<X, S>): Pipeline<T, Seeded<S, X>> {
    return new PipelineBuilder<T, Seeded<S, X>>(seeded(this.parts, options));
  }

  set(options: EntryOptions): Pipeline<T, S> {
    return new PipelineBuilder<T, S>(withLastTaskOptions(this.parts, options));
  }

  inline(): Pipeline<T, Inlined<S>> {
    return new PipelineBuilder<T, Inlined<S>>({ ...this.parts, inline: true });
  }

  pauseAfter(): Pipeline<T, S> {
    const last = this.parts.chain.entry;
    const entry = last.kind === 'TaskEntry' ? TaskEntryNode.cloneWith(last, { pauseAfter: true }) : GroupEntryNode.cloneWith(last, { pauseAfter: true });
    return new PipelineBuilder<T, S>({ ...this.parts, chain: { ...this.parts.chain, entry } });
  }

  withId(id: string): Pipeline<T, S> {
    return new PipelineBuilder<T, S>(withChosenId(this.parts, id));
  }
}

/** Runtime class of {@link GroupPipeline}. */
export class GroupPipelineBuilder<T, S = NoState> extends PipelineBuilder<T, S> implements GroupPipeline<T, S> {
  override set(options: EntryOptions & PipelineTypeError<string>): Pipeline<T, S> {
    return super.set(options);
  }

  override withInitial<X>(options: InitialOptions<X> & StateCheck<X, S>): GroupPipeline<T, Seeded<S, X>> {
    return new GroupPipelineBuilder<T, Seeded<S, X>>(seeded(this.parts, options));
  }

  override inline(): GroupPipeline<T, Inlined<S>> {
    return new GroupPipelineBuilder<T, Inlined<S>>({ ...this.parts, inline: true });
  }

  override withId(id: string): GroupPipeline<T, S> {
    return new GroupPipelineBuilder<T, S>(withChosenId(this.parts, id));
  }

  override pauseAfter(): GroupPipeline<T, S> {
    const last = this.parts.chain.entry;
    const entry = last.kind === 'TaskEntry' ? TaskEntryNode.cloneWith(last, { pauseAfter: true }) : GroupEntryNode.cloneWith(last, { pauseAfter: true });
    return new GroupPipelineBuilder<T, S>({ ...this.parts, chain: { ...this.parts.chain, entry } });
  }
}

function withChosenId(parts: Parts, id: string): Parts {
  const problem = pipelineIdProblem(id);
  if (problem !== undefined) throw new PipelineError(`withId: ${problem}`);
  return { ...parts, chosenId: id };
}

function withLastTaskOptions(parts: Parts, options: EntryOptions): Parts {
  const last = parts.chain.entry;
  if (last.kind !== 'TaskEntry') {
    throw new PipelineError('set(...) applies to the last entry of a pipeline, which must be a task (not a group)');
  }
  if (typeof options !== 'object' || options === null) throw new PipelineError('set expects an object of entry options');
  const entry = TaskEntryNode.cloneWith(last, {
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    ...(options.workerName !== undefined ? { workerName: options.workerName } : {}),
    ...(options.retry !== undefined ? { retry: options.retry.node } : {}),
    ...(options.taskId !== undefined ? { taskId: options.taskId } : {}),
    ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: checkMillis(options.timeoutMs, 'set({ timeoutMs })') } : {}),
  });
  return { ...parts, chain: { ...parts.chain, entry } };
}

/** Whether `value` is a pipeline built by this library (what an orchestrator task may return). */
export function isPipeline(value: unknown): value is BuilderBase<unknown, unknown> {
  return value instanceof BuilderBase;
}

/** The parts of a group pipeline over `branches` (already checked to be pipelines). */
export function groupParts(
  branches: readonly BuilderBase<unknown, unknown>[],
  options: { maxParallelism: number; ordered: boolean; returnExceptions: boolean },
): Parts {
  const nodes = branches.map((b) => b.node);
  const group = GroupEntryNode.create({ uid: 0, branches: nodes, flatten: false, continuation: false, ...options });
  // A fan-out of one task is kept compact (its task once, then the argument tuples), not as a node per branch.
  const map = compactBranches(group, false);
  return single(
    map ? GroupEntryNode.cloneWith(group, { map }) : group,
    mergeOwners(
      branches.map((b) => b.parts.owners),
      'inParallel',
    ),
  );
}
