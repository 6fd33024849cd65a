/**
 * The public, fully typed face of the DSL: tasks, pipelines and the checks
 * that make wrong wirings fail to compile. The runtime classes behind these
 * interfaces (`builder.ts`) are untyped and small.
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
declare const taskTypes: unique symbol;

/**
 * Anything that runs to a result of type `T`: a {@link Pipeline} or a
 * {@link FinalPipeline}. Clients accept it; groups take it as a branch.
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
type BoxedResult<P> = P extends { readonly [resultType]?: { readonly value: infer T } } ? T : never;

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
type UnwrapOutput<R> = R extends PipelineLike<unknown> ? BoxedResult<R> : R extends PausePipeline<infer X> ? UnwrapOutput<Awaited<X>> : R extends Deferred<infer D> ? D : R;

/**
 * A bound task seen from pipelines: called with arguments `In`, it yields
 * `Out`. Bound tasks are also the plain function they were bound from (see
 * {@link BoundTask}).
 *
 * @example
 * ```ts
 * const t: Task<[number, number], number> = multiply;
 * ```
 */
export interface Task<In extends readonly unknown[], Out> {
  /** Phantom: arguments and result. Never set at run time. */
  readonly [taskTypes]?: {
    /** The arguments `send` takes. */
    readonly in: In;
    /** The result in a pipeline. */
    readonly out: Out;
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
  send(...args: In): Pipeline<Out>;
}

/**
 * A bound task: the original function, plus {@link Task}.
 *
 * @example
 * ```ts
 * type M = typeof multiply; // BoundTask<(x: number, y: number) => number, [x: number, y: number], number>
 * multiply(3, 2); // 6: the function
 * multiply.send(3, 2); // Pipeline<number>: the Task
 * ```
 */
export type BoundTask<F, In extends readonly unknown[], Out> = F & Task<In, Out>;

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
  readonly state?: S;
}

/**
 * `unknown` when a pipeline state of type `S` survives serialisation; otherwise a {@link PipelineTypeError}.
 *
 * @example
 * ```ts
 * type Ok = StateCheck<{ calls: number }>; // unknown
 * type Bad = StateCheck<{ onDone: () => void }>; // PipelineTypeError<'withInitial: the state.onDone is a function, which cannot be serialised'>
 * ```
 */
export type StateCheck<S> = [Unserializable<S, 'the state'>] extends [never]
  ? unknown
  : PipelineTypeError<`withInitial: ${Unserializable<S, 'the state'> & string}, which cannot be serialised`>;

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
 * `unknown` when a task with parameters `In` can continue a step that
 * yields `T`; otherwise a {@link PipelineTypeError} naming the problem.
 *
 * @example
 * ```ts
 * type Ok = ContinueCheck<number, [x: number, y: number]>; // unknown
 * type Bad = ContinueCheck<string, [x: number]>;
 * // PipelineTypeError<"continueWith: this task's first parameter does not accept the previous step's result">
 * ```
 */
export type ContinueCheck<T, In extends readonly unknown[]> =
  In extends readonly [] ? PipelineTypeError<'continueWith: this task takes no parameters, but continueWith passes the previous result as its first argument'>
  : 0 extends 1 & T ? unknown
  : [T] extends [In[0]] ? unknown
  : PipelineTypeError<"continueWith: this task's first parameter does not accept the previous step's result">;

/**
 * `unknown` when a task with parameters `In` can handle a {@link TaskError}; otherwise a {@link PipelineTypeError}.
 *
 * @example
 * ```ts
 * type Ok = ExceptionallyCheck<[error: TaskError, value: number]>; // unknown
 * type Bad = ExceptionallyCheck<[value: number]>;
 * // PipelineTypeError<'exceptionally: the handler must accept a TaskError as its first parameter'>
 * ```
 */
export type ExceptionallyCheck<In extends readonly unknown[]> =
  In extends readonly [] ? PipelineTypeError<'exceptionally: the handler takes no parameters, but it is called with the TaskError first'>
  : [TaskError] extends [In[0]] ? unknown
  : PipelineTypeError<'exceptionally: the handler must accept a TaskError as its first parameter'>;

/**
 * A pipeline whose result is `T`. Immutable: every method returns a new
 * pipeline.
 *
 * @example
 * ```ts
 * const p: Pipeline<number> = multiply.send(3, 2).continueWith(divide, 2); // divide(6, 2)
 * ```
 */
export interface Pipeline<out T> extends PipelineLike<T> {
  /**
   * Continues with `task(result, ...extra)`. The previous result is always
   * exactly the first argument.
   *
   * @example
   * ```ts
   * multiply.send(3, 2).continueWith(divide, 2); // Pipeline<number>: divide(6, 2)
   * ```
   */
  continueWith<In extends readonly unknown[], Out>(
    task: Task<In, Out> & ContinueCheck<T, In>,
    ...extra: ExtraArgs<In>
  ): Pipeline<Out>;

  /**
   * On failure of any step before it, calls `handler(error, ...extra)` and
   * resumes with its result; on success, passes the value through.
   *
   * @example
   * ```ts
   * divide.send(1, 0).exceptionally(fallback, 0); // Pipeline<number>
   * ```
   */
  exceptionally<In extends readonly unknown[], Out>(
    handler: Task<In, Out> & ExceptionallyCheck<In>,
    ...extra: ExtraArgs<In>
  ): Pipeline<T | Out>;

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
  finallyDo<In extends readonly unknown[], Out>(task: Task<In, Out>, ...args: In): FinalPipeline<T>;

  /**
   * Sets the pipeline state the first task starts with.
   *
   * @example
   * ```ts
   * counter.send(1).withInitial({ state: { calls: 0 } });
   * ```
   */
  withInitial<S>(options: InitialOptions<S> & StateCheck<S>): Pipeline<T>;

  /**
   * Overrides bind options (worker, retry, fixed task id, display name) on
   * the last entry of this pipeline.
   *
   * @example
   * ```ts
   * multiply.send(3, 2).set({ workerName: 'gpu', displayName: 'big multiply' });
   * ```
   */
  set(options: EntryOptions): Pipeline<T>;

  /**
   * Marks the pipeline inline: when an orchestrator task returns it, it starts
   * with the parent's state and hands its final state back.
   *
   * @example
   * ```ts
   * const step = tasks.bind('step', (n: number) => increment.send(n).inline());
   * ```
   */
  inline(): Pipeline<T>;

  /**
   * Pauses the pipeline once its last entry (a task or a group) has
   * finished, until `unpause`.
   *
   * @example
   * ```ts
   * const p = multiply.send(3, 2).pauseAfter().continueWith(divide, 2); // PAUSED after multiply
   * ```
   */
  pauseAfter(): Pipeline<T>;

  /**
   * Runs under `id` instead of a random one (later steps keep it): 1–200
   * letters, digits and `. _ : @ + = -`.
   *
   * @example
   * ```ts
   * await runtime.submit(placeOrder.send(cart).withId('order-42'));
   * ```
   */
  withId(id: string): Pipeline<T>;
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
export interface FinalPipeline<out T> extends PipelineLike<T> {
  /** Sets the pipeline state the first task starts with. */
  withInitial<S>(options: InitialOptions<S> & StateCheck<S>): FinalPipeline<T>;
  /** Marks the pipeline inline (see {@link Pipeline.inline}). */
  inline(): FinalPipeline<T>;
  /** Runs under `id` instead of a random one (see {@link Pipeline.withId}). */
  withId(id: string): FinalPipeline<T>;
}

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
