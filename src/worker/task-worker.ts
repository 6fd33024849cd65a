/**
 * The worker function: runs bound tasks for pipeline functions. Awaits async
 * tasks, turns every throw into a `TaskException` reply, retries through
 * delayed messages, and starts a child pipeline when a task returns one.
 * Never throws, and always answers the pipeline that asked.
 *
 * Over 300 lines on purpose: one call's life (prepare, the path without
 * promises or the general one, timeout and cancellation, retries, the
 * outcome and the hooks around each step) reads in order here; what each
 * step sends is in `replies.ts`, the fast path in `fast-path.ts`, the bound
 * in `within.ts`, progress in `progress.ts`.
 *
 * @module
 */
import type { FunctionAddress } from '../core/address.js';
import { systemClock, type Clock } from '../core/clock.js';
import { ErrorCode } from '../core/error-codes.js';
import { TaskError } from '../core/errors.js';
import type { Limits } from '../core/limits.js';
import { silentLogger, type Logger } from '../core/log.js';
import { isRetryable, retryDelay } from '../core/retry-rules.js';
import type { Routes } from '../core/routes.js';
import { startTaskSpan, tracingEnabled, type SpanEnd, type TraceSpan } from '../core/tracing.js';
import { isPipeline } from '../dsl/builder.js';
import { deferredNonce } from '../dsl/deferred.js';
import type { TaskDescriptor } from '../dsl/descriptor.js';
import { isPausePipeline } from '../dsl/effects.js';
import type { FlinkTasks } from '../dsl/flink-tasks.js';
import { Effects, type FunctionMessage } from '../executor/effects.js';
import type { EventsConfig } from '../executor/events.js';
import { codecs, Typenames } from '../wire/codec.js';
import type { TaskRequest } from '../wire/generated/flinktasks.js';
import { retryFromWire } from '../wire/pipeline.js';
import { decodeJson, encodeJson } from '../wire/values.js';
import { CallControl } from './call-control.js';
import { isInlineable, isThenable, replyAtOnce, type FirstCall } from './fast-path.js';
import { progressFor, type CallProgress } from './progress.js';
import { bounded, callFields, encodedResult, replyError, sendResult, startChild } from './replies.js';
import type { ResultSink } from './result-sink.js';
import { RunningCalls } from './running-calls.js';
import { taskContext, type TaskStorage } from './task-context.js';
import { argumentError, argumentsOf, callsOf, kindOf, originOf, replyAddressOf } from './task-request.js';
import { taskEvents } from './task-events.js';
import { within, type CallEnd } from './within.js';
import type { TaskEventInfo, WorkerHooks } from './worker-hooks.js';

/** A decoded task request and the task it names (if bound here). */
export interface PreparedTask {
  /** The request. */
  readonly request: TaskRequest;
  /** The task, or `undefined` if no task of that name is bound. */
  readonly descriptor: TaskDescriptor | undefined;
  /** The map request this call is one of, if it came in one (its plain result then travels with the others'). */
  readonly map?: TaskRequest | undefined;
}

/** What a worker needs besides its tasks. */
export interface WorkerOptions {
  readonly hooks?: WorkerHooks | undefined;
  readonly limits: Limits;
  readonly routes: Routes;
  /** Where retry events go, if anywhere. */
  readonly events?: EventsConfig | undefined;
  /** Time for timeouts; default the real clock. */
  readonly clock?: Clock | undefined;
  /** Where `ctx.log` and the worker's own lines go; default nowhere. */
  readonly logger?: Logger | undefined;
  /** Sends progress reports live (as heartbeats to the pipeline); without one, they go in the call's response. */
  readonly resultSink?: ResultSink | undefined;
}

/** What a call that ended in time did: returned a result, a pipeline (an orchestrator), or deferred its result. */
type RunEnd = 'succeeded' | 'pipeline' | 'deferred';

/**
 * Runs tasks of one {@link FlinkTasks} registry.
 *
 * @example
 * ```ts
 * const worker = new TaskWorker(tasks, { limits: DEFAULT_LIMITS, routes });
 * const prepared = worker.prepare(self, message, effects);
 * if (prepared) await worker.execute(self, prepared, storage, effects);
 * ```
 */
export class TaskWorker {
  readonly hooks: WorkerHooks;
  /** Calls running in this process, for cancellation. */
  readonly running = new RunningCalls();
  readonly #clock: Clock;
  readonly #logger: Logger;

  constructor(
    readonly tasks: FlinkTasks,
    readonly options: WorkerOptions,
  ) {
    this.hooks = options.hooks ?? {};
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
  }

  /**
   * Decodes a message and finds its task; `undefined` (with a log line) for
   * messages that are not task requests.
   */
  prepare(self: FunctionAddress, message: FunctionMessage, effects: Effects): PreparedTask | undefined {
    if (message.typename === Typenames.taskCancel) {
      this.#cancel(self, message.payload, effects);
      return undefined;
    }
    if (message.typename !== Typenames.taskRequest) {
      effects.log('warn', 'worker dropped a message of unknown type', { worker: `${self.namespace}/${self.name}`, typename: message.typename });
      return undefined;
    }
    try {
      const request = codecs.taskRequest.decode(message.payload);
      return { request, descriptor: this.tasks.task(request.taskName) };
    } catch (err) {
      effects.log('error', 'worker dropped an undecodable task request', { worker: `${self.namespace}/${self.name}/${self.id}`, error: String(err) });
      return undefined;
    }
  }

  /**
   * The calls a prepared request asks for: itself, or one per branch of a
   * map request (`TaskRequest.map_branches`), each with the request it
   * would have had if sent alone. None (with a log line) for a map request
   * whose arguments do not decode.
   */
  expand(self: FunctionAddress, prepared: PreparedTask, effects: Effects): PreparedTask[] {
    const { request, descriptor } = prepared;
    if (request.mapBranches.length === 0) return [prepared];
    try {
      return callsOf(request).map((r) => ({ request: r, descriptor, map: request }));
    } catch (err) {
      effects.log('error', 'worker dropped a map request whose arguments do not decode', {
        worker: `${self.namespace}/${self.name}/${self.id}`,
        error: String(err),
      });
      return [];
    }
  }

  /** A pipeline was cancelled: abort its calls running here. */
  #cancel(self: FunctionAddress, payload: Uint8Array, effects: Effects): void {
    try {
      const aborted = this.cancelRun(payload);
      effects.log('debug', 'aborted the task calls of a cancelled pipeline', { worker: `${self.namespace}/${self.name}`, calls: aborted });
    } catch (err) {
      effects.log('warn', 'worker dropped an undecodable cancellation', { error: String(err) });
    }
  }

  /**
   * Aborts the calls running in this process for the run a cancellation
   * (`TaskCancel` bytes) names; returns how many. Throws on bytes that are
   * not a cancellation.
   */
  cancelRun(cancel: Uint8Array): number {
    const { invocationId, reason, spareUid } = codecs.taskCancel.decode(cancel);
    if (invocationId === '') return 0;
    return this.running.abortRun(
      invocationId,
      new TaskError({ errorType: ErrorCode.PipelineCancelled, message: reason || 'the pipeline was cancelled' }),
      spareUid,
    );
  }

  /**
   * Runs a prepared task and answers its pipeline. Never throws. A call of a
   * plain task (no worker hooks, not bound withContext or withState, not an
   * async function) whose function returns a plain value at once has ended
   * when this returns (`undefined`): no promise is made for it. Any other
   * call has ended when the returned promise resolves. Both end the same way.
   * With tracing on, each attempt is a span (see `#traced`).
   */
  execute(self: FunctionAddress, prepared: PreparedTask, storage: TaskStorage, effects: Effects, first?: FirstCall): Promise<void> | undefined {
    const { request, descriptor } = prepared;
    // `first`: the caller already called the task's function (a plain call, see `callsAtOnce`), which returned or threw something else than a plain value.
    if (first) return this.#execute(self, prepared, storage, effects, first, undefined).then(() => undefined);
    if (tracingEnabled()) return this.#traced(self, prepared, storage, effects);
    if (!descriptor || !isInlineable(descriptor, this.hooks))
      return this.#execute(self, prepared, storage, effects, undefined, undefined).then(() => undefined);
    let returned: unknown;
    try {
      returned = this.#invoke(self, request, descriptor, storage, effects, undefined);
    } catch (thrown) {
      return this.#execute(self, prepared, storage, effects, { thrown }, undefined).then(() => undefined);
    }
    if (isThenable(returned) || !replyAtOnce(this.options.limits, request, descriptor, returned, effects, prepared.map)) {
      return this.#execute(self, prepared, storage, effects, { returned }, undefined).then(() => undefined);
    }
    return undefined;
  }

  /** `execute` as one span per attempt, a child of the pipeline's trace context carried in the request. */
  async #traced(self: FunctionAddress, prepared: PreparedTask, storage: TaskStorage, effects: Effects): Promise<void> {
    const { request } = prepared;
    const origin = originOf(request);
    const trace = await startTaskSpan(request.meta, {
      taskName: request.taskName,
      taskId: request.id,
      attempt: request.attempt,
      pipelineId: origin.pipelineId,
      rootPipelineId: origin.rootPipelineId,
    }).catch(() => undefined);
    const end = await this.#execute(self, prepared, storage, effects, undefined, trace);
    try {
      trace?.end(end);
    } catch (err) {
      effects.log('warn', 'could not end a task span', { task: request.taskName, id: request.id, error: String(err) });
    }
  }

  /**
   * Whether calls of `d` may be made at once, without promises, hooks or
   * spans (see `execute`): the caller may then call `d.fn` itself and answer
   * a plain value it returns as `execute` would, or hand anything else to
   * `execute` as `first`.
   */
  callsAtOnce(d: TaskDescriptor): boolean {
    return !tracingEnabled() && isInlineable(d, this.hooks);
  }

  /**
   * `execute` with promises; `first`: how the task's function already
   * answered, if it was called; `trace`: the attempt's span, if traced. Says
   * how the attempt ended. Never throws.
   */
  async #execute(
    self: FunctionAddress,
    prepared: PreparedTask,
    storage: TaskStorage,
    effects: Effects,
    first: FirstCall | undefined,
    trace: TraceSpan | undefined,
  ): Promise<SpanEnd> {
    const { request, descriptor } = prepared;
    const info: TaskEventInfo = { taskId: request.id, taskName: request.taskName, pipelineId: originOf(request).pipelineId, attempt: request.attempt };
    const control = new CallControl();
    const unregister = this.running.add(request.invocationId, control, request.uid);
    try {
      if (this.hooks.taskReceived) await this.hook('taskReceived', info, effects);
      if (!descriptor) {
        const error = new TaskError({
          errorType: ErrorCode.UnknownTask,
          message: `no task named '${request.taskName}' is bound on worker ${self.namespace}/${self.name}; bind it in this worker's FlinkTasks`,
          taskName: request.taskName,
          taskId: request.id,
        });
        replyError(request, error, effects);
        return { outcome: 'failed', error };
      }
      if (this.hooks.taskStarted) await this.hook('taskStarted', info, effects);
      // The call collects its effects apart: they count only if it ends in time.
      const own = new Effects(effects.now, effects.debug);
      const progress = descriptor.withContext ? progressFor(request, own, this.options.resultSink, this.#clock, this.#logger) : undefined;
      let end: CallEnd;
      let ran: RunEnd = 'succeeded';
      const call = async (): Promise<void> => {
        ran = await this.run(self, request, descriptor, storage, info, own, control, progress, trace, first);
      };
      try {
        end = await within(this.#clock, request.timeoutMs, control, trace ? () => trace.within(call) : call);
      } catch (thrown) {
        const error = TaskError.from(thrown, { taskName: request.taskName, taskId: request.id });
        return { outcome: await this.fail(self, request, error, effects), error };
      } finally {
        progress?.close();
      }
      if (end === 'done') {
        effects.absorb(own);
        return { outcome: ran };
      }
      if (end === 'timeout') {
        const error = new TaskError({
          errorType: ErrorCode.TaskTimeout,
          message: `task '${request.taskName}' ran longer than its timeout of ${request.timeoutMs} ms; its call was aborted and any later result is dropped`,
          taskName: request.taskName,
          taskId: request.id,
        });
        return { outcome: await this.fail(self, request, error, effects), error };
      }
      effects.log('debug', 'a cancelled task call was aborted; its result is dropped', { task: request.taskName, id: request.id });
      return { outcome: 'cancelled' };
    } catch (internal) {
      // Only a bug gets here; the pipeline must still hear about its task.
      effects.log('error', 'worker failed internally', { task: request.taskName, id: request.id, error: String(internal) });
      const error = new TaskError({
        errorType: ErrorCode.WorkerInternalError,
        message: `flink-tasks worker ${self.namespace}/${self.name} failed internally while running task '${request.taskName}': ${TaskError.from(internal).message}`,
        taskName: request.taskName,
        taskId: request.id,
      });
      replyError(request, error, effects);
      return { outcome: 'failed', error };
    } finally {
      unregister();
    }
  }

  /**
   * The call failed with `error`: run it again after the retry policy's
   * delay, or answer the pipeline with the error. Never throws.
   */
  async fail(self: FunctionAddress, request: TaskRequest, error: TaskError, effects: Effects): Promise<'retried' | 'failed'> {
    const info: TaskEventInfo = { taskId: request.id, taskName: request.taskName, pipelineId: originOf(request).pipelineId, attempt: request.attempt };
    const policy = request.retryPolicy ? retryFromWire(request.retryPolicy) : undefined;
    if (policy && request.attempt < policy.maxRetries && isRetryable(policy, error.errorTypes)) {
      const retryCount = request.attempt + 1;
      const delayMs = retryDelay(policy, retryCount);
      effects.sendAfter({ target: self, typename: Typenames.taskRequest, payload: codecs.taskRequest.encode({ ...request, attempt: retryCount }), delayMs });
      effects.log('debug', 'task failed; retrying', {
        ...callFields(request),
        errorType: error.errorType,
        error: error.message,
        retryInMs: delayMs,
        nextAttempt: retryCount,
      });
      taskEvents(this.options.events, request, effects)?.retried(error, delayMs);
      if (this.hooks.taskRetry) await this.hook('taskRetry', { ...info, error, retryCount, delayMs }, effects);
      return 'retried';
    }
    if (this.hooks.taskFinished) await this.hook('taskFinished', { ...info, error, returnedPipeline: false }, effects);
    effects.log('debug', 'task failed', { ...callFields(request), errorType: error.errorType, error: error.message });
    replyError(request, error, effects);
    if (this.hooks.resultEmitted) await this.hook('resultEmitted', { ...info, failed: true }, effects);
    return 'failed';
  }

  private async run(
    self: FunctionAddress,
    request: TaskRequest,
    d: TaskDescriptor,
    storage: TaskStorage,
    info: TaskEventInfo,
    effects: Effects,
    control: CallControl,
    progress: CallProgress | undefined,
    trace: TraceSpan | undefined,
    first: FirstCall | undefined,
  ): Promise<RunEnd> {
    const { limits } = this.options;
    if (first && 'thrown' in first) throw first.thrown;
    let returned: unknown = await (first ? first.returned : this.#invoke(self, request, d, storage, effects, control, progress));

    let state: Uint8Array | undefined = request.state;
    if (d.withState) {
      if (typeof returned !== 'object' || returned === null || !('state' in returned) || !('result' in returned)) {
        throw new TypeError(`task '${d.name}' is bound withState and must return { state, result }, but returned ${kindOf(returned)}`);
      }
      const r = returned;
      state = bounded(limits, d, request, encodeJson(r.state, `the state returned by task '${d.name}'`), 'the state it returned');
      returned = await r.result;
    }
    let pauseAfter = false;
    if (isPausePipeline(returned)) {
      pauseAfter = true;
      returned = await returned.result;
    }
    const replyAddress = replyAddressOf(request);
    if (!replyAddress) {
      effects.log('warn', 'task finished but its request has no reply address', { task: d.name, id: request.id });
      return 'succeeded';
    }
    const nonce = deferredNonce(returned);
    if (nonce !== undefined) {
      if (!d.withContext)
        throw new TypeError(`task '${d.name}' returned a deferred result but is not bound withContext; bind it { withContext: true } and use its ctx.defer()`);
      if (control.aborted) return 'deferred';
      if (this.hooks.taskFinished) await this.hook('taskFinished', { ...info, result: returned, returnedPipeline: false }, effects);
      effects.log('debug', 'task deferred its result', callFields(request));
      sendResult(effects, replyAddress, request, { deferNonce: nonce });
      return 'deferred';
    }
    let result: Uint8Array | undefined;
    let childId = '';
    if (isPipeline(returned)) {
      // Its tasks nest under this task's span (or, untraced here, under what the request carried).
      childId = startChild(limits, d, request, returned.toIR(), state, trace ? trace.meta() : request.meta, effects);
    } else {
      result = encodedResult(limits, d, request, returned);
    }
    // Too late: the call timed out or was cancelled meanwhile; its outcome is not reported.
    if (control.aborted) return childId !== '' ? 'pipeline' : 'succeeded';
    if (this.hooks.taskFinished)
      await this.hook('taskFinished', { ...info, result: childId !== '' ? childId : returned, returnedPipeline: childId !== '' }, effects);
    effects.log('debug', childId !== '' ? 'task returned a pipeline' : 'task succeeded', {
      ...callFields(request),
      ...(childId !== '' ? { childPipeline: childId } : {}),
    });
    sendResult(effects, replyAddress, request, { result, state, pauseAfter, childPipelineId: childId });
    if (this.hooks.resultEmitted) await this.hook('resultEmitted', { ...info, failed: false }, effects);
    return childId !== '' ? 'pipeline' : 'succeeded';
  }

  /** Calls the task's function with the request's arguments (after its context or state); returns what it returned. */
  #invoke(
    self: FunctionAddress,
    request: TaskRequest,
    d: TaskDescriptor,
    storage: TaskStorage,
    effects: Effects,
    control: CallControl | undefined,
    progress?: CallProgress,
  ): unknown {
    const { limits, routes } = this.options;
    const args = argumentsOf(request);
    const leading: unknown[] = [];
    if (d.withContext)
      leading.push(
        taskContext(request, d, { self, storage, effects, limits, routes, signal: (control ?? new CallControl()).signal, progress, logger: this.#logger }),
      );
    if (d.withState) leading.push(request.state && request.state.length > 0 ? decodeJson(request.state) : undefined);
    // `length` counts the parameters before the first default or rest one: fewer arguments cannot be right.
    const required = d.arity - leading.length;
    if (args.length < required) {
      throw argumentError(
        request,
        `task '${d.name}' takes at least ${required} argument${required === 1 ? '' : 's'}, but was called with ${args.length} (an untyped caller?)`,
      );
    }
    return leading.length === 0 ? d.fn(...args) : d.fn(...leading, ...args);
  }

  private hook<K extends keyof WorkerHooks>(name: K, info: Parameters<NonNullable<WorkerHooks[K]>>[0], effects: Effects): Promise<void> | undefined {
    const hook = this.hooks[name] as ((i: typeof info) => void | Promise<void>) | undefined;
    return hook ? this.callHook(name, hook, info, effects) : undefined;
  }

  private async callHook<I extends { taskName: string }>(name: string, hook: (i: I) => void | Promise<void>, info: I, effects: Effects): Promise<void> {
    try {
      await hook.call(this.hooks, info);
    } catch (err) {
      effects.log('warn', `worker hook ${name} threw; the task goes on`, { hook: name, task: info.taskName, error: TaskError.from(err).message });
    }
  }
}
