/**
 * Binding plain functions as tasks.
 *
 * @module
 */
import { DEFAULT_FINISHED_RETENTION_MS } from '../core/defaults.js';
import { PipelineError } from '../core/errors.js';
import { DEFAULT_SEGMENT_LENGTH } from '../ir/segment.js';
import { DEFAULT_SPLIT_THRESHOLD } from '../ir/split.js';
import { checkMillis, PipelineBuilder, taskParts } from './builder.js';
import type { BindCheck, BindOptions, OptionsCheck, OptionsOf, OutputOf, SendArgs, TaskStateOf } from './bind-types.js';
import { descriptorKey, recordRegistry, type TaskDescriptor } from './descriptor.js';
import type { BoundTask } from './types.js';

/**
 * Options of a {@link FlinkTasks} instance.
 *
 * @example
 * ```ts
 * const tasks = new FlinkTasks({ namespace: 'example', workerName: 'worker', pipelineName: 'pipeline', groupSplitThreshold: 256 });
 * ```
 */
export interface FlinkTasksOptions {
  /** Default namespace of worker functions (and of the pipeline function). */
  readonly namespace: string;
  /** Default name of the worker function that runs tasks. */
  readonly workerName: string;
  /** Name of the orchestrating pipeline function; default `pipeline`. */
  readonly pipelineName?: string;
  /**
   * Largest number of branches one pipeline key aggregates; larger groups are
   * split into sub-groups automatically. Default 512.
   */
  readonly groupSplitThreshold?: number;
  /**
   * Largest number of chain entries one pipeline key holds; longer chains
   * continue in child pipeline keys automatically. Default 512.
   */
  readonly chainSegmentLength?: number;
  /**
   * How long a finished pipeline's state stays queryable (`status`,
   * `result`, `request`), in milliseconds; default one hour; 0 keeps it
   * until the id is submitted again. Child pipelines drop theirs at once.
   */
  readonly finishedPipelineRetentionMs?: number;
}

const BIND_OPTION_KEYS: ReadonlySet<string> = new Set([
  'name',
  'namespace',
  'workerName',
  'retry',
  'taskId',
  'displayName',
  'withState',
  'withContext',
  'timeoutMs',
]);

/**
 * The task registry of one application: binds plain functions as tasks that
 * pipelines can call, under stable names, with worker defaults.
 *
 * @example
 * ```ts
 * const tasks = new FlinkTasks({ namespace: 'example', workerName: 'worker' });
 * const multiply = tasks.bind('multiply', (x: number, y: number) => x * y);
 * multiply(3, 2);       // 6: still the plain function
 * multiply.send(3, 2);  // Pipeline<number>
 * ```
 */
export class FlinkTasks {
  /** Default worker namespace. */
  readonly namespace: string;
  /** Default worker function name. */
  readonly workerName: string;
  /** Name of the pipeline function. */
  readonly pipelineName: string;
  /** Branches per pipeline key before a group is split. */
  readonly groupSplitThreshold: number;
  /** Chain entries per pipeline key before a chain is segmented. */
  readonly chainSegmentLength: number;
  /** How long a finished pipeline's state stays queryable, in ms (0: until resubmitted). */
  readonly finishedPipelineRetentionMs: number;
  readonly #tasks = new Map<string, TaskDescriptor>();

  constructor(options: FlinkTasksOptions) {
    const name = /^[A-Za-z0-9_.-]+$/;
    if (!name.test(options.namespace ?? ''))
      throw new PipelineError(`FlinkTasks: namespace must be letters, digits, '_', '.' or '-', got '${options.namespace}'`);
    if (!name.test(options.workerName ?? ''))
      throw new PipelineError(`FlinkTasks: workerName must be letters, digits, '_', '.' or '-', got '${options.workerName}'`);
    this.namespace = options.namespace;
    this.workerName = options.workerName;
    this.pipelineName = options.pipelineName ?? 'pipeline';
    this.groupSplitThreshold = options.groupSplitThreshold ?? DEFAULT_SPLIT_THRESHOLD;
    this.chainSegmentLength = options.chainSegmentLength ?? DEFAULT_SEGMENT_LENGTH;
    this.finishedPipelineRetentionMs = options.finishedPipelineRetentionMs ?? DEFAULT_FINISHED_RETENTION_MS;
    if (!Number.isInteger(this.finishedPipelineRetentionMs) || this.finishedPipelineRetentionMs < 0) {
      throw new PipelineError(`FlinkTasks: finishedPipelineRetentionMs must be a whole number >= 0, got ${this.finishedPipelineRetentionMs}`);
    }
    if (!Number.isInteger(this.chainSegmentLength) || this.chainSegmentLength < 2) {
      throw new PipelineError(`FlinkTasks: chainSegmentLength must be a whole number >= 2, got ${this.chainSegmentLength}`);
    }
    if (!Number.isInteger(this.groupSplitThreshold) || this.groupSplitThreshold < 2) {
      throw new PipelineError(`FlinkTasks: groupSplitThreshold must be a whole number >= 2, got ${this.groupSplitThreshold}`);
    }
  }

  /**
   * Binds `fn` as a task named `name` (or with full {@link BindOptions}). The
   * result is still `fn` — callable directly — plus `send(...)`, which makes a
   * pipeline. Parameters and result must survive serialisation.
   *
   * @example
   * ```ts
   * const greet = tasks.bind('greet', (name: string) => `hello ${name}`);
   * const counted = tasks.bind({ name: 'counted', withState: true },
   *   (state: { n: number }, x: number) => ({ state: { n: state.n + 1 }, result: x }));
   * ```
   *
   * @typeParam F - the function being bound; its parameters and result are checked for serialisability.
   * @typeParam O - the bind options, inferred literally so `withState` / `withContext` shape the task's types.
   */
  bind<F extends (...args: never[]) => unknown, const O extends string | BindOptions = string>(
    nameOrOptions: O & OptionsCheck<O>,
    fn: F & BindCheck<F, OptionsOf<O>>,
  ): BoundTask<F, SendArgs<F, OptionsOf<O>>, OutputOf<F, OptionsOf<O>>, TaskStateOf<F, OptionsOf<O>>> {
    const options: BindOptions = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : nameOrOptions;
    const unknown = Object.keys(options).filter((k) => !BIND_OPTION_KEYS.has(k));
    if (unknown.length > 0)
      throw new PipelineError(`bind('${options.name}'): unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}`);
    if (typeof options !== 'object' || options === null || typeof options.name !== 'string' || options.name === '') {
      throw new PipelineError('bind: give the task a non-empty name, as bind(name, fn) or bind({ name, ... }, fn)');
    }
    if (typeof fn !== 'function') throw new PipelineError(`bind('${options.name}'): the task must be a function`);
    if (this.#tasks.has(options.name)) {
      throw new PipelineError(`bind: a task named '${options.name}' is already bound; task names must be unique per FlinkTasks`);
    }
    const descriptor: TaskDescriptor = Object.freeze({
      name: options.name,
      namespace: options.namespace ?? this.namespace,
      workerName: options.workerName ?? this.workerName,
      retry: options.retry?.node,
      taskId: options.taskId,
      displayName: options.displayName,
      withState: options.withState ?? false,
      withContext: options.withContext ?? false,
      timeoutMs: options.timeoutMs === undefined ? undefined : checkMillis(options.timeoutMs, `bind('${options.name}', { timeoutMs })`),
      fn: (...args: unknown[]): unknown => Reflect.apply(fn, undefined, args),
      arity: fn.length,
    });
    this.#tasks.set(descriptor.name, descriptor);
    recordRegistry(descriptor, this);
    const bound = function (this: unknown, ...args: unknown[]): unknown {
      return Reflect.apply(fn, this, args);
    };
    Object.defineProperty(bound, 'name', { value: descriptor.name });
    Object.defineProperties(bound, {
      [descriptorKey]: { value: descriptor },
      taskName: { value: descriptor.name, enumerable: true },
      send: { value: (...args: unknown[]) => new PipelineBuilder(taskParts(descriptor, args)) },
    });
    // The one assertion of the DSL: `bound` forwards every call to `fn`, so it
    // is `F` (which the compiler cannot see of a function made at run time),
    // and its properties are those of Task (checked by the tests).
    return bound as unknown as BoundTask<F, SendArgs<F, OptionsOf<O>>, OutputOf<F, OptionsOf<O>>, TaskStateOf<F, OptionsOf<O>>>;
  }

  /**
   * The task bound under `name`, if any. Used by workers.
   *
   * @example
   * ```ts
   * tasks.task('multiply')?.workerName; // 'worker'
   * ```
   */
  task(name: string): TaskDescriptor | undefined {
    return this.#tasks.get(name);
  }

  /**
   * Names of every bound task.
   *
   * @example
   * ```ts
   * tasks.taskNames; // ['multiply', …]
   * ```
   */
  get taskNames(): readonly string[] {
    return [...this.#tasks.keys()];
  }
}
