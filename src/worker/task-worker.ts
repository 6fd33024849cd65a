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
import { silentLogger, type Logger } from '../core/log.js';
import { startTaskSpan, tracingEnabled, type SpanEnd, type TraceSpan } from '../core/tracing.js';
import { isRetryable, retryDelay } from '../core/retry-rules.js';
import type { Routes } from '../core/routes.js';
import { isPipeline } from '../dsl/builder.js';
import { deferredNonce } from '../dsl/deferred.js';
import type { TaskDescriptor } from '../dsl/descriptor.js';
import { isPausePipeline } from '../dsl/effects.js';
import type { FlinkTasks } from '../dsl/flink-tasks.js';
import { Effects, type FunctionMessage } from '../executor/effects.js';
import type { EventsConfig } from '../executor/events.js';
import { fromWireAddress } from '../wire/address.js';
import { codecs, Typenames } from '../wire/codec.js';
import { TaskResult, type TaskException, type TaskRequest, type Value } from '../wire/generated/flinktasks.js';
import { pipelineToWire, retryFromWire } from '../wire/pipeline.js';
import { formatBytes, valueBytes } from '../wire/sizes.js';
import { decodeJson, encodeJson, toWireValue } from '../wire/values.js';
import { CallProgress } from './progress.js';
import type { ResultSink } from './result-sink.js';
import { RunningCalls } from './running-calls.js';
import { taskContext, type TaskStorage } from './task-context.js';
import { argumentError, argumentsOf, kindOf, originOf, replyAddressOf } from './task-request.js';
import { taskEvents } from './task-events.js';
import type { TaskEventInfo, WorkerHooks } from './worker-hooks.js';

/** A decoded task request and the task it names (if bound here). */
export interface PreparedTask {
  /** The request. */
  readonly request: TaskRequest;
  /** The task, or `undefined` if no task of that name is bound. */
  readonly descriptor: TaskDescriptor | undefined;
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

/** How a task call ended, seen from the worker. */
type CallEnd = 'done' | 'timeout' | 'aborted';

/** What a call that ended in time did: returned a result, a pipeline (an orchestrator), or deferred its result. */
type RunEnd = 'succeeded' | 'pipeline' | 'deferred';

/** The ids of `request`'s call, for log lines. */
function callFields(request: TaskRequest): Record<string, unknown> {
  const origin = originOf(request);
  return {
    pipeline: origin.pipelineId, rootPipeline: origin.rootPipelineId, task: request.type, taskId: request.id, uid: request.uid,
    branch: request.branch, attempt: request.attempt,
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

  constructor(readonly tasks: FlinkTasks, readonly options: WorkerOptions) {
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

  /** A pipeline was cancelled: abort its calls running here. */
  #cancel(self: FunctionAddress, payload: Uint8Array, effects: Effects): void {
    try {
      const { invocationId, reason } = codecs.taskCancel.decode(payload);
      const aborted = this.running.abortRun(invocationId, new TaskError({ errorType: ErrorCode.PipelineCancelled, message: reason || 'the pipeline was cancelled' }));
      effects.log('debug', 'aborted the task calls of a cancelled pipeline', { worker: `${self.namespace}/${self.name}`, calls: aborted });
    } catch (err) {
      effects.log('warn', 'worker dropped an undecodable cancellation', { error: String(err) });
    }
  }

  /** Runs a prepared task and answers its pipeline. Never throws. */
  async execute(self: FunctionAddress, prepared: PreparedTask, storage: TaskStorage, effects: Effects): Promise<void> {
    if (!tracingEnabled()) {
      await this.#attempt(self, prepared, storage, effects, undefined);
      return;
    }
    // One span per attempt, a child of the pipeline's trace context carried in the request.
    const { request } = prepared;
    const origin = originOf(request);
    const trace = await startTaskSpan(request.meta, {
      taskName: request.type, taskId: request.id, attempt: request.attempt, pipelineId: origin.pipelineId, rootPipelineId: origin.rootPipelineId,
    }).catch(() => undefined);
    const end = await this.#attempt(self, prepared, storage, effects, trace);
    try {
      trace?.end(end);
    } catch (err) {
      effects.log('warn', 'could not end a task span', { task: request.type, id: request.id, error: String(err) });
    }
  }

  /** Runs one attempt of a prepared task and answers its pipeline; says how it ended. Never throws. */
  async #attempt(self: FunctionAddress, prepared: PreparedTask, storage: TaskStorage, effects: Effects, trace: TraceSpan | undefined): Promise<SpanEnd> {
    const { request, descriptor } = prepared;
    const info: TaskEventInfo = { taskId: request.id, taskName: request.type, pipelineId: originOf(request).pipelineId, attempt: request.attempt };
    const controller = new AbortController();
    const unregister = this.running.add(request.invocationId, controller);
    try {
      await this.hook('taskReceived', info, effects);
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
      await this.hook('taskStarted', info, effects);
      // The call collects its effects apart: they count only if it ends in time.
      const own = new Effects(effects.now);
      const progress = descriptor.withContext ? this.#progressOf(request, own) : undefined;
      let end: CallEnd;
      let ran: RunEnd = 'succeeded';
      const call = async (): Promise<void> => {
        ran = await this.run(self, request, descriptor, storage, info, own, controller.signal, progress, trace);
      };
      try {
        end = await this.#within(request.timeoutMs, controller, trace ? () => trace.within(call) : call);
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
      const payload = codecs.pipelineCommand.encode({ command: { $case: 'heartbeat', value: {
        invocationId: request.invocationId, uid: request.uid, branch: request.branch, attempt: request.attempt, fraction, message, hasProgress: true,
      } } });
      if (!sink) {
        own.send({ target: fromWireAddress(reply), typename: Typenames.pipelineCommand, payload });
        return;
      }
      sink.send(pipelineId, payload).catch((err: unknown) => {
        this.#logger({ level: 'debug', message: 'could not deliver a progress report', fields: { pipeline: pipelineId, task: request.type, taskId: request.id, error: String(err) } });
      });
    };
    return new CallProgress(send, this.#clock);
  }

  /**
   * Runs `call`, resolving `'done'` when it ends within `timeoutMs` (0: no
   * limit), `'timeout'` (the call is aborted) after it, or `'aborted'` when the
   * call is cancelled first. A call that throws in time rejects.
   */
  #within(timeoutMs: number, controller: AbortController, call: () => Promise<void>): Promise<CallEnd> {
    return new Promise<CallEnd>((resolve, reject) => {
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        if (timer) this.#clock.clearTimeout(timer);
        controller.signal.removeEventListener('abort', onAbort);
        return true;
      };
      const onAbort = (): void => {
        if (settle()) resolve('aborted');
      };
      const timer = timeoutMs > 0 ? this.#clock.setTimeout(() => {
        if (!settle()) return;
        controller.abort(new TaskError({ errorType: ErrorCode.TaskTimeout, message: `timed out after ${timeoutMs} ms` }));
        resolve('timeout');
      }, timeoutMs) : undefined;
      controller.signal.addEventListener('abort', onAbort);
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
      effects.log('debug', 'task failed; retrying', { ...callFields(request), errorType: error.errorType, error: error.message, retryInMs: delayMs, nextAttempt: retryCount });
      taskEvents(this.options.events, request, effects)?.retried(error, delayMs);
      await this.hook('taskRetry', { ...info, error, retryCount, delayMs }, effects);
      return 'retried';
    }
    await this.hook('taskFinished', { ...info, error, returnedPipeline: false }, effects);
    effects.log('debug', 'task failed', { ...callFields(request), errorType: error.errorType, error: error.message });
    this.replyError(request, error, effects);
    await this.hook('resultEmitted', { ...info, failed: true }, effects);
    return 'failed';
  }

  private async run(
    self: FunctionAddress, request: TaskRequest, d: TaskDescriptor, storage: TaskStorage, info: TaskEventInfo, effects: Effects, signal: AbortSignal,
    progress: CallProgress | undefined, trace: TraceSpan | undefined,
  ): Promise<RunEnd> {
    const { limits, routes } = this.options;
    const args = argumentsOf(request);
    const leading: unknown[] = [];
    if (d.withContext) leading.push(taskContext(request, d, { self, storage, effects, limits, routes, signal, progress, logger: this.#logger }));
    if (d.withState) leading.push(request.state && request.state.length > 0 ? decodeJson(request.state) : undefined);
    // `length` counts the parameters before the first default or rest one: fewer arguments cannot be right.
    const required = d.arity - leading.length;
    if (args.length < required) {
      throw argumentError(request, `task '${d.name}' takes at least ${required} argument${required === 1 ? '' : 's'}, but was called with ${args.length} (an untyped caller?)`);
    }
    let returned: unknown = await d.fn(...leading, ...args);

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
      if (!d.withContext) throw new TypeError(`task '${d.name}' returned a deferred result but is not bound withContext; bind it { withContext: true } and use its ctx.defer()`);
      if (signal.aborted) return 'deferred';
      await this.hook('taskFinished', { ...info, result: returned, returnedPipeline: false }, effects);
      effects.log('debug', 'task deferred its result', callFields(request));
      effects.send({
        target: fromWireAddress(replyAddress),
        typename: Typenames.taskResult,
        payload: codecs.taskResult.encode({
          ...TaskResult.create(),
          id: request.id, type: request.type, invocationId: request.invocationId, uid: request.uid, branch: request.branch,
          attempt: request.attempt, accepted: true, deferNonce: nonce,
        }),
      });
      return 'deferred';
    }
    let result: Value | undefined;
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
      result = toWireValue(returned, `the result of task '${d.name}'`);
      const size = valueBytes(result);
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
    if (signal.aborted) return childId !== '' ? 'pipeline' : 'succeeded';
    await this.hook('taskFinished', { ...info, result: childId !== '' ? childId : returned, returnedPipeline: childId !== '' }, effects);
    effects.log('debug', childId !== '' ? 'task returned a pipeline' : 'task succeeded', { ...callFields(request), ...(childId !== '' ? { childPipeline: childId } : {}) });
    effects.send({
      target: fromWireAddress(replyAddress),
      typename: Typenames.taskResult,
      payload: codecs.taskResult.encode({
        ...TaskResult.create(),
        id: request.id, type: request.type, result, state, invocationId: request.invocationId, uid: request.uid,
        isWait, branch: request.branch, childPipelineId: childId, attempt: request.attempt,
      }),
    });
    await this.hook('resultEmitted', { ...info, failed: false }, effects);
    return childId !== '' ? 'pipeline' : 'succeeded';
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
      id: request.id, type: request.type, exceptionType: error.errorType, exceptionMessage: error.message,
      stacktrace: error.stack ?? '', state: request.state, maybeRetry: false, invocationId: request.invocationId,
      uid: request.uid, isWait: false, branch: request.branch, errors: [], displayName: request.displayName, errorTypes: [...error.errorTypes],
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
