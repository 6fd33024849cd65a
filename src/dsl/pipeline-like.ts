/**
 * What every pipeline is, whatever its builder: {@link PipelineLike} (what
 * clients and groups accept), its state and readiness, and the types read
 * off a pipeline or a task's return value.
 *
 * @module
 */
import type { PipelineNode } from '../ir/nodes.js';
import type { readyType, resultType, stateType } from './brands.js';
import type { Deferred } from './deferred.js';
import type { PausePipeline } from './effects.js';
import type { NoState, ReadyOf } from './state-types.js';

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
  /**
   * Phantom: `'ready'` when the pipeline can run on its own. Never set at run
   * time, but required in the type: a pipeline widened to {@link PipelineLike}
   * loses it, so it can no longer be submitted with its state requirement hidden.
   */
  readonly [readyType]: ReadyOf<S>;
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
  /**
   * Phantom: only pipelines that can run on their own. Required: a value
   * typed {@link PipelineLike} does not say whether it needs an initial state,
   * so it is not runnable (keep the pipeline's own type, or type it `RunnablePipeline<T>`).
   */
  readonly [readyType]: 'ready';
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
type UnwrapOutput<R> = 0 extends 1 & R
  ? R
  : R extends PipelineLike<unknown>
    ? BoxedResult<R>
    : R extends PausePipeline<unknown>
      ? UnwrapOutput<Awaited<R['result']>>
      : R extends Deferred<infer D>
        ? D
        : R;
