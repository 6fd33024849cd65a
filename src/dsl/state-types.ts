/**
 * Pipeline state at the type level: the descriptors a pipeline's state type
 * can be ({@link NoState}, a state type, {@link InitialState},
 * {@link InlineState}) and how steps change and check them.
 *
 * @module
 */
import type { initialBrand, inlineBrand, noStateBrand } from './brands.js';
import type { Unserializable } from './serializable.js';
import type { PipelineTypeError } from './type-errors.js';

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
export type ReadyOf<S> = [S] extends [NoState]
  ? 'ready'
  : [S] extends [InitialState<unknown>]
    ? 'ready'
    : undefined extends StateOf<S>
      ? 'ready'
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
export type StateFit<Where extends string, S, TS> = [TS] extends [NoState] ? unknown : [S] extends [NoState] ? unknown : SameState<Where, StateOf<S>, TS>;
// The error is written out in place: an alias would be printed by its name instead of the sentence.
type SameState<Where extends string, PS, TS> = [PS] extends [TS]
  ? [TS] extends [PS]
    ? unknown
    : PipelineTypeError<
        `${Where}: the task's state type is not the pipeline's state type (all stateful tasks of a pipeline share one state type)`,
        [pipelineState: PS, taskState: TS]
      >
  : PipelineTypeError<
      `${Where}: the task's state type is not the pipeline's state type (all stateful tasks of a pipeline share one state type)`,
      [pipelineState: PS, taskState: TS]
    >;

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
export type StateCheck<X, S = NoState> = [Unserializable<X, 'the state'>] extends [never]
  ? [StateOf<S>] extends [NoState]
    ? unknown
    : [X] extends [StateOf<S>]
      ? unknown
      : PipelineTypeError<"withInitial: the initial state does not fit the state type of this pipeline's tasks", [initialState: X, pipelineState: StateOf<S>]>
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
