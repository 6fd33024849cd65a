/**
 * The public, fully typed face of the DSL: tasks, pipelines, their pipeline
 * state, and the checks that make wrong wirings fail to compile. The classes
 * behind these interfaces (`builder.ts`) implement them.
 *
 * @module
 */
import type { TaskError } from '../core/errors.js';
import type { PipelineNode } from '../ir/nodes.js';
import type { Deferred } from './deferred.js';
import type { PausePipeline } from './effects.js';
import type { RetryPolicy } from './retry.js';
import type { Unserializable } from './serializable.js';
import type { PipelineTypeError } from './type-errors.js';

declare const resultType: unique symbol;
declare const stateType: unique symbol;
declare const readyType: unique symbol;
declare const taskTypes: unique symbol;
declare const noStateBrand: unique symbol;
declare const initialBrand: unique symbol;
declare const inlineBrand: unique symbol;

// ---------------------------------------------------------------- pipeline state at the type level

/**
 * The state type of a pipeline none of whose tasks reads or writes the
 * pipeline state (the default). Such a pipeline runs in any state and passes
 * it on untouched.
 *
 * @example
 * ```ts
 * const p: Pipeline<number, NoState> = multiply.send(3, 2); // the same as Pipeline<number>
 * ```
 */
export interface NoState {
  /** Brand: no value has this type. */
  readonly [noStateBrand]: 'this pipeline does not use the pipeline state';
}

/**
 * The state type of a pipeline that was given an initial state of type `S`
 * with {@link Pipeline.withInitial}: it can run on its own.
 *
 * @example
 * ```ts
 * const p: Pipeline<number, InitialState<{ calls: number }>> = countCall.send(1).withInitial({ state: { calls: 0 } });
 * ```
 */
export interface InitialState<S> {
  /** Brand: the state type. */
  readonly [initialBrand]: S;
}

/**
 * The state type of a pipeline marked {@link Pipeline.inline}: returned by
 * an orchestrator task, it works on the calling pipeline's state `S` (its
 * own initial state, if any, is not used).
 *
 * @example
 * ```ts
 * const step = tasks.bind('step', (n: number) => countCall.send(n).inline()); // a task on the caller's { calls: number }
 * ```
 */
export interface InlineState<S> {
  /** Brand: the state type. */
  readonly [inlineBrand]: S;
}

/**
 * The state type the tasks of a pipeline with state descriptor `S` see:
 * `S` itself, or what {@link InitialState} / {@link InlineState} wrap;
 * {@link NoState} for a pipeline without state.
 *
 * @example
 * ```ts
 * type A = StateOf<InitialState<{ calls: number }>>; // { calls: number }
 * type B = StateOf<NoState>; // NoState
 * ```
 */
export type StateOf<S> = [S] extends [InitialState<infer X>] ? X : [S] extends [InlineState<infer X>] ? X : S;

/**
 * The state descriptor after appending a task with state `TS` to a pipeline
 * with state descriptor `S` (their agreement is checked by {@link StateFit}).
 *
 * @example
 * ```ts
 * type A = NextState<NoState, { calls: number }>; // { calls: number }: the first stateful task sets it
 * type B = NextState<InitialState<{ calls: number }>, NoState>; // unchanged
 * ```
 */
export type NextState<S, TS> = [TS] extends [NoState] ? S : [S] extends [NoState] ? TS : S;

/** Whether a pipeline with state `S` can run on its own (submitted, or returned by an orchestrator without `inline()`). */
type ReadyOf<S> =
  [S] extends [NoState] ? 'ready'
  : [S] extends [InitialState<unknown>] ? 'ready'
  : undefined extends StateOf<S> ? 'ready'
  : 'needs an initial state: call withInitial({ state }) first';

/**
 * `unknown` when a task with pipeline state `TS` can run in a pipeline with
 * state `S`: either uses no state, or both use the same state type.
 * Otherwise a {@link PipelineTypeError} naming both.
 *
 * @example
 * ```ts
 * type Ok = StateFit<'continueWith', { calls: number }, { calls: number }>; // unknown
 * type Bad = StateFit<'continueWith', { calls: number }, { total: number }>;
 * // PipelineTypeError<"continueWith: the task's state type is not the pipeline's state type", { pipelineState: { calls: number }; taskState: { total: number } }>
 * ```
 */
export type StateFit<Where extends string, S, TS> =
  [TS] extends [NoState] ? unknown
  : [S] extends [NoState] ? unknown
  : SameState<Where, StateOf<S>, TS>;
// The error is written out in place: an alias would be printed by its name instead of the sentence.
type SameState<Where extends string, PS, TS> = [PS] extends [TS] ? ([TS] extends [PS] ? unknown
  : PipelineTypeError<`${Where}: the task's state type is not the pipeline's state type (all stateful tasks of a pipeline share one state type)`, [pipelineState: PS, taskState: TS]>)
  : PipelineTypeError<`${Where}: the task's state type is not the pipeline's state type (all stateful tasks of a pipeline share one state type)`, [pipelineState: PS, taskState: TS]>;

// ---------------------------------------------------------------- pipelines


/**
 * Anything that runs to a result of type `T`: a {@link Pipeline} or a
 * {@link FinalPipeline}, whatever its state. Clients accept it; groups take
 * it as a branch.
 *
 * @example
 * ```ts
 * const p: PipelineLike<number> = multiply.send(3, 2);
 * ```
 */
export interface PipelineLike<out T> {
  /**
   * Phantom: the result type, boxed so that `undefined` in `T` survives
   * inference through the optional property. Never set at run time.
   */
  readonly [resultType]?: {
    /** The result type. */
    readonly value: T;
  };
  /** Id the pipeline runs under (a new one for every builder step). */
  readonly id: string;
  /**
   * Lowers the pipeline to its untyped IR, entries numbered and validated.
   *
   * @example
   * ```ts
   * multiply.send(3, 2).toIR().entries.length; // 1
   * ```
   */
  toIR(): PipelineNode;
}

/**
 * What every typed pipeline has besides {@link PipelineLike}: its state
 * descriptor `S`, and whether it can run on its own.
 *
 * @example
 * ```ts
 * const p: StatefulPipelineLike<number, { calls: number }> = countCall.send(1);
 * ```
 */
export interface StatefulPipelineLike<out T, in out S = NoState> extends PipelineLike<T> {
  /** Phantom: the state descriptor (invariant by the annotation on `S`). Never set at run time. */
  readonly [stateType]?: S;
  /** Phantom: `'ready'` when the pipeline can run on its own. Never set at run time. */
  readonly [readyType]?: ReadyOf<S>;
}

/**
 * A pipeline that can be submitted: its state, if it uses one, has an
 * initial value (or accepts `undefined`).
 *
 * @example
 * ```ts
 * const ready: RunnablePipeline<number> = countCall.send(1).withInitial({ state: { calls: 0 } });
 * ```
 */
export interface RunnablePipeline<out T> extends PipelineLike<T> {
  /** Phantom: only pipelines that can run on their own. */
  readonly [readyType]?: 'ready';
}

/**
 * The result type of a pipeline.
 *
 * @example
 * ```ts
 * type A = ResultOf<Pipeline<number>>; // number
 * type B = ResultOf<FinalPipeline<string[]>>; // string[]
 * ```
 */
export type ResultOf<P> = P extends PipelineLike<unknown> ? BoxedResult<P> : never;
// Only after the PipelineLike test: a type whose one property is optional would match any object.
// An indexed access, not `infer`: it is evaluated for every branch of every group.
type BoxedResult<P> = P extends { readonly [resultType]?: { readonly value: unknown } } ? NonNullable<P[typeof resultType]>['value'] : never;

/**
 * The state descriptor of a pipeline ({@link NoState} if it has none).
 *
 * @example
 * ```ts
 * type A = StateDescriptorOf<Pipeline<number, { calls: number }>>; // { calls: number }
 * type B = StateDescriptorOf<Pipeline<number>>; // NoState
 * ```
 */
export type StateDescriptorOf<P> = P extends StatefulPipelineLike<unknown, infer S> ? (unknown extends S ? NoState : S) : NoState;

/**
 * What a task's return value becomes in a pipeline: promises are awaited,
 * returned pipelines (orchestrator tasks) are replaced by their result, and
 * {@link withPausePipeline} effects by their value.
 *
 * @example
 * ```ts
 * type A = TaskOutput<Promise<number>>; // number
 * type B = TaskOutput<Pipeline<string>>; // string: an orchestrator's result
 * type C = TaskOutput<PausePipeline<boolean>>; // boolean
 * ```
 */
export type TaskOutput<R> = UnwrapOutput<Awaited<R>>;
type UnwrapOutput<R> = 0 extends 1 & R ? R : R extends PipelineLike<unknown> ? BoxedResult<R> : R extends PausePipeline<unknown> ? UnwrapOutput<Awaited<R['result']>> : R extends Deferred<infer D> ? D : R;

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
 * `unknown` when `X` can be the initial state of a pipeline with state
 * descriptor `S` (it survives serialisation and fits the tasks' state type);
 * otherwise a {@link PipelineTypeError}.
 *
 * @example
 * ```ts
 * type Ok = StateCheck<{ calls: number }>; // unknown
 * type Bad = StateCheck<{ onDone: () => void }>; // PipelineTypeError<'withInitial: the state.onDone is a function, which cannot be serialised'>
 * type Wrong = StateCheck<string, { total: number }>; // PipelineTypeError<"withInitial: the initial state does not fit …", { initialState: string; pipelineState: { total: number } }>
 * ```
 */
export type StateCheck<X, S = NoState> =
  [Unserializable<X, 'the state'>] extends [never]
    ? ([StateOf<S>] extends [NoState] ? unknown
      : [X] extends [StateOf<S>] ? unknown
      : PipelineTypeError<"withInitial: the initial state does not fit the state type of this pipeline's tasks", [initialState: X, pipelineState: StateOf<S>]>)
    : PipelineTypeError<`withInitial: ${Unserializable<X, 'the state'> & string}, which cannot be serialised`>;

/**
 * The state descriptor after `withInitial` with a state of type `X`.
 *
 * @example
 * ```ts
 * type A = Seeded<NoState, number>; // InitialState<number>
 * type B = Seeded<{ calls: number }, { calls: number }>; // InitialState<{ calls: number }>
 * ```
 */
export type Seeded<S, X> = [S] extends [NoState] ? InitialState<X> : [S] extends [InitialState<unknown> | InlineState<unknown>] ? S : InitialState<S>;
/**
 * The state descriptor after `inline()`.
 *
 * @example
 * ```ts
 * type A = Inlined<InitialState<{ calls: number }>>; // InlineState<{ calls: number }>
 * type B = Inlined<NoState>; // NoState
 * ```
 */
export type Inlined<S> = [S] extends [NoState] ? NoState : InlineState<StateOf<S>>;

/**
 * The arguments after the first of a task's parameter list.
 *
 * @example
 * ```ts
 * type A = ExtraArgs<[x: number, y: number, tag: string]>; // [y: number, tag: string]
 * type B = ExtraArgs<[]>; // []
 * ```
 */
export type ExtraArgs<In extends readonly unknown[]> =
  In extends readonly [] ? [] : In extends readonly [unknown?, ...infer Rest] ? Rest : never;

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
export type ContinueCheck<T, In extends readonly unknown[], S = NoState, TS = NoState> =
  In extends readonly [] ? PipelineTypeError<'continueWith: this task takes no parameters, but continueWith passes the previous result as its first argument', [previousResult: T]>
  : 0 extends 1 & T ? StateFit<'continueWith', S, TS>
  : [T] extends [In[0]] ? StateFit<'continueWith', S, TS>
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
export type ExceptionallyCheck<In extends readonly unknown[], S = NoState, TS = NoState> =
  In extends readonly [] ? PipelineTypeError<'exceptionally: the handler takes no parameters, but it is called with the TaskError first'>
  : [TaskError] extends [In[0]] ? StateFit<'exceptionally', S, TS>
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
  set(options: EntryOptions & PipelineTypeError<'set: the last entry of this pipeline is a group; set() applies to a task (continue with one, or bind the group\'s tasks with these options)'>): Pipeline<T, S>;
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

// ---------------------------------------------------------------- groups

/**
 * Options of {@link inParallel}.
 *
 * @example
 * ```ts
 * const options: GroupOptions = { maxParallelism: 4, ordered: false, returnExceptions: true };
 * inParallel([1, 2, 3].map((x) => divide.send(6, x)), options);
 * ```
 */
export interface GroupOptions {
  /** At most this many branches in flight; unlimited by default. */
  readonly maxParallelism?: number;
  /** `false`: results in completion order instead of declaration order. */
  readonly ordered?: boolean;
  /** Put each failed branch's {@link TaskError} in its slot instead of failing the group. */
  readonly returnExceptions?: boolean;
}

// A flag that may be true (or false) at run time counts: `boolean` or an
// options variable typed GroupOptions must not be read as the default.
type SlotError<O> = 'returnExceptions' extends keyof O ? (true extends O['returnExceptions' & keyof O] ? TaskError : never) : never;
type IsUnordered<O> = 'ordered' extends keyof O ? (false extends O['ordered' & keyof O] ? true : false) : false;

/**
 * The result type of a group: a tuple for a tuple of branches, an array for
 * an array, an array of the union when unordered; {@link TaskError} added to
 * each slot with `returnExceptions: true`.
 *
 * @example
 * ```ts
 * type A = GroupResult<[Pipeline<number>, Pipeline<string>], {}>; // [number, string]
 * type B = GroupResult<Pipeline<number>[], { returnExceptions: true }>; // (number | TaskError)[]
 * ```
 */
export type GroupResult<P extends readonly PipelineLike<unknown>[], O> =
  IsUnordered<O> extends true ? Array<ResultOf<P[number]> | SlotError<O>>
  : number extends P['length'] ? Array<ResultOf<P[number]> | SlotError<O>>
  : { -readonly [K in keyof P]: ResultOf<P[K]> | SlotError<O> };

/** The state types of the stateful branches of a group (every branch runs on the group's state). */
type BranchStates<P extends readonly unknown[]> = Exclude<StateOfEach<StateDescriptorOf<P[number]>>, NoState>;
type StateOfEach<D> = D extends unknown ? StateOf<D> : never;

/**
 * The state descriptor of a group: {@link NoState} if no branch uses the
 * state, else the one state type its stateful branches share.
 *
 * @example
 * ```ts
 * type A = GroupState<[Pipeline<number>, Pipeline<string, { calls: number }>]>; // { calls: number }
 * ```
 */
export type GroupState<P extends readonly unknown[]> =
  [P[number]] extends [StatefulPipelineLike<unknown, NoState>] ? NoState
  : [BranchStates<P>] extends [never] ? NoState : OneState<BranchStates<P>>;
/** One member of a union of (checked to be) equivalent state types, e.g. the same shape declared twice. */
type OneState<U> = (U extends unknown ? (x: () => U) => void : never) extends (x: infer I) => void ? (I extends () => infer X ? X : U) : U;

/**
 * `unknown` when the stateful branches of a group all use the same state
 * type; otherwise a {@link PipelineTypeError} naming the state types.
 *
 * @example
 * ```ts
 * type Bad = GroupStateCheck<[Pipeline<number, { a: number }>, Pipeline<number, { b: string }>]>;
 * // PipelineTypeError<'inParallel: …', { branchStates: { a: number } | { b: string } }>
 * ```
 */
export type GroupStateCheck<P extends readonly unknown[]> =
  [P[number]] extends [StatefulPipelineLike<unknown, NoState>] ? unknown
  : [BranchStates<P>] extends [never] ? unknown
  : true extends { [K in keyof P]: BranchDiffers<StateOf<StateDescriptorOf<P[K]>>, BranchStates<P>> }[number]
    ? PipelineTypeError<'inParallel: the branches use different pipeline state types (every branch runs on the group\'s one state)', [branchStates: BranchStates<P>]>
    : unknown;
type BranchDiffers<X, All> = [X] extends [NoState] ? false : [All] extends [X] ? false : true;
