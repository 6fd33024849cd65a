/**
 * Worker functions as StateFun calls them. The tasks of one batch run side
 * by side (the SDK would await them one after another): each invocation
 * starts its task and the batch's last invocation waits for all of them.
 * Tasks bound `withContext` share the address state and run one after
 * another. Two budgets keep a batch within what StateFun accepts:
 * - time (`limits.callBudgetMs`, below the transport's call timeout): a task
 *   still running then fails with `TaskTimeout` (retried by its policy) and
 *   its late result is dropped, so the call never times out and the job
 *   never restarts over a slow task;
 * - size (`limits.maxResponseBytes`, below StateFun's `payload_max_bytes`):
 *   a result that would push the response past it is not sent; its task is
 *   sent back to the same address to run again in a later batch.
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import { messageBuilder, type Context, type Message } from 'apache-flink-statefun';
import type { FunctionAddress } from '../core/address.js';
import { ErrorCode } from '../core/error-codes.js';
import { TaskError } from '../core/errors.js';
import type { Limits } from '../core/limits.js';
import type { Clock, ClockTimer } from '../core/clock.js';
import { type Logger, wantsDebug } from '../core/log.js';
import { Effects } from '../executor/effects.js';
import { MESSAGE_BATCH_TYPENAME, readBatch } from '../wire/batch.js';
import { codecs, Typenames } from '../wire/codec.js';
import type { TaskStorage } from '../worker/task-context.js';
import { isPipeline } from '../dsl/builder.js';
import { deferredNonce } from '../dsl/deferred.js';
import { isPausePipeline } from '../dsl/effects.js';
import { fromWireAddress } from '../wire/address.js';
import { decodeJsonText, jsonText } from '../wire/values.js';
import { callOf, replyAddressOf } from '../worker/task-request.js';
import type { FirstCall } from '../worker/fast-path.js';
import type { PreparedTask, TaskWorker } from '../worker/task-worker.js';
import { tupleBounds } from '../wire/tuple-bounds.js';
import { bufferOf, PackedValues, textAt } from './packed-values.js';
import { CallStorage, type BackgroundCalls } from './background.js';
import { addressOf, applyEffects, batchKey, bytesType, callerOf, effectsBytes, payloadOf, type StorageOf } from './sdk.js';

function isThenable(value: unknown): boolean {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** One task call of a batch; its task state is the call's storage (made only if a task reads or writes it). */
class Call implements TaskStorage {
  /** Its effects were applied (or it was answered with a timeout): nothing more of it reaches the response. */
  answered = false;
  /** It runs on in the background: its end goes to the pipeline through the result sink. */
  background = false;
  #ended: Promise<Effects> | undefined;
  #resolve: ((effects: Effects) => void) | undefined;
  #result: Effects | undefined;
  #storage: CallStorage | undefined;

  constructor(
    readonly prepared: PreparedTask,
    /** The request's bytes, as if sent alone (to send it again). */
    readonly payload: () => Uint8Array,
    readonly effects: Effects,
    /** The address's task state (only tasks bound withContext read it). */
    private readonly context: Context,
  ) {}

  /** The call's view of the address's task state (made when first asked for). */
  get storage(): CallStorage {
    this.#storage ??= new CallStorage(taskStorage(this.context));
    return this.#storage;
  }

  get(): Uint8Array | undefined {
    return this.storage.get();
  }

  set(bytes: Uint8Array | undefined): void {
    this.storage.set(bytes);
  }

  /** Resolves with its effects when its task ends (made when first asked for: only calls going to the background need it). */
  ended(): Promise<Effects> {
    this.#ended ??= this.#result ? Promise.resolve(this.#result) : new Promise<Effects>((resolve) => (this.#resolve = resolve));
    return this.#ended;
  }

  /** Its task has ended with `effects`. */
  end(effects: Effects): void {
    this.#result = effects;
    this.#resolve?.(effects);
  }
}

class WorkerBatch {
  seen = 0;
  responseBytes = 0;
  readonly calls: Call[] = [];
  /** Effects of ended calls, in the order they ended; handed to the SDK when the batch is settled. */
  readonly out: Effects[] = [];
  readonly running: Promise<void>[] = [];
  /** Tasks bound withContext, one after another (they share the address state). */
  sequential: Promise<void> = Promise.resolve();

  constructor(
    readonly expected: number,
    readonly self: FunctionAddress,
    readonly context: Context,
  ) {}
}

/** Runs the worker functions of one server. */
export class WorkerFunction {
  readonly #batches = new WeakMap<Context, WorkerBatch>();

  /**
   * @param batchSizes - invocation counts of the batches being handled, by target address.
   */
  /** Whether the logger keeps debug lines (fixed for its life): hot paths make them only then. */
  readonly #debug: boolean;

  constructor(
    private readonly worker: TaskWorker,
    private readonly limits: Limits,
    private readonly batchSizes: ReadonlyMap<string, number>,
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly background: BackgroundCalls | undefined,
  ) {
    this.#debug = wantsDebug(logger);
  }

  /** Handles one invocation; the batch's last returns the promise the SDK awaits. */
  invoke(context: Context, message: Message): Promise<void> | undefined {
    const self = addressOf(context);
    if (message.valueTypeName === Typenames.taskStateWrite) {
      // The task state a call left when it ran in the background.
      try {
        const { taskState } = codecs.taskStateWrite.decode(payloadOf(message));
        taskStorage(context).set(taskState);
      } catch (err) {
        this.logger({ level: 'warn', message: 'worker dropped an undecodable task state write', fields: { worker: self.id, error: String(err) } });
      }
    }
    let batch = this.#batches.get(context);
    if (!batch) {
      batch = new WorkerBatch(this.batchSizes.get(batchKey(self.namespace, self.name, self.id)) ?? 1, self, context);
      this.#batches.set(context, batch);
    }
    batch.seen += 1;
    const caller = callerOf(context);
    const typename = message.valueTypeName;
    const payload = payloadOf(message);
    if (typename === MESSAGE_BATCH_TYPENAME) {
      // Several task requests in one message: each is a call, as if delivered one by one.
      try {
        readBatch(payload, (item) => {
          this.#start(batch, item.typename, item.payload, caller);
        });
      } catch (err) {
        this.logger({
          level: 'error',
          message: 'worker dropped a message batch that does not decode',
          fields: { worker: `${self.namespace}/${self.name}/${self.id}`, error: String(err) },
        });
      }
    } else {
      this.#start(batch, typename, payload, caller);
    }
    if (batch.seen < batch.expected) return undefined;
    return this.#settle(batch);
  }

  /** Starts the calls a message asks for (several for a map request). */
  #start(batch: WorkerBatch, typename: string, payload: Uint8Array, caller: FunctionAddress | undefined): void {
    const now = this.clock.now();
    const effects = new Effects(now, this.#debug);
    const prepared = this.worker.prepare(batch.self, { typename, payload, caller }, effects);
    if (prepared && prepared.request.mapBranches.length > 0 && !effects.debug && this.#startMapAtOnce(batch, prepared, now)) return;
    const calls = prepared ? this.worker.expand(batch.self, prepared, effects) : [];
    if (calls.length === 0) {
      for (const entry of effects.logs) this.logger(entry);
      return;
    }
    if (calls.length === 1) {
      this.#startCall(batch, calls[0] as PreparedTask, effects, () => payload);
      return;
    }
    calls.forEach((prepared, i) => {
      this.#startCall(batch, prepared, i === 0 ? effects : new Effects(now, this.#debug), () => codecs.taskRequest.encode(prepared.request));
    });
  }

  /**
   * Runs the calls of map request `map` at once when its task allows it
   * (`TaskWorker.callsAtOnce`): each call's function is called here, and a
   * plain value it returns is written straight into the request's packed
   * results, as `execute` would answer it (a `MapResult`) but without a
   * request, call, effects or result object per call; the size budget
   * applies to each call as in `#complete`. A call whose function throws,
   * or returns anything else (a promise, a pipeline, a value that does not
   * serialise or is too large), or whose arguments do not suit it, goes on
   * as a call of its own, with what its function did (`execute`'s `first`).
   * `false`, having done nothing, when the request cannot be run this way.
   */
  #startMapAtOnce(batch: WorkerBatch, map: PreparedTask, now: number): boolean {
    const { request, descriptor: d } = map;
    const reply = replyAddressOf(request);
    if (!d || !reply || request.attempt !== 0 || !this.worker.callsAtOnce(d)) return false;
    const branches = request.mapBranches;
    const count = branches.length;
    const bounds = tupleBounds(request.mapArgs, count);
    if (!bounds) return false;
    const { starts, ends } = bounds;
    const args = bufferOf(request.mapArgs);
    const what = `the result of task '${d.name}'`;
    const maxResultBytes = this.limits.maxResultBytes;
    const results = new PackedValues(count * 24);
    /** The branches whose results are in `results`, once some call went on its own (else all of them). */
    let kept: number[] | undefined;
    let part: Effects | undefined;
    const apart = (j: number, first: FirstCall | undefined): void => {
      kept ??= branches.slice(0, j);
      const call = callOf(request, j, request.mapArgs.subarray(starts[j], ends[j]));
      this.#startCall(batch, { request: call, descriptor: d, map: request }, new Effects(now, false), () => codecs.taskRequest.encode(call), first);
    };
    for (let j = 0; j < count; j++) {
      const start = starts[j] as number;
      const end = ends[j] as number;
      let own: unknown;
      try {
        own = end > start ? decodeJsonText(textAt(args, start, end)) : [];
      } catch {
        apart(j, undefined);
        continue;
      }
      if (!Array.isArray(own) || own.length < d.arity) {
        apart(j, undefined);
        continue;
      }
      let returned: unknown;
      try {
        returned = d.fn(...(own as unknown[]));
      } catch (thrown) {
        apart(j, { thrown });
        continue;
      }
      if (isThenable(returned) || isPipeline(returned) || isPausePipeline(returned) || deferredNonce(returned) !== undefined) {
        apart(j, { returned });
        continue;
      }
      const mark = results.length;
      let size: number;
      try {
        size = results.appendJson(jsonText(returned, what));
      } catch {
        apart(j, { returned });
        continue;
      }
      if (size > maxResultBytes) {
        results.truncate(mark);
        apart(j, { returned });
        continue;
      }
      const bytes = size + 8;
      if (batch.responseBytes > 0 && batch.responseBytes + bytes > this.limits.maxResponseBytes) {
        results.truncate(mark);
        kept ??= branches.slice(0, j);
        this.#sendAgain(batch, codecs.taskRequest.encode(callOf(request, j, request.mapArgs.subarray(start, end))), request.taskName);
        continue;
      }
      batch.responseBytes += bytes;
      kept?.push(branches[j] as number);
      if (!part) {
        // Where the first result's effects would have joined the response.
        part = new Effects(now, false);
        batch.out.push(part);
      }
    }
    part?.sendMapResults({ target: fromWireAddress(reply), request, branches: kept ?? branches, values: results.packed });
    return true;
  }

  /** Starts one call; `first`: what its task's function did when it was already called (see `TaskWorker.execute`). */
  #startCall(batch: WorkerBatch, prepared: PreparedTask, effects: Effects, payload: () => Uint8Array, first?: FirstCall): void {
    const { self, context } = batch;
    const call = new Call(prepared, payload, effects, context);
    batch.calls.push(call);
    const ended = (): void => {
      if (call.background) call.end(effects);
      else this.#complete(batch, call);
    };
    if (prepared.descriptor?.withContext) {
      batch.sequential = batch.sequential.then(async () => {
        await this.worker.execute(self, prepared, call, effects);
        ended();
      });
      return;
    }
    // A call that ended at once (a plain task returning a value) needs no promise.
    const running = this.worker.execute(self, prepared, call, effects, first);
    if (running) batch.running.push(running.then(ended));
    else ended();
  }

  /** A call's task has ended: its effects join the response, within the size budget. */
  #complete(batch: WorkerBatch, call: Call): void {
    if (call.answered) {
      this.logger({
        level: 'debug',
        message: 'dropped the late result of a task that ran past the call budget',
        fields: { worker: batch.self.id, task: call.prepared?.request.taskName },
      });
      return;
    }
    call.answered = true;
    try {
      const size = effectsBytes(call.effects);
      if (batch.responseBytes > 0 && batch.responseBytes + size > this.limits.maxResponseBytes && call.prepared) {
        this.#sendAgain(batch, call.payload(), call.prepared.request.taskName);
      } else {
        batch.responseBytes += size;
        batch.out.push(call.effects);
      }
    } catch (err) {
      call.effects.log('error', 'worker function could not apply its effects', { worker: batch.self.id, error: String(err) });
    }
    for (const entry of call.effects.logs) this.logger(entry);
  }

  /** Too much for this response: the task (request `payload`) runs again in a later batch. */
  #sendAgain(batch: WorkerBatch, payload: Uint8Array, task: string): void {
    batch.context.send(
      messageBuilder({
        typename: `${batch.self.namespace}/${batch.self.name}`,
        id: batch.self.id,
        value: payload,
        valueType: bytesType(Typenames.taskRequest),
      }),
    );
    this.logger({
      level: 'info',
      message: 'a batch reached limits.maxResponseBytes; a task goes again in a later batch',
      fields: { worker: batch.self.id, task },
    });
  }

  /** Hands the effects of the batch's ended calls to the SDK (results for one pipeline travel as one message batch). */
  #flush(batch: WorkerBatch): void {
    try {
      applyEffects(batch.context, ...batch.out);
    } catch (err) {
      this.logger({ level: 'error', message: 'worker function could not apply its effects', fields: { worker: batch.self.id, error: String(err) } });
    }
    batch.out.length = 0;
  }

  /** Waits for the batch's tasks, at most `callBudgetMs`; answers those still running with `TaskTimeout`. */
  async #settle(batch: WorkerBatch): Promise<void> {
    let timer: ClockTimer | undefined;
    const budget = new Promise<'budget'>((resolve) => {
      timer = this.clock.setTimeout(() => {
        resolve('budget');
      }, this.limits.callBudgetMs);
    });
    const all = Promise.all(batch.running).then(() => batch.sequential);
    try {
      if ((await Promise.race([all.then(() => 'done' as const), budget])) === 'done') {
        this.#flush(batch);
        return;
      }
    } finally {
      if (timer) this.clock.clearTimeout(timer);
    }
    for (const call of batch.calls) {
      if (call.answered || !call.prepared) continue;
      call.answered = true;
      const { request } = call.prepared;
      const reply = replyAddressOf(request);
      if (this.background && reply) {
        // The task goes on in the background; the pipeline hears it is alive now and its outcome later.
        call.background = true;
        const notice = this.background.adopt(batch.self, request, call.storage, call.ended());
        batch.context.send(
          messageBuilder({ typename: `${reply.namespace}/${reply.type}`, id: reply.id, value: notice, valueType: bytesType(Typenames.taskResult) }),
        );
        continue;
      }
      const effects = new Effects(this.clock.now(), this.#debug);
      await this.worker.fail(
        batch.self,
        request,
        new TaskError({
          errorType: ErrorCode.TaskTimeout,
          message: `task '${request.taskName}' was still running after ${this.limits.callBudgetMs} ms (limits.callBudgetMs, the longest a worker holds a StateFun call) and this worker has no result sink to finish it in the background; give serve() a resultSink, or make the task shorter`,
          taskName: request.taskName,
          taskId: request.id,
        }),
        effects,
      );
      batch.out.push(effects);
      for (const entry of effects.logs) this.logger(entry);
    }
    this.#flush(batch);
  }
}

function taskStorage(context: Context): TaskStorage {
  const storage = context.storage as StorageOf<'task_state'>;
  return {
    get: () => storage.task_state ?? undefined,
    set: (bytes) => {
      storage.task_state = bytes === undefined ? null : Buffer.from(bytes);
    },
  };
}
