/**
 * Calls that outlive a StateFun call. When a task is still running at the
 * end of the worker's call budget and a {@link ResultSink} is configured, the
 * worker answers the call with a notice (the task goes on, under a lease) and
 * lets the task run on: heartbeats renew the lease, and when the task ends,
 * everything the call would have done (its outcome, messages, delayed
 * messages, egress records, task state) travels to the pipeline function as
 * one `TaskCompletion`, which does it there. A worker that dies lets the
 * lease lapse; the pipeline then fails (or retries) the call.
 *
 * @module
 */
import type { FunctionAddress } from '../core/address.js';
import type { Clock, ClockTimer } from '../core/clock.js';
import type { Logger } from '../core/log.js';
import type { Effects } from '../executor/effects.js';
import { toWireAddress } from '../wire/address.js';
import { codecs, Typenames } from '../wire/codec.js';
import type { ForwardedEffect, TaskCompletion, TaskRequest, TaskResultOrException } from '../wire/generated/flinktasks.js';
import type { TaskStorage } from '../worker/task-context.js';
import type { ResultSink } from '../worker/result-sink.js';
import { originOf, replyAddressOf } from '../worker/task-request.js';

/**
 * Task state as a call sees it: written through to the address while the
 * call is inside its StateFun call, kept aside once it runs in the background.
 */
export class CallStorage implements TaskStorage {
  #background = false;
  #written = false;
  #value: Uint8Array | undefined;

  constructor(private readonly address: TaskStorage) {}

  get(): Uint8Array | undefined {
    return this.#background && this.#written ? this.#value : this.address.get();
  }

  set(bytes: Uint8Array | undefined): void {
    if (this.#background) {
      this.#written = true;
      this.#value = bytes;
    } else {
      this.address.set(bytes);
    }
  }

  /** From now on, writes are kept aside (the call's StateFun call has ended). */
  detach(): void {
    if (this.#background) return;
    this.#value = this.address.get();
    this.#background = true;
  }

  /** What the call wrote while in the background, if anything. */
  get written(): { readonly value: Uint8Array | undefined } | undefined {
    return this.#written ? { value: this.#value } : undefined;
  }
}

/** The `TaskCompletion` that does what a background call's effects say. */
export function completionOf(self: FunctionAddress, request: TaskRequest, effects: Effects, storage: CallStorage): TaskCompletion {
  const reply = replyAddressOf(request);
  let outcome: TaskResultOrException | undefined;
  const forwarded: ForwardedEffect[] = [];
  for (const m of effects.outgoing) {
    const toPipeline = m.target.namespace === reply?.namespace && m.target.name === reply.type && m.target.id === reply.id;
    if (toPipeline && m.typename === Typenames.taskResult && outcome === undefined) {
      outcome = { taskResultOrException: { $case: 'taskResult', value: codecs.taskResult.decode(m.payload) } };
    } else if (toPipeline && m.typename === Typenames.taskException && outcome === undefined) {
      outcome = { taskResultOrException: { $case: 'taskException', value: codecs.taskException.decode(m.payload) } };
    } else {
      forwarded.push({ effect: { $case: 'message', value: { target: toWireAddress(m.target), typename: m.typename, payload: m.payload } } });
    }
  }
  for (const d of effects.delayed) {
    forwarded.push({
      effect: { $case: 'delayed', value: { message: { target: toWireAddress(d.target), typename: d.typename, payload: d.payload }, delayMs: d.delayMs } },
    });
  }
  for (const e of effects.egress) forwarded.push({ effect: { $case: 'egress', value: { egress: e.egress, topic: e.topic, key: e.key, value: e.value } } });
  const written = storage.written;
  return {
    invocationId: request.invocationId,
    uid: request.uid,
    branch: request.branch,
    attempt: request.attempt,
    outcome,
    effects: forwarded,
    worker: toWireAddress(self),
    taskState: written?.value,
    taskStateWritten: written !== undefined,
  };
}

/** Calls running in the background: their heartbeats and their ends, through the sink. */
export class BackgroundCalls {
  #count = 0;

  constructor(
    private readonly sink: ResultSink,
    private readonly leaseMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Calls running in the background now. */
  get size(): number {
    return this.#count;
  }

  /**
   * Lets the call of `request` run on in the background; `ended` resolves
   * with its effects. Returns the notice for the pipeline (a `TaskResult`
   * saying the call goes on), to send in the current response.
   */
  adopt(self: FunctionAddress, request: TaskRequest, storage: CallStorage, ended: Promise<Effects>): Uint8Array {
    storage.detach();
    const pipelineId = originOf(request).pipelineId;
    const beat = codecs.pipelineCommand.encode({
      command: {
        $case: 'heartbeat',
        value: {
          invocationId: request.invocationId,
          uid: request.uid,
          branch: request.branch,
          attempt: request.attempt,
          fraction: 0,
          message: '',
          hasProgress: false,
        },
      },
    });
    let timer: ClockTimer | undefined;
    const schedule = (): void => {
      timer = this.clock.setTimeout(
        () => {
          this.#send(pipelineId, beat, 'heartbeat');
          schedule();
        },
        Math.max(1, Math.floor(this.leaseMs / 3)),
      );
      timer.unref();
    };
    schedule();
    this.#count += 1;
    void ended.then((effects) => {
      if (timer) this.clock.clearTimeout(timer);
      this.#count -= 1;
      for (const entry of effects.logs) this.logger(entry);
      const completion = completionOf(self, request, effects, storage);
      this.#send(pipelineId, codecs.pipelineCommand.encode({ command: { $case: 'completion', value: completion } }), 'completion');
    });
    return codecs.taskResult.encode({
      id: request.id,
      taskName: request.taskName,
      result: undefined,
      state: undefined,
      invocationId: request.invocationId,
      uid: request.uid,
      pauseAfter: false,
      branch: request.branch,
      childPipelineId: '',
      accepted: true,
      leaseMs: this.leaseMs,
      deferNonce: '',
      attempt: request.attempt,
    });
  }

  #send(pipelineId: string, command: Uint8Array, what: string): void {
    this.sink.send(pipelineId, command).catch((err: unknown) => {
      // A lost heartbeat costs nothing; a lost completion lets the lease lapse, and the pipeline fails or retries the call.
      this.logger({ level: 'warn', message: `could not deliver a background call's ${what}`, fields: { pipeline: pipelineId, error: String(err) } });
    });
  }
}
