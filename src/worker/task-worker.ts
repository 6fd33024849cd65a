/**
 * The worker function: runs bound tasks for pipeline functions. Awaits async
 * tasks, turns every throw into a `TaskException` reply, retries through
 * delayed messages, and starts a child pipeline when a task returns one.
 * Never throws, and always answers the pipeline that asked.
 *
 * @module
 */
import type { FunctionAddress } from '../core/address.js';
import { systemClock, type Clock } from '../core/clock.js';
import { ErrorCode } from '../core/error-codes.js';
import { TaskError } from '../core/errors.js';
import type { Limits } from '../core/limits.js';
import { isRetryable, retryDelay } from '../core/retry-rules.js';
import type { Routes } from '../core/routes.js';
import { silentLogger, type Logger } from '../core/log.js';
import { startTaskSpan, tracingEnabled, type SpanEnd, type TraceSpan } from '../core/tracing.js';
import { isPipeline } from '../dsl/builder.js';
import { deferredNonce } from '../dsl/deferred.js';
import type { TaskDescriptor } from '../dsl/descriptor.js';
import { isPausePipeline } from '../dsl/effects.js';
import type { FlinkTasks } from '../dsl/flink-tasks.js';
import { Effects, type FunctionMessage } from '../executor/effects.js';
import type { EventsConfig } from '../executor/events.js';
import { fromWireAddress } from '../wire/address.js';
import { codecs, Typenames } from '../wire/codec.js';
import { TaskResult, type Address, type TaskException, type TaskRequest } from '../wire/generated/flinktasks.js';
import { pipelineToWire, retryFromWire } from '../wire/pipeline.js';
import { formatBytes } from '../wire/sizes.js';
import { decodeJson, encodeJson, toValueBytes } from '../wire/values.js';
import { CallControl } from './call-control.js';
import { CallProgress } from './progress.js';
import type { ResultSink } from './result-sink.js';
import { RunningCalls } from './running-calls.js';
import { taskContext, type TaskStorage } from './task-context.js';
import { argumentError, argumentsOf, callsOf, kindOf, originOf, replyAddressOf } from './task-request.js';
import { taskEvents } from './task-events.js';
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

/** What a task's function did when it was called before going on with promises (see `execute`). */
export type FirstCall = { readonly returned: unknown } | { readonly thrown: unknown };

/** Whether `d.fn` is a plain (not async, not generator) function, by function. */
const plainFunctions = new WeakMap<object, boolean>();

function isThenable(value: unknown): boolean {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Function addresses by wire address: the calls of a map request share their reply address. */
const addresses = new WeakMap<Address, FunctionAddress>();

function addressOf(address: Address): FunctionAddress {
  let a = addresses.get(address);
  if (!a) {
    a = fromWireAddress(address);
    addresses.set(address, a);
  }
  return a;
}

/** How a task call ended, seen from the worker. */
type CallEnd = 'done' | 'timeout' | 'aborted';

/** What a call that ended in time did: returned a result, a pipeline (an orchestrator), or deferred its result. */
type RunEnd = 'succeeded' | 'pipeline' | 'deferred';

/** The ids of `request`'s call, for log lines. */
function callFields(request: TaskRequest): Record<string, unknown> {
  const origin = originOf(request);
  return {
    pipeline: origin.pipelineId,
    rootPipeline: origin.rootPipelineId,
    task: request.type,
    taskId: request.id,
    uid: request.uid,
    branch: request.branch,
    attempt: request.attempt,
  };
}

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
      return { request, descriptor: this.tasks.task(request.type) };
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
      const { invocationId, reason } = codecs.taskCancel.decode(payload);
      const aborted = this.running.abortRun(
        invocationId,
        new TaskError({ errorType: ErrorCode.PipelineCancelled, message: reason || 'the pipeline was cancelled' }),
      );
      effects.log('debug', 'aborted the task calls of a cancelled pipeline', { worker: `${self.namespace}/${self.name}`, calls: aborted });
    } catch (err) {
      effects.log('warn', 'worker dropped an undecodable cancellation', { error: String(err) });
    }
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
    if (!descriptor || !this.#inlineable(descriptor)) return this.#execute(self, prepared, storage, effects, undefined, undefined).then(() => undefined);
    let returned: unknown;
    try {
      returned = this.#invoke(self, request, descriptor, storage, effects, undefined);
    } catch (thrown) {
      return this.#execute(self, prepared, storage, effects, { thrown }, undefined).then(() => undefined);
    }
    if (isThenable(returned) || !this.#replyAtOnce(request, descriptor, returned, effects, prepared.map)) {
      return this.#execute(self, prepared, storage, effects, { returned }, undefined).then(() => undefined);
    }
    return undefined;
  }

  /** `execute` as one span per attempt, a child of the pipeline's trace context carried in the request. */
  async #traced(self: FunctionAddress, prepared: PreparedTask, storage: TaskStorage, effects: Effects): Promise<void> {
    const { request } = prepared;
    const origin = originOf(request);
    const trace = await startTaskSpan(request.meta, {
      taskName: request.type,
      taskId: request.id,
      attempt: request.attempt,
      pipelineId: origin.pipelineId,
      rootPipelineId: origin.rootPipelineId,
    }).catch(() => undefined);
    const end = await this.#execute(self, prepared, storage, effects, undefined, trace);
    try {
      trace?.end(end);
    } catch (err) {
      effects.log('warn', 'could not end a task span', { task: request.type, id: request.id, error: String(err) });
    }
  }

  /**
   * Whether calls of `d` may be made at once, without promises, hooks or
   * spans (see `execute`): the caller may then call `d.fn` itself and answer
   * a plain value it returns as `execute` would, or hand anything else to
   * `execute` as `first`.
   */
  callsAtOnce(d: TaskDescriptor): boolean {
    return !tracingEnabled() && this.#inlineable(d);
  }

  /** Whether calls of `d` may take the path without promises (see `execute`). */
  #inlineable(d: TaskDescriptor): boolean {
    const h = this.hooks;
    if (d.withContext || d.withState || h.taskReceived || h.taskStarted || h.taskFinished || h.resultEmitted || h.taskRetry) return false;
    let plain = plainFunctions.get(d.fn);
    if (plain === undefined) {
      plain = Object.prototype.toString.call(d.fn) === '[object Function]';
      plainFunctions.set(d.fn, plain);
    }
    return plain;
  }

  /**
   * Answers a call whose function returned the plain value `returned`, as
   * `run` would; `false` (having done nothing) when it is anything else (a
   * pipeline, a pause, a deferral, a value that fails to serialise or is too
   * large): `run` then handles it.
   */
  #replyAtOnce(request: TaskRequest, d: TaskDescriptor, returned: unknown, effects: Effects, map: TaskRequest | undefined): boolean {
    if (isPipeline(returned) || isPausePipeline(returned) || deferredNonce(returned) !== undefined) return false;
    const replyAddress = replyAddressOf(request);
    if (!replyAddress) {
      effects.log('warn', 'task finished but its request has no reply address', { task: d.name, id: request.id });
      return true;
    }
    let result: Uint8Array;
    try {
      result = toValueBytes(returned, `the result of task '${d.name}'`);
    } catch {
      return false;
    }
    if (result.byteLength > this.options.limits.maxResultBytes) return false;
    if (effects.debug) effects.log('debug', 'task succeeded', callFields(request));
    if (map && request.attempt === 0) {
      // Travels with the results of the other calls of its map request (state unchanged: left out).
      effects.sendMapResult({ target: addressOf(replyAddress), request: map, branch: request.branch, value: result });
      return true;
    }
    effects.send({
      target: addressOf(replyAddress),
      typename: Typenames.taskResult,
      payload: codecs.taskResult.encode({
        ...TaskResult.create(),
        id: request.id,
        type: request.type,
        result,
        state: request.state,
        invocationId: request.invocationId,
        uid: request.uid,
        isWait: false,
        branch: request.branch,
        childPipelineId: '',
        attempt: request.attempt,
      }),
    });
    return true;
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
    const info: TaskEventInfo = { taskId: request.id, taskName: request.type, pipelineId: originOf(request).pipelineId, attempt: request.attempt };
    const control = new CallControl();
    const unregister = this.running.add(request.invocationId, control);
    try {
      if (this.hooks.taskReceived) await this.hook('taskReceived', info, effects);
      if (!descriptor) {
        const error = new TaskError({
          errorType: ErrorCode.UnknownTask,
          message: `no task named '${request.type}' is bound on worker ${self.namespace}/${self.name}; bind it in this worker's FlinkTasks`,
          taskName: request.type,
          taskId: request.id,
        });
        this.replyError(request, error, effects);
        return { outcome: 'failed', error };
      }
      if (this.hooks.taskStarted) await this.hook('taskStarted', info, effects);
      // The call collects its effects apart: they count only if it ends in time.
      const own = new Effects(effects.now, effects.debug);
      const progress = descriptor.withContext ? this.#progressOf(request, own) : undefined;
      let end: CallEnd;
      let ran: RunEnd = 'succeeded';
      const call = async (): Promise<void> => {
        ran = await this.run(self, request, descriptor, storage, info, own, control, progress, trace, first);
      };
      try {
        end = await this.#within(request.timeoutMs, control, trace ? () => trace.within(call) : call);
      } catch (thrown) {
        const error = TaskError.from(thrown, { taskName: request.type, taskId: request.id });
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
          message: `task '${request.type}' ran longer than its timeout of ${request.timeoutMs} ms; its call was aborted and any later result is dropped`,
          taskName: request.type,
          taskId: request.id,
        });
        return { outcome: await this.fail(self, request, error, effects), error };
      }
      effects.log('debug', 'a cancelled task call was aborted; its result is dropped', { task: request.type, id: request.id });
      return { outcome: 'cancelled' };
    } catch (internal) {
      // Only a bug gets here; the pipeline must still hear about its task.
      effects.log('error', 'worker failed internally', { task: request.type, id: request.id, error: String(internal) });
      const error = new TaskError({
        errorType: ErrorCode.WorkerInternalError,
        message: `flink-tasks worker ${self.namespace}/${self.name} failed internally while running task '${request.type}': ${TaskError.from(internal).message}`,
        taskName: request.type,
        taskId: request.id,
      });
      this.replyError(request, error, effects);
      return { outcome: 'failed', error };
    } finally {
      unregister();
    }
  }

  /**
   * The progress of `request`'s call: heartbeats with progress to its
   * pipeline, live through the result sink if there is one, else in the
   * call's own effects (its response). Closed when the call ends.
   */
  #progressOf(request: TaskRequest, own: Effects): CallProgress | undefined {
    const reply = replyAddressOf(request);
    if (!reply) return undefined;
    const pipelineId = originOf(request).pipelineId;
    const sink = this.options.resultSink;
    const send = (fraction: number, message: string): void => {
      const payload = codecs.pipelineCommand.encode({
        command: {
          $case: 'heartbeat',
          value: {
            invocationId: request.invocationId,
            uid: request.uid,
            branch: request.branch,
            attempt: request.attempt,
            fraction,
            message,
            hasProgress: true,
          },
        },
      });
      if (!sink) {
        own.send({ target: fromWireAddress(reply), typename: Typenames.pipelineCommand, payload });
        return;
      }
      sink.send(pipelineId, payload).catch((err: unknown) => {
        this.#logger({
          level: 'debug',
          message: 'could not deliver a progress report',
          fields: { pipeline: pipelineId, task: request.type, taskId: request.id, error: String(err) },
        });
      });
    };
    return new CallProgress(send, this.#clock);
  }

  /**
   * Runs `call`, resolving `'done'` when it ends within `timeoutMs` (0: no
   * limit), `'timeout'` (the call is aborted) after it, or `'aborted'` when the
   * call is cancelled first. A call that throws in time rejects.
   */
  #within(timeoutMs: number, control: CallControl, call: () => Promise<void>): Promise<CallEnd> {
    return new Promise<CallEnd>((resolve, reject) => {
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        if (timer) this.#clock.clearTimeout(timer);
        control.onAbort(undefined);
        return true;
      };
      const onAbort = (): void => {
        if (settle()) resolve('aborted');
      };
      const timer =
        timeoutMs > 0
          ? this.#clock.setTimeout(() => {
              if (!settle()) return;
              control.abort(new TaskError({ errorType: ErrorCode.TaskTimeout, message: `timed out after ${timeoutMs} ms` }));
              resolve('timeout');
            }, timeoutMs)
          : undefined;
      control.onAbort(onAbort);
      call().then(
        () => {
          if (settle()) resolve('done');
        },
        (err: unknown) => {
          if (settle()) reject(err);
        },
      );
    });
  }

  /**
   * The call failed with `error`: run it again after the retry policy's
   * delay, or answer the pipeline with the error. Never throws.
   */
  async fail(self: FunctionAddress, request: TaskRequest, error: TaskError, effects: Effects): Promise<'retried' | 'failed'> {
    const info: TaskEventInfo = { taskId: request.id, taskName: request.type, pipelineId: originOf(request).pipelineId, attempt: request.attempt };
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
    this.replyError(request, error, effects);
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
      const r = returned as { state: unknown; result: unknown };
      state = this.bounded(d, request, encodeJson(r.state, `the state returned by task '${d.name}'`), 'the state it returned');
      returned = await r.result;
    }
    let isWait = false;
    if (isPausePipeline(returned)) {
      isWait = true;
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
      effects.send({
        target: fromWireAddress(replyAddress),
        typename: Typenames.taskResult,
        payload: codecs.taskResult.encode({
          ...TaskResult.create(),
          id: request.id,
          type: request.type,
          invocationId: request.invocationId,
          uid: request.uid,
          branch: request.branch,
          attempt: request.attempt,
          accepted: true,
          deferNonce: nonce,
        }),
      });
      return 'deferred';
    }
    let result: Uint8Array | undefined;
    let childId = '';
    if (isPipeline(returned)) {
      childId = request.id;
      const origin = originOf(request);
      const pipelineAddress = origin.pipelineAddress;
      if (!pipelineAddress) throw new Error('an orchestrator task needs the address of its pipeline');
      const child: TaskRequest = {
        ...request,
        pipelineId: origin.pipelineId,
        pipelineAddress,
        rootPipelineId: origin.rootPipelineId,
        rootPipelineAddress: origin.rootPipelineAddress,
        id: childId,
        type: '',
        args: new Uint8Array(0),
        state,
        retryPolicy: undefined,
        pipeline: pipelineToWire(returned.toIR()),
        input: undefined,
        inputError: undefined,
        attempt: 0,
        isChild: true,
        isBranch: false,
        // Its tasks nest under this task's span (or, untraced here, under what the request carried).
        meta: trace ? trace.meta() : request.meta,
      };
      const payload = this.bounded(d, request, codecs.taskRequest.encode(child), 'the pipeline it returned');
      effects.send({ target: { namespace: pipelineAddress.namespace, name: pipelineAddress.type, id: childId }, typename: Typenames.taskRequest, payload });
    } else {
      result = toValueBytes(returned, `the result of task '${d.name}'`);
      const size = result.byteLength;
      if (size > limits.maxResultBytes) {
        throw new TaskError({
          errorType: ErrorCode.MessageSizeExceeded,
          message: `the result of task '${d.name}' is ${formatBytes(size)}, more than limits.maxResultBytes (${formatBytes(limits.maxResultBytes)})`,
          taskName: d.name,
          taskId: request.id,
        });
      }
    }
    // Too late: the call timed out or was cancelled meanwhile; its outcome is not reported.
    if (control.aborted) return childId !== '' ? 'pipeline' : 'succeeded';
    if (this.hooks.taskFinished)
      await this.hook('taskFinished', { ...info, result: childId !== '' ? childId : returned, returnedPipeline: childId !== '' }, effects);
    effects.log('debug', childId !== '' ? 'task returned a pipeline' : 'task succeeded', {
      ...callFields(request),
      ...(childId !== '' ? { childPipeline: childId } : {}),
    });
    effects.send({
      target: fromWireAddress(replyAddress),
      typename: Typenames.taskResult,
      payload: codecs.taskResult.encode({
        ...TaskResult.create(),
        id: request.id,
        type: request.type,
        result,
        state,
        invocationId: request.invocationId,
        uid: request.uid,
        isWait,
        branch: request.branch,
        childPipelineId: childId,
        attempt: request.attempt,
      }),
    });
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

  /** `bytes` if within `limits.maxResultBytes`; otherwise a `MessageSizeExceeded` error naming `what`. */
  private bounded(d: TaskDescriptor, request: TaskRequest, bytes: Uint8Array, what: string): Uint8Array {
    const limit = this.options.limits.maxResultBytes;
    if (bytes.byteLength <= limit) return bytes;
    throw new TaskError({
      errorType: ErrorCode.MessageSizeExceeded,
      message: `${what} (task '${d.name}') is ${formatBytes(bytes.byteLength)}, more than limits.maxResultBytes (${formatBytes(limit)})`,
      taskName: d.name,
      taskId: request.id,
    });
  }

  /** Sends `error` to the pipeline that asked (it carries the state the task received). */
  replyError(request: TaskRequest, error: TaskError, effects: Effects): void {
    const replyAddress = replyAddressOf(request);
    if (!replyAddress) {
      effects.log('warn', 'task failed but its request has no reply address', { task: request.type, id: request.id, error: error.message });
      return;
    }
    const e: TaskException = {
      id: request.id,
      type: request.type,
      exceptionType: error.errorType,
      exceptionMessage: error.message,
      stacktrace: error.stack ?? '',
      state: request.state,
      maybeRetry: false,
      invocationId: request.invocationId,
      uid: request.uid,
      isWait: false,
      branch: request.branch,
      errors: [],
      displayName: request.displayName,
      errorTypes: [...error.errorTypes],
    };
    effects.send({ target: fromWireAddress(replyAddress), typename: Typenames.taskException, payload: codecs.taskException.encode(e) });
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
