/**
 * The worker function: runs bound tasks for pipeline functions. Awaits async
 * tasks, turns every throw into a `TaskException` reply, retries through
 * delayed messages, and starts a child pipeline when a task returns one.
 *
 * @module
 */
import type { FunctionAddress } from '../core/address.js';
import { ErrorCode } from '../core/error-codes.js';
import { TaskError } from '../core/errors.js';
import { isRetryable, retryDelay } from '../core/retry-rules.js';
import type { TaskContext } from '../dsl/context.js';
import { isPipeline } from '../dsl/builder.js';
import type { TaskDescriptor } from '../dsl/descriptor.js';
import { isPausePipeline } from '../dsl/effects.js';
import type { FlinkTasks } from '../dsl/flink-tasks.js';
import type { Effects, FunctionMessage } from '../executor/effects.js';
import { fromWireAddress } from '../wire/address.js';
import { codecs, Typenames } from '../wire/codec.js';
import { TaskRequest, type Address, type TaskException } from '../wire/generated/flinktasks.js';
import { pipelineToWire, retryFromWire } from '../wire/pipeline.js';
import { decodeJson, encodeJson, fromWireException, fromWireValue, toWireValue } from '../wire/values.js';
import type { TaskEventInfo, WorkerHooks } from './worker-hooks.js';

/**
 * Function-scoped state of a worker address (for `TaskContext.getState`).
 *
 * @example
 * ```ts
 * let bytes: Uint8Array | undefined;
 * const storage: TaskStorage = { get: () => bytes, set: (next) => { bytes = next; } };
 * ```
 */
export interface TaskStorage {
  /** The stored bytes, if any. */
  get(): Uint8Array | undefined;
  /** Replaces the stored bytes; `undefined` deletes them. */
  set(bytes: Uint8Array | undefined): void;
}

/** A decoded task request and the task it names (if bound here). */
export interface PreparedTask {
  /** The request. */
  readonly request: TaskRequest;
  /** The task, or `undefined` if no task of that name is bound. */
  readonly descriptor: TaskDescriptor | undefined;
}

function argumentError(request: TaskRequest, message: string): TaskError {
  return new TaskError({ errorType: ErrorCode.TaskArgumentError, message, taskName: request.type, taskId: request.id });
}

/** The dispatching pipeline and its root, filling what a compact request leaves out. */
function originOf(request: TaskRequest): { pipelineId: string; pipelineAddress: Address | undefined; rootPipelineId: string; rootPipelineAddress: Address | undefined } {
  const pipelineAddress = request.pipelineAddress ?? replyAddressOf(request);
  const pipelineId = request.pipelineId || pipelineAddress?.id || '';
  return {
    pipelineId,
    pipelineAddress,
    rootPipelineId: request.rootPipelineId || pipelineId,
    rootPipelineAddress: request.rootPipelineAddress ?? pipelineAddress,
  };
}

/** The address a task request's result goes to. */
function replyAddressOf(request: TaskRequest): Address | undefined {
  return request.reply?.$case === 'replyAddress' ? request.reply.value : undefined;
}

/**
 * Runs tasks of one {@link FlinkTasks} registry.
 *
 * @example
 * ```ts
 * const worker = new TaskWorker(tasks);
 * const prepared = worker.prepare(self, message, effects);
 * if (prepared) await worker.execute(self, prepared, storage, effects);
 * ```
 */
export class TaskWorker {
  constructor(readonly tasks: FlinkTasks, readonly hooks: WorkerHooks = {}) {}

  /**
   * Decodes a message and finds its task; `undefined` (with a log line) for
   * messages that are not task requests.
   */
  prepare(self: FunctionAddress, message: FunctionMessage, effects: Effects): PreparedTask | undefined {
    if (message.typename !== Typenames.taskRequest) {
      effects.log('warn', 'worker dropped a message of unknown type', { worker: `${self.namespace}/${self.name}`, typename: message.typename });
      return undefined;
    }
    try {
      const request = codecs.taskRequest.decode(message.payload);
      return { request, descriptor: this.tasks.task(request.type) };
    } catch (err) {
      effects.log('error', 'worker dropped an undecodable task request', { error: String(err) });
      return undefined;
    }
  }

  /** Runs a prepared task. Never throws. */
  async execute(self: FunctionAddress, prepared: PreparedTask, storage: TaskStorage, effects: Effects): Promise<void> {
    const { request, descriptor } = prepared;
    const info: TaskEventInfo = { taskId: request.id, taskName: request.type, pipelineId: originOf(request).pipelineId, attempt: request.attempt };
    await this.hook('taskReceived', info, effects);
    if (!descriptor) {
      this.replyError(request, new TaskError({
        errorType: ErrorCode.UnknownTask,
        message: `no task named '${request.type}' is bound on worker ${self.namespace}/${self.name}; bind it in this worker's FlinkTasks`,
        taskName: request.type,
        taskId: request.id,
      }), effects);
      return;
    }
    await this.hook('taskStarted', info, effects);
    try {
      await this.run(self, request, descriptor, storage, info, effects);
    } catch (thrown) {
      const error = TaskError.from(thrown, { taskName: request.type, taskId: request.id });
      const policy = request.retryPolicy ? retryFromWire(request.retryPolicy) : undefined;
      if (policy && request.attempt < policy.maxRetries && isRetryable(policy, [error.errorType])) {
        const retryCount = request.attempt + 1;
        const delayMs = retryDelay(policy, retryCount);
        effects.sendAfter({
          target: self,
          typename: Typenames.taskRequest,
          payload: codecs.taskRequest.encode({ ...request, attempt: retryCount }),
          delayMs,
        });
        await this.hook('taskRetry', { ...info, error, retryCount, delayMs }, effects);
        return;
      }
      await this.hook('taskFinished', { ...info, error, returnedPipeline: false }, effects);
      this.replyError(request, error, effects);
      await this.hook('resultEmitted', { ...info, failed: true }, effects);
    }
  }

  private async run(
    self: FunctionAddress,
    request: TaskRequest,
    d: TaskDescriptor,
    storage: TaskStorage,
    info: TaskEventInfo,
    effects: Effects,
  ): Promise<void> {
    const args = this.arguments(request);
    const leading: unknown[] = [];
    if (d.withContext) leading.push(this.context(self, request, d, storage, effects));
    if (d.withState) leading.push(request.state && request.state.length > 0 ? decodeJson(request.state) : undefined);
    let returned: unknown = await d.fn(...leading, ...args);

    let state: Uint8Array | undefined = request.state;
    if (d.withState) {
      if (typeof returned !== 'object' || returned === null || !('state' in returned) || !('result' in returned)) {
        throw new TypeError(`task '${d.name}' is bound withState and must return { state, result }, but returned ${describe(returned)}`);
      }
      const r = returned as { state: unknown; result: unknown };
      state = encodeJson(r.state, `the state returned by task '${d.name}'`);
      returned = await r.result;
    }
    let isWait = false;
    if (isPausePipeline(returned)) {
      isWait = true;
      returned = await returned.result;
    }
    const replyAddress = replyAddressOf(request);
    if (isPipeline(returned)) {
      const childId = request.id;
      const origin = originOf(request);
      const pipelineAddress = origin.pipelineAddress;
      if (!replyAddress || !pipelineAddress) throw new Error('an orchestrator task needs the address of its pipeline');
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
      };
      effects.send({
        target: { namespace: pipelineAddress.namespace, name: pipelineAddress.type, id: childId },
        typename: Typenames.taskRequest,
        payload: codecs.taskRequest.encode(child),
      });
      effects.send({
        target: fromWireAddress(replyAddress),
        typename: Typenames.taskResult,
        payload: codecs.taskResult.encode({
          id: request.id, type: request.type, result: undefined, state, invocationId: request.invocationId, uid: request.uid,
          isWait, branch: request.branch, childPipelineId: childId,
        }),
      });
      await this.hook('taskFinished', { ...info, result: childId, returnedPipeline: true }, effects);
      return;
    }
    const value = toWireValue(returned, `the result of task '${d.name}'`);
    await this.hook('taskFinished', { ...info, result: returned, returnedPipeline: false }, effects);
    if (!replyAddress) {
      effects.log('warn', 'task finished but its request has no reply address', { task: d.name, id: request.id });
      return;
    }
    effects.send({
      target: fromWireAddress(replyAddress),
      typename: Typenames.taskResult,
      payload: codecs.taskResult.encode({
        id: request.id, type: request.type, result: value, state, invocationId: request.invocationId, uid: request.uid,
        isWait, branch: request.branch, childPipelineId: '',
      }),
    });
    await this.hook('resultEmitted', { ...info, failed: false }, effects);
  }

  private arguments(request: TaskRequest): unknown[] {
    let own: unknown;
    try {
      own = request.args.length > 0 ? decodeJson(request.args) : [];
    } catch (err) {
      throw argumentError(request, `the arguments of task '${request.type}' could not be decoded: ${String(err)}`);
    }
    if (!Array.isArray(own)) throw argumentError(request, `the arguments of task '${request.type}' must be a list, got ${describe(own)}`);
    if (request.inputError) return [fromWireException(request.inputError), ...own];
    if (request.input) return [fromWireValue(request.input), ...own];
    return own;
  }

  private context(self: FunctionAddress, request: TaskRequest, d: TaskDescriptor, storage: TaskStorage, effects: Effects): TaskContext {
    const origin = originOf(request);
    const pipelineAddress = origin.pipelineAddress ? fromWireAddress(origin.pipelineAddress) : { namespace: '', name: '', id: origin.pipelineId };
    return Object.freeze({
      taskId: self.id,
      taskName: d.name,
      displayName: request.displayName || d.displayName || d.name,
      pipelineId: origin.pipelineId,
      pipelineAddress,
      rootPipelineId: origin.rootPipelineId,
      rootPipelineAddress: origin.rootPipelineAddress ? fromWireAddress(origin.rootPipelineAddress) : pipelineAddress,
      caller: pipelineAddress,
      attempt: request.attempt,
      getState: <S>(): S | undefined => {
        const bytes = storage.get();
        return bytes && bytes.length > 0 ? (decodeJson(bytes) as S) : undefined;
      },
      setState: (value: unknown): void => storage.set(value === undefined ? undefined : encodeJson(value, `the task state of '${d.name}'`)),
      send: (target: FunctionAddress, value: unknown): void =>
        effects.send({ target, typename: Typenames.value, payload: codecs.value.encode(toWireValue(value, 'a message')) }),
      sendEgress: (egress: string, topic: string, key: string, value: unknown): void =>
        effects.publish({ egress, topic, key, value: encodeJson(value, 'an egress record') }),
    });
  }

  private replyError(request: TaskRequest, error: TaskError, effects: Effects): void {
    const replyAddress = replyAddressOf(request);
    if (!replyAddress) {
      effects.log('warn', 'task failed but its request has no reply address', { task: request.type, id: request.id, error: error.message });
      return;
    }
    const e: TaskException = {
      id: request.id, type: request.type, exceptionType: error.errorType, exceptionMessage: error.message,
      stacktrace: error.stack ?? '', state: request.state, maybeRetry: false, invocationId: request.invocationId,
      uid: request.uid, isWait: false, branch: request.branch, errors: [], displayName: request.displayName,
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
      effects.log('warn', `worker hook ${name} threw; the task goes on`, { hook: name, task: info.taskName, error: String(err) });
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
