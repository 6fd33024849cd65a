/**
 * The public, fully typed face of the DSL: tasks and pipelines, and the
 * checks that make wrong wirings fail to compile. The classes behind these
 * interfaces (`builder.ts`) implement them. One file because tasks and
 * pipelines refer to each other (`send` makes a pipeline, `continueWith`
 * takes a task); what stands alone lives beside it: `pipeline-like.ts`
 * (what every pipeline is), `state-types.ts` (pipeline state at the type
 * level) and `group-types.ts` (groups), all re-exported here.
 *
 * @module
 */
import type { TaskError } from '../core/errors.js';
import type { taskTypes } from './brands.js';
import type { StatefulPipelineLike } from './pipeline-like.js';
import type { RetryPolicy } from './retry.js';
import type { Inlined, NextState, NoState, Seeded, StateCheck, StateFit } from './state-types.js';
import type { PipelineTypeError } from './type-errors.js';

export type { GroupOptions, GroupResult, GroupState, GroupStateCheck } from './group-types.js';
export type { PipelineLike, ResultOf, RunnablePipeline, StatefulPipelineLike, StateDescriptorOf, TaskOutput } from './pipeline-like.js';
export type { Inlined, InitialState, InlineState, NextState, NoState, Seeded, StateCheck, StateFit, StateOf } from './state-types.js';

/**
 * A bound task seen from pipelines: called with arguments `In`, it yields
 * `Out`; a task that uses the pipeline state has state type `S`. Bound tasks
 * are also the plain function they were bound from (see {@link BoundTask}).
 * `In` is contravariant: a `Task<[number], …>` must accept every number.
 *
 * @example
 * ```ts
 * const t: Task<[number, number], number> = multiply;
 * ```
 */
export interface Task<in In extends readonly unknown[], out Out, in out S = NoState> {
  /** Phantom: arguments, result and state. Never set at run time. */
  readonly [taskTypes]?: {
    /** The result in a pipeline. */
    readonly out: Out;
    /** The pipeline state the task reads and writes (invariant by the annotation on `S`). */
    readonly state: S;
  };
  /** The name the task was bound under. */
  readonly taskName: string;
  /**
   * A one-task pipeline calling this task with `args` (serialised now).
   *
   * @example
   * ```ts
   * const p: Pipeline<number> = multiply.send(3, 2);
   * ```
   */
  readonly send: (...args: In) => Pipeline<Out, S>;
}

/**
 * A bound task: the original function, plus {@link Task}.
 *
 * @example
 * ```ts
 * type M = typeof multiply; // BoundTask<(x: number, y: number) => number, [x: number, y: number], number, NoState>
 * multiply(3, 2); // 6: the function
 * multiply.send(3, 2); // Pipeline<number>: the Task
 * ```
 */
export type BoundTask<F, In extends readonly unknown[], Out, S = NoState> = F & Task<In, Out, S>;

/**
 * Options that can be set on one entry of a pipeline with
 * {@link Pipeline.set}, overriding those given at bind time.
 *
 * @example
 * ```ts
 * const options: EntryOptions = { workerName: 'gpu', retry: new RetryPolicy({ maxRetries: 2 }), displayName: 'big multiply' };
 * multiply.send(3, 2).set(options);
 * ```
 */
export interface EntryOptions {
  /** Worker function namespace. */
  readonly namespace?: string;
  /** Worker function name. */
  readonly workerName?: string;
  /** Retry policy for this call. */
  readonly retry?: RetryPolicy;
  /** Fixed function id: calls share one address and its task state. */
  readonly taskId?: string;
  /** Name shown in events and errors. */
  readonly displayName?: string;
  /** Longest one call may run, in milliseconds (see `BindOptions.timeoutMs`). */
  readonly timeoutMs?: number;
}

/**
 * Options of {@link Pipeline.withInitial}.
 *
 * @example
 * ```ts
 * const initial: InitialOptions<{ calls: number }> = { state: { calls: 0 } };
 * countCall.send(1).withInitial(initial);
 * ```
 */
export interface InitialOptions<S = unknown> {
  /** The pipeline state the first task starts with. */
  readonly state: S;
}

/**
 * The arguments after the first of a task's parameter list.
 *
 * @example
 * ```ts
 * type A = ExtraArgs<[x: number, y: number, tag: string]>; // [y: number, tag: string]
 * type B = ExtraArgs<[]>; // []
 * ```
 */
export type ExtraArgs<In extends readonly unknown[]> = In extends readonly [] ? [] : In extends readonly [unknown?, ...infer Rest] ? Rest : never;

/**
 * `unknown` when a task with parameters `In` (and state `TS`) can continue
 * a step that yields `T` in a pipeline with state `S`; otherwise a
 * {@link PipelineTypeError} naming the problem and the types.
 *
 * @example
 * ```ts
 * type Ok = ContinueCheck<number, [x: number, y: number]>; // unknown
 * type Bad = ContinueCheck<string, [x: number]>;
 * // PipelineTypeError<"continueWith: this task's first parameter does not accept the previous step's result", [previousResult: string, firstParameter: number]>
 * ```
 */
export type ContinueCheck<T, In extends readonly unknown[], S = NoState, TS = NoState> = In extends readonly []
  ? PipelineTypeError<'continueWith: this task takes no parameters, but continueWith passes the previous result as its first argument', [previousResult: T]>
  : 0 extends 1 & T
    ? StateFit<'continueWith', S, TS>
    : [T] extends [In[0]]
      ? StateFit<'continueWith', S, TS>
      : PipelineTypeError<"continueWith: this task's first parameter does not accept the previous step's result", [previousResult: T, firstParameter: In[0]]>;

/**
 * `unknown` when a task with parameters `In` (and state `TS`) can handle a
 * {@link TaskError} in a pipeline with state `S`; otherwise a {@link PipelineTypeError}.
 *
 * @example
 * ```ts
 * type Ok = ExceptionallyCheck<[error: TaskError, value: number]>; // unknown
 * type Bad = ExceptionallyCheck<[value: number]>;
 * // PipelineTypeError<'exceptionally: the handler must accept a TaskError as its first parameter', [firstParameter: number]>
 * ```
 */
export type ExceptionallyCheck<In extends readonly unknown[], S = NoState, TS = NoState> = In extends readonly []
  ? PipelineTypeError<'exceptionally: the handler takes no parameters, but it is called with the TaskError first'>
  : [TaskError] extends [In[0]]
    ? StateFit<'exceptionally', S, TS>
    : PipelineTypeError<'exceptionally: the handler must accept a TaskError as its first parameter', [firstParameter: In[0]]>;

/**
 * A pipeline whose result is `T` and whose pipeline state is described by
 * `S` ({@link NoState} unless a task uses the state). Immutable: every
 * method returns a new pipeline.
 *
 * @example
 * ```ts
 * const p: Pipeline<number> = multiply.send(3, 2).continueWith(divide, 2); // divide(6, 2)
 * ```
 */
export interface Pipeline<out T, in out S = NoState> extends StatefulPipelineLike<T, S> {
  /**
   * Continues with `task(result, ...extra)`. The previous result is always
   * exactly the first argument. A task that uses the pipeline state must
   * use this pipeline's state type.
   *
   * @example
   * ```ts
   * multiply.send(3, 2).continueWith(divide, 2); // Pipeline<number>: divide(6, 2)
   * ```
   */
  continueWith<In extends readonly unknown[], Out, TS = NoState>(
    task: Task<In, Out, TS> & NoInfer<ContinueCheck<T, In, S, TS>>,
    ...extra: ExtraArgs<In>
  ): Pipeline<Out, NextState<S, TS>>;

  /**
   * On failure of any step before it, calls `handler(error, ...extra)` and
   * resumes with its result; on success, passes the value through.
   *
   * @example
   * ```ts
   * divide.send(1, 0).exceptionally(fallback, 0); // Pipeline<number>
   * ```
   */
  exceptionally<In extends readonly unknown[], Out, TS = NoState>(
    handler: Task<In, Out, TS> & NoInfer<ExceptionallyCheck<In, S, TS>>,
    ...extra: ExtraArgs<In>
  ): Pipeline<T | Out, NextState<S, TS>>;

  /**
   * Runs `task(...args)` last, whatever the outcome (success, failure or
   * cancellation), without changing the outcome unless it throws. Nothing can
   * follow it.
   *
   * @example
   * ```ts
   * const p: FinalPipeline<number> = multiply.send(3, 2).finallyDo(cleanup, 'tmp');
   * ```
   */
  finallyDo<In extends readonly unknown[], Out, TS = NoState>(
    task: Task<In, Out, TS> & NoInfer<StateFit<'finallyDo', S, TS>>,
    ...args: In
  ): FinalPipeline<T, NextState<S, TS>>;

  /**
   * Sets the pipeline state the first task starts with. It must fit the
   * state type of the pipeline's stateful tasks.
   *
   * @example
   * ```ts
   * countCall.send(1).withInitial({ state: { calls: 0 } }); // Pipeline<number, InitialState<{ calls: number }>>
   * ```
   */
  withInitial<X>(options: InitialOptions<X> & StateCheck<X, S>): Pipeline<T, Seeded<S, X>>;

  /**
   * Overrides bind options (worker, retry, fixed task id, display name) on
   * the last entry of this pipeline, which must be a task.
   *
   * @example
   * ```ts
   * multiply.send(3, 2).set({ workerName: 'gpu', displayName: 'big multiply' });
   * ```
   */
  set(options: EntryOptions): Pipeline<T, S>;

  /**
   * Marks the pipeline inline: when an orchestrator task returns it, it starts
   * with the parent's state and hands its final state back.
   *
   * @example
   * ```ts
   * const step = tasks.bind('step', (n: number) => increment.send(n).inline());
   * ```
   */
  inline(): Pipeline<T, Inlined<S>>;

  /**
   * Pauses the pipeline once its last entry (a task or a group) has
   * finished, until `unpause`.
   *
   * @example
   * ```ts
   * const p = multiply.send(3, 2).pauseAfter().continueWith(divide, 2); // PAUSED after multiply
   * ```
   */
  pauseAfter(): Pipeline<T, S>;

  /**
   * Runs under `id` instead of a random one (later steps keep it): 1–200
   * letters, digits and `. _ : @ + = -`.
   *
   * @example
   * ```ts
   * await runtime.submit(placeOrder.send(cart).withId('order-42'));
   * ```
   */
  withId(id: string): Pipeline<T, S>;
}

/**
 * A pipeline whose last entry is a group ({@link inParallel}): like
 * {@link Pipeline}, but `set()` — which applies to a last *task* — is
 * rejected until a task follows.
 *
 * @example
 * ```ts
 * const g: GroupPipeline<[number, string]> = inParallel([multiply.send(1, 2), greet.send('a')]);
 * ```
 */
export interface GroupPipeline<out T, in out S = NoState> extends Pipeline<T, S> {
  /** Rejected: the last entry of this pipeline is a group, and `set()` applies to a last task. */
  set(
    options: EntryOptions &
      PipelineTypeError<"set: the last entry of this pipeline is a group; set() applies to a task (continue with one, or bind the group's tasks with these options)">,
  ): Pipeline<T, S>;
  /** Sets the pipeline state the first task starts with (see {@link Pipeline.withInitial}). */
  withInitial<X>(options: InitialOptions<X> & StateCheck<X, S>): GroupPipeline<T, Seeded<S, X>>;
  /** Marks the pipeline inline (see {@link Pipeline.inline}). */
  inline(): GroupPipeline<T, Inlined<S>>;
  /** Pauses the pipeline once the group has finished (see {@link Pipeline.pauseAfter}). */
  pauseAfter(): GroupPipeline<T, S>;
  /** Runs under `id` instead of a random one (see {@link Pipeline.withId}). */
  withId(id: string): GroupPipeline<T, S>;
}

/**
 * A pipeline that ends with `finallyDo`: it can be submitted, grouped and
 * returned by orchestrators, but not continued.
 *
 * @example
 * ```ts
 * const p: FinalPipeline<number> = multiply.send(3, 2).finallyDo(cleanup, 'tmp');
 * ```
 */
export interface FinalPipeline<out T, in out S = NoState> extends StatefulPipelineLike<T, S> {
  /** Sets the pipeline state the first task starts with (see {@link Pipeline.withInitial}). */
  withInitial<X>(options: InitialOptions<X> & StateCheck<X, S>): FinalPipeline<T, Seeded<S, X>>;
  /** Marks the pipeline inline (see {@link Pipeline.inline}). */
  inline(): FinalPipeline<T, Inlined<S>>;
  /** Runs under `id` instead of a random one (see {@link Pipeline.withId}). */
  withId(id: string): FinalPipeline<T, S>;
}
