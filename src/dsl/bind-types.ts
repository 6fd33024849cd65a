/**
 * The types of {@link FlinkTasks.bind}: its options, what a bound function's
 * `send` takes and its task yields, and the checks that reject a function
 * or options that cannot work (unserialisable values, a missing
 * `TaskContext`, a stateful task that returns no state, …).
 *
 * @module
 */
import type { readyType } from './brands.js';
import type { TaskContext } from './context.js';
import type { PausePipeline } from './effects.js';
import type { RetryPolicy } from './retry.js';
import type { IsSerializable, Unserializable } from './serializable.js';
import type { PipelineTypeError } from './type-errors.js';
import type { InitialState, InlineState, NoState, PipelineLike, StateDescriptorOf, TaskOutput } from './types.js';

/**
 * Options of {@link FlinkTasks.bind}.
 *
 * @example
 * ```ts
 * const resize = tasks.bind(
 *   { name: 'resize', workerName: 'images', displayName: 'resize image', retry: new RetryPolicy({ maxRetries: 2 }) },
 *   (width: number) => width / 2,
 * );
 * ```
 */
export interface BindOptions {
  /** Stable name the task is found by on workers. */
  readonly name: string;
  /** Worker namespace (default: the instance's). */
  readonly namespace?: string;
  /** Worker function name (default: the instance's). */
  readonly workerName?: string;
  /** Retry policy. */
  readonly retry?: RetryPolicy;
  /** Fixed function id: every call shares one address and its task state. */
  readonly taskId?: string;
  /** Name shown in events and errors. */
  readonly displayName?: string;
  /** The task receives the pipeline state first and returns `{ state, result }`. */
  readonly withState?: boolean;
  /** The task receives a {@link TaskContext} first (before the state, if both). */
  readonly withContext?: boolean;
  /**
   * Longest one call may run, in milliseconds: after it the call fails with
   * `TaskTimeout` (retried by the retry policy like any error), its
   * `ctx.signal` is aborted, and a late result is dropped.
   */
  readonly timeoutMs?: number;
}

type ParamsOf<F> = F extends (...args: infer P) => unknown ? P : never;
// `...args: never` (not `never[]`): a rest parameter that is a union of tuples must match too.
type ReturnOf<F> = F extends (...args: never) => infer R ? R : never;
type DropFirst<P extends readonly unknown[]> = P extends readonly [unknown?, ...infer R] ? R : P;
/** The bind options a name stands for (one type for every name, so the checks below are shared). */
export type OptionsOf<O> = O extends string ? { readonly name: string } : O;
/** `'on'` for a literal `true`, `'off'` for `false` or absent, `'unknown'` when only known at run time (`boolean`). */
type Flag<O, K extends 'withState' | 'withContext'> = O extends string
  ? 'off'
  : K extends keyof O
    ? O[K] extends true
      ? 'on'
      : true extends O[K]
        ? 'unknown'
        : 'off'
    : 'off';
type IsOn<O, K extends 'withState' | 'withContext'> = Flag<O, K> extends 'on' ? true : false;

/**
 * What a task bound `withState` returns: the new pipeline state and its result.
 *
 * @example
 * ```ts
 * const r: StateAndResult<{ n: number }, string> = { state: { n: 1 }, result: 'one' };
 * ```
 */
export interface StateAndResult<S = unknown, R = unknown> {
  /** The pipeline state after this task. */
  readonly state: S;
  /** The task's result. */
  readonly result: R;
}

/**
 * The arguments `send` takes for a function `F` bound with options `O`.
 *
 * @example
 * ```ts
 * type A = SendArgs<(x: number, y: number) => number, { name: 'multiply' }>; // [x: number, y: number]
 * type B = SendArgs<(ctx: TaskContext, s: { n: number }, x: number) => unknown, { name: 't'; withContext: true; withState: true }>; // [x: number]
 * ```
 */
export type SendArgs<F, O> =
  IsOn<O, 'withContext'> extends true
    ? IsOn<O, 'withState'> extends true
      ? DropFirst<DropFirst<ParamsOf<F>>>
      : DropFirst<ParamsOf<F>>
    : IsOn<O, 'withState'> extends true
      ? DropFirst<ParamsOf<F>>
      : ParamsOf<F>;

/** What a task's returned value is in the pipeline, before promises, pipelines and effects are unwrapped. */
type RawOutput<F, O> = IsOn<O, 'withState'> extends true ? (Awaited<ReturnOf<F>> extends StateAndResult<unknown, infer X> ? X : never) : ReturnOf<F>;

/**
 * The pipeline result of a function `F` bound with options `O`.
 *
 * @example
 * ```ts
 * type A = OutputOf<(x: number) => Promise<string>, { name: 'a' }>; // string
 * type B = OutputOf<(s: { n: number }, x: number) => { state: { n: number }; result: boolean }, { name: 'b'; withState: true }>; // boolean
 * ```
 */
export type OutputOf<F, O> = TaskOutput<RawOutput<F, O>>;

/** The state parameter of a task bound `withState` (after the context, if any). */
type StateParam<F, O> = IsOn<O, 'withContext'> extends true ? ParamsOf<F>[1] : ParamsOf<F>[0];
/** The state a task bound `withState` returns. */
type ReturnedState<F> = Awaited<ReturnOf<F>> extends StateAndResult<infer S> ? S : never;

/**
 * The state descriptors of the pipelines a task may return (an
 * orchestrator), `never` if it returns none. One pass over the result type.
 */
type ChildDescriptors<R> = 0 extends 1 & R
  ? never
  : R extends PipelineLike<unknown>
    ? typeof readyType extends keyof R
      ? StateDescriptorOf<R>
      : 'untyped' // known only as PipelineLike: whether it needs a state is lost (refused by ChildStateCheck)
    : R extends PausePipeline<unknown>
      ? ChildDescriptors<Awaited<R['result']>>
      : never;
/** The state types of the inline pipelines among `D`. */
type InlineStates<D> = D extends InlineState<infer X> ? X : never;
/** The pipelines among `D` that run on their own but cannot (no initial state). */
type UnreadyStates<D> = D extends NoState | InitialState<unknown> | InlineState<unknown> ? never : undefined extends D ? never : D;

/**
 * The pipeline state type of a function `F` bound with options `O`:
 * its state parameter when bound `withState`; the state of the inline
 * pipeline it returns, for an orchestrator; otherwise {@link NoState}.
 *
 * @example
 * ```ts
 * type A = TaskStateOf<(s: { calls: number }, x: number) => StateAndResult<{ calls: number }, number>, { name: 'a'; withState: true }>; // { calls: number }
 * type B = TaskStateOf<(x: number) => number, { name: 'b' }>; // NoState
 * ```
 */
export type TaskStateOf<F, O> =
  IsOn<O, 'withState'> extends true
    ? StateParam<F, O>
    : // `Alias<…> extends never` (not `[X] extends [never]`): not distributive, and no tuple to make
      InlineStates<ChildDescriptors<Awaited<ReturnOf<F>>>> extends never
      ? NoState
      : InlineStates<ChildDescriptors<Awaited<ReturnOf<F>>>>;

// `-?`: an optional parameter must not add `undefined` to the problems. A parameter typed
// `never` is what a generic function's type parameter becomes when it is bound: its types are lost.
type NeverParams<A extends readonly unknown[]> = MaybeNever<A> extends never ? never : NeverParamsFound<A>;
// A first pass without a tuple around each parameter (cheaper); it also lets `any` through,
// which the exact pass below then tells apart from `never`.
type MaybeNever<A extends readonly unknown[]> = { [K in keyof A]-?: A[K] extends never ? K : never }[number];
type NeverParamsFound<A extends readonly unknown[]> = {
  [K in keyof A]-?: [A[K]] extends [never]
    ? `parameter ${K & string} has type never (is the function generic? bind one concrete signature, e.g. f<number>)`
    : never;
}[number];
type ParamProblems<A extends readonly unknown[]> = { [K in keyof A]-?: Unserializable<A[K], `parameter ${K & string}`> }[number];

/** Every value a task sends or receives through the pipeline, as one union (checked at once). */
type Values<F, O> = SendArgs<F, O>[number] | OutputOf<F, O> | (IsOn<O, 'withState'> extends true ? StateParam<F, O> | ReturnedState<F> : never);

// One check of all values at once; the places are searched only when it fails.
type BindProblems<F, O> =
  | NeverParams<SendArgs<F, O>>
  | (IsSerializable<Values<F, O>> extends true
      ? never
      : | ParamProblems<SendArgs<F, O>>
        | Unserializable<OutputOf<F, O>, 'the result'>
        | (IsOn<O, 'withState'> extends true
            ? Unserializable<StateParam<F, O>, 'the state parameter'> | Unserializable<ReturnedState<F>, 'the returned state'>
            : never));

/** The declared `this` of a function (`unknown` when none is declared). */
type ThisOf<F> = F extends (this: infer This, ...args: never[]) => unknown ? This : unknown;

/**
 * `unknown` when `F` can be bound with options `O`; otherwise a {@link PipelineTypeError}.
 *
 * @example
 * ```ts
 * type Ok = BindCheck<(x: number) => number, { name: 'double' }>; // unknown
 * type Bad = BindCheck<(cb: () => void) => number, { name: 'bad' }>;
 * // PipelineTypeError<'bind: parameter 0 is a function, which cannot be serialised (register classes with registerClass)'>
 * ```
 */
export type BindCheck<F, O> =
  Flag<O, 'withState'> extends 'unknown'
    ? PipelineTypeError<"bind: withState must be a literal true or false here, but it is typed boolean (options in a variable, or typed BindOptions): write the options inline or with 'as const'">
    : Flag<O, 'withContext'> extends 'unknown'
      ? PipelineTypeError<"bind: withContext must be a literal true or false here, but it is typed boolean (options in a variable, or typed BindOptions): write the options inline or with 'as const'">
      : unknown extends ThisOf<F>
        ? ContextCheck<F, O>
        : PipelineTypeError<'bind: the function declares a `this` parameter, but workers call tasks without one', [thisParameter: ThisOf<F>]>;

type ContextCheck<F, O> =
  IsOn<O, 'withContext'> extends true
    ? [TaskContext] extends [ParamsOf<F>[0]]
      ? StateShapeCheck<F, O>
      : PipelineTypeError<'bind: a task bound withContext must take a TaskContext as its first parameter', [firstParameter: ParamsOf<F>[0]]>
    : StateShapeCheck<F, O>;

type StateShapeCheck<F, O> =
  IsOn<O, 'withState'> extends true
    ? Awaited<ReturnOf<F>> extends StateAndResult
      ? [ReturnedState<F>] extends [StateParam<F, O>]
        ? ChildCheck<F, O>
        : PipelineTypeError<
            'bind: the state a task bound withState returns must fit its state parameter (the next stateful task receives it)',
            [stateParameter: StateParam<F, O>, returnedState: ReturnedState<F>]
          >
      : PipelineTypeError<'bind: a task bound withState must return { state, result }', [returns: Awaited<ReturnOf<F>>]>
    : ChildCheck<F, O>;

type ChildCheck<F, O> =
  ChildDescriptors<Awaited<RawOutput<F, O>>> extends never ? ProblemsToCheck<F, O> : ChildStateCheck<ChildDescriptors<Awaited<RawOutput<F, O>>>, F, O>;

type ChildStateCheck<D, F, O> = 'untyped' extends D
  ? PipelineTypeError<"bind: this task returns a pipeline typed only as PipelineLike<T>, which does not say whether it needs a state: return the pipeline's own type, or a RunnablePipeline<T>">
  : [UnreadyStates<D>] extends [never]
    ? IsOn<O, 'withState'> extends true
      ? [InlineStates<D>] extends [never]
        ? ProblemsToCheck<F, O>
        : SameChildState<StateParam<F, O>, InlineStates<D>, F, O>
      : ProblemsToCheck<F, O>
    : PipelineTypeError<
        "bind: this task returns a pipeline whose tasks need a state, but it has no initial state: call withInitial({ state }) on it, or inline() to run it on the calling pipeline's state",
        [childState: UnreadyStates<D>]
      >;

type SameChildState<P, X, F, O> = [P] extends [X]
  ? [X] extends [P]
    ? ProblemsToCheck<F, O>
    : PipelineTypeError<
        "bind: the inline pipeline this task returns uses another state type than the task's state parameter",
        [stateParameter: P, childState: X]
      >
  : PipelineTypeError<
      "bind: the inline pipeline this task returns uses another state type than the task's state parameter",
      [stateParameter: P, childState: X]
    >;

/**
 * `unknown` when `O` has only known bind options; otherwise a {@link PipelineTypeError} naming the unknown one.
 *
 * @example
 * ```ts
 * type Ok = OptionsCheck<{ name: 'x'; withState: true }>; // unknown
 * type Bad = OptionsCheck<{ name: 'x'; retries: 3 }>; // PipelineTypeError<"bind: unknown option 'retries'">
 * ```
 */
export type OptionsCheck<O> = O extends string
  ? unknown
  : [Exclude<keyof O, keyof BindOptions>] extends [never]
    ? unknown
    : PipelineTypeError<`bind: unknown option '${Exclude<keyof O, keyof BindOptions> & string}'`>;

type ProblemsToCheck<F, O> =
  BindProblems<F, O> extends never
    ? unknown
    : PipelineTypeError<`bind: ${BindProblems<F, O> & string}, which cannot be serialised (register classes with registerClass)`>;
