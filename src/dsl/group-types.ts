/**
 * The types of groups ({@link inParallel}): options, result types, and the
 * one state their branches share.
 *
 * @module
 */
import type { TaskError } from '../core/errors.js';
import type { PipelineLike, ResultOf, RunnablePipeline, StatefulPipelineLike, StateDescriptorOf } from './pipeline-like.js';
import type { NoState, StateOf } from './state-types.js';
import type { PipelineTypeError } from './type-errors.js';

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
  IsUnordered<O> extends true
    ? (ResultOf<P[number]> | SlotError<O>)[]
    : number extends P['length']
      ? (ResultOf<P[number]> | SlotError<O>)[]
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
export type GroupState<P extends readonly unknown[]> = [P[number]] extends [StatefulPipelineLike<unknown>]
  ? NoState
  : [BranchStates<P>] extends [never]
    ? NoState
    : OneState<BranchStates<P>>;
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
export type GroupStateCheck<P extends readonly unknown[]> = [P[number]] extends [StatefulPipelineLike<unknown>]
  ? unknown
  : // the branches known only as PipelineLike, without the readiness of typed pipelines and
    // RunnablePipeline (keys only: no property type is computed)
    [P[number] extends infer B ? (B extends unknown ? (keyof RunnablePipeline<unknown> extends keyof B ? never : B) : never) : never] extends [never]
    ? [BranchStates<P>] extends [never]
      ? unknown
      : true extends { [K in keyof P]: BranchDiffers<StateOf<StateDescriptorOf<P[K]>>, BranchStates<P>> }[number]
        ? PipelineTypeError<
            "inParallel: the branches use different pipeline state types (every branch runs on the group's one state)",
            [branchStates: BranchStates<P>]
          >
        : unknown
    : PipelineTypeError<
        "inParallel: a branch typed only as PipelineLike<T> does not say whether it uses the pipeline state: keep the branch's own pipeline type, or type it RunnablePipeline<T>",
        [untypedBranch: P[number] extends infer B ? (B extends unknown ? (keyof RunnablePipeline<unknown> extends keyof B ? never : B) : never) : never]
      >;
type BranchDiffers<X, All> = [X] extends [NoState] ? false : [All] extends [X] ? false : true;
