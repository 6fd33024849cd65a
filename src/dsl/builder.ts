/**
 * The untyped runtime classes behind {@link Pipeline} and
 * {@link FinalPipeline}: each step clones a frozen IR node.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { PipelineError } from '../core/errors.js';
import { pipelineIdProblem } from '../core/ids.js';
import { GroupEntryNode, PipelineNode, TaskEntryNode, type EntryNode } from '../ir/nodes.js';
import { numberEntries } from '../ir/transform.js';
import { validatePipeline } from '../ir/validate.js';
import { encodeJson } from '../wire/values.js';
import { descriptorOf, type TaskDescriptor } from './descriptor.js';
import type { EntryOptions, InitialOptions } from './types.js';

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

/** Wraps a single entry into a pipeline node. */
export function pipelineOf(entry: EntryNode): PipelineNode {
  return PipelineNode.create({ entries: [entry], inline: false, initialState: undefined });
}

/** A timeout or delay option: a whole number of milliseconds > 0, or a clear error naming `where`. */
export function checkMillis(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || !Number.isSafeInteger(value)) {
    throw new PipelineError(`${where} must be a whole number of milliseconds > 0, got ${String(value)}`);
  }
  return value;
}

abstract class BuilderBase {
  readonly id: string;
  /**
   * @param node - the pipeline.
   * @param chosenId - an id chosen with `withId`, kept by later steps; without one, every step gets a new random id.
   */
  constructor(readonly node: PipelineNode, protected readonly chosenId?: string) {
    this.id = chosenId ?? randomUUID();
  }
  toIR(): PipelineNode {
    return validatePipeline(numberEntries(this.node));
  }
  protected withNode(node: PipelineNode): this {
    const Ctor = this.constructor as new (node: PipelineNode, chosenId?: string) => this;
    return new Ctor(node, this.chosenId);
  }
  withId(id: string): this {
    const problem = pipelineIdProblem(id);
    if (problem !== undefined) throw new PipelineError(`withId: ${problem}`);
    const Ctor = this.constructor as new (node: PipelineNode, chosenId?: string) => this;
    return new Ctor(this.node, id);
  }
  withInitial(options: InitialOptions<unknown>): this {
    if (typeof options !== 'object' || options === null) throw new PipelineError('withInitial expects an object like { state }');
    return this.withNode(PipelineNode.cloneWith(this.node, {
      initialState: 'state' in options ? encodeJson(options.state, 'the initial state') : this.node.initialState,
    }));
  }
  inline(): this {
    return this.withNode(PipelineNode.cloneWith(this.node, { inline: true }));
  }
}

/** Runtime class of {@link FinalPipeline}. */
export class FinalPipelineBuilder extends BuilderBase {}

/** Runtime class of {@link Pipeline}. */
export class PipelineBuilder extends BuilderBase {
  private append(entry: EntryNode): PipelineBuilder {
    return new PipelineBuilder(PipelineNode.cloneWith(this.node, { entries: [...this.node.entries, entry] }), this.chosenId);
  }
  pauseAfter(): PipelineBuilder {
    const last = this.node.entries[this.node.entries.length - 1];
    if (last === undefined) throw new PipelineError('pauseAfter() needs an entry to pause after; this pipeline has none');
    const marked = last.kind === 'TaskEntry' ? TaskEntryNode.cloneWith(last, { pauseAfter: true }) : GroupEntryNode.cloneWith(last, { pauseAfter: true });
    return new PipelineBuilder(PipelineNode.cloneWith(this.node, { entries: [...this.node.entries.slice(0, -1), marked] }), this.chosenId);
  }
  continueWith(task: unknown, ...extra: unknown[]): PipelineBuilder {
    return this.append(taskEntry(descriptorOf(task, 'continueWith'), extra));
  }
  exceptionally(task: unknown, ...extra: unknown[]): PipelineBuilder {
    return this.append(taskEntry(descriptorOf(task, 'exceptionally'), extra, { isExceptionally: true }));
  }
  finallyDo(task: unknown, ...args: unknown[]): FinalPipelineBuilder {
    const entry = taskEntry(descriptorOf(task, 'finallyDo'), args, { isFinally: true });
    return new FinalPipelineBuilder(PipelineNode.cloneWith(this.node, { entries: [...this.node.entries, entry] }), this.chosenId);
  }
  set(options: EntryOptions): PipelineBuilder {
    const last = this.node.entries[this.node.entries.length - 1];
    if (last === undefined || last.kind !== 'TaskEntry') {
      throw new PipelineError('set(...) applies to the last entry of a pipeline, which must be a task (not a group)');
    }
    const entry = TaskEntryNode.cloneWith(last, {
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      ...(options.workerName !== undefined ? { workerName: options.workerName } : {}),
      ...(options.retry !== undefined ? { retry: options.retry.node } : {}),
      ...(options.taskId !== undefined ? { taskId: options.taskId } : {}),
      ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: checkMillis(options.timeoutMs, 'set({ timeoutMs })') } : {}),
    });
    return new PipelineBuilder(PipelineNode.cloneWith(this.node, { entries: [...this.node.entries.slice(0, -1), entry] }), this.chosenId);
  }
}

/** Whether `value` is a pipeline built by this library (what an orchestrator task may return). */
export function isPipeline(value: unknown): value is BuilderBase {
  return value instanceof BuilderBase;
}
