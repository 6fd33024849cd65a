/**
 * The client interface shared by the local runtime and the Kafka client, and
 * the correlation of replies with requests.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { PipelineLike, ResultOf, RunnablePipeline } from '../dsl/types.js';
import { PipelineError, TaskError } from '../errors.js';
import type { PipelineNode } from '../ir/nodes.js';
import { codecs } from '../wire/codec.js';
import { statusNameOf, TaskAction, type TaskActionCode, type WireReply, type WireTaskResultOrException } from '../wire/messages.js';
import { pipelineFromWire, pipelineToWire } from '../wire/pipeline.js';
import { fromWireException, fromWireValue } from '../wire/values.js';

/**
 * The status of a pipeline.
 *
 * @example
 * ```ts
 * const status: PipelineStatus = await runtime.status(job);
 * if (status === 'PAUSED') await runtime.unpause(job);
 * ```
 */
export type PipelineStatus = 'PENDING' | 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'FAILED' | 'CANCELLING' | 'CANCELLED';

/**
 * A pipeline, or the id it runs under.
 *
 * @example
 * ```ts
 * const p = multiply.send(3, 2);
 * void runtime.submit(p);
 * await runtime.status(p); // by the pipeline
 * await runtime.status(p.id); // or by the id it runs under
 * ```
 */
export type PipelineRef = PipelineLike<unknown> | string;

/**
 * The outcome of a finished pipeline, as {@link TasksClient.result} reports it.
 *
 * @example
 * ```ts
 * type A = ResultOfRef<Pipeline<number>>; // number
 * type B = ResultOfRef<string>; // unknown: an id says nothing about the result type
 * ```
 */
export type ResultOfRef<P> = P extends PipelineLike<infer T> ? T : unknown;

/**
 * What every client of flink-tasks offers, whichever runtime runs the
 * pipelines: the embedded {@link LocalRuntime} or Apache Flink through Kafka.
 *
 * @example
 * ```ts
 * async function run(client: TasksClient) {
 *   const avg: number = await client.submit(averageStdDev.send(['BT.L', 'BP.L']));
 * }
 * ```
 */
export interface TasksClient {
  /** Runs `pipeline` under its id; resolves with its result or rejects with a {@link TaskError}. */
  submit<P extends RunnablePipeline<unknown>>(pipeline: P): Promise<ResultOf<P>>;
  /** The pipeline's status. */
  status(pipeline: PipelineRef): Promise<PipelineStatus>;
  /** The pipeline as it was submitted, as IR. */
  request(pipeline: PipelineRef): Promise<PipelineNode>;
  /** The result of a finished pipeline (rejects with its {@link TaskError} if it failed). */
  result<P extends PipelineRef>(pipeline: P): Promise<ResultOfRef<P>>;
  /** Holds back new dispatches until {@link TasksClient.unpause}. */
  pause(pipeline: PipelineRef): Promise<void>;
  /** Resumes a paused pipeline. */
  unpause(pipeline: PipelineRef): Promise<void>;
  /** Cancels a running or paused pipeline; `finallyDo` still runs. */
  cancel(pipeline: PipelineRef): Promise<void>;
  /** Releases resources; pending calls reject. */
  close(): Promise<void>;
}

/** The id of a pipeline reference. */
export function pipelineIdOf(ref: PipelineRef): string {
  if (typeof ref === 'string') {
    if (ref === '') throw new PipelineError('a pipeline id must not be empty');
    return ref;
  }
  return ref.id;
}

/** Turns a pipeline outcome into a value or a thrown {@link TaskError}. */
export function settleOutcome(outcome: WireTaskResultOrException | null | undefined): unknown {
  if (outcome?.taskResult) return fromWireValue(outcome.taskResult.result);
  if (outcome?.taskException) throw fromWireException(outcome.taskException);
  throw new TaskError({ errorType: 'EmptyReply', message: 'flink-tasks: the runtime replied without an outcome' });
}

interface Waiter {
  resolve(reply: WireReply): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout | undefined;
}

/**
 * Matches replies with the requests that caused them: submissions by their
 * request id (echoed as `invocationId`), actions by their `uid`.
 */
export class ReplyRouter {
  readonly #waiting = new Map<string, Waiter>();

  /** Promise of the reply to request `id`, rejected after `timeoutMs` if given. */
  expect(id: string, timeoutMs?: number): Promise<WireReply> {
    return new Promise<WireReply>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (timeoutMs !== undefined && timeoutMs > 0) {
        waiter.timer = setTimeout(() => {
          this.#waiting.delete(id);
          reject(new TaskError({ errorType: 'Timeout', message: `flink-tasks: no reply within ${timeoutMs} ms (request ${id})` }));
        }, timeoutMs);
      }
      this.#waiting.set(id, waiter);
    });
  }

  /** Routes one reply (bytes of a `Reply`). Returns false if nobody waits for it. */
  deliver(bytes: Uint8Array): boolean {
    const reply = codecs.reply.decode(bytes);
    const id = reply.outcome
      ? (reply.outcome.taskResult?.invocationId ?? reply.outcome.taskException?.invocationId ?? '')
      : (reply.actionResult?.uid ?? reply.actionException?.uid ?? '');
    const waiter = this.#waiting.get(id);
    if (!waiter) return false;
    this.#waiting.delete(id);
    if (waiter.timer) clearTimeout(waiter.timer);
    waiter.resolve(reply);
    return true;
  }

  /** Rejects every pending request. */
  rejectAll(error: Error): void {
    for (const [id, w] of this.#waiting) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(error);
      this.#waiting.delete(id);
    }
  }

  /** Number of requests waiting for a reply. */
  get pending(): number {
    return this.#waiting.size;
  }
}

/** A submission of `pipeline` asking for replies on `replyTopic`. */
export function submissionOf(pipeline: PipelineLike<unknown>, replyTopic: string): { id: string; requestId: string; payload: Uint8Array } {
  const requestId = randomUUID();
  const ir = pipeline.toIR();
  const payload = codecs.taskRequest.encode({
    id: pipeline.id, type: '', replyTopic, args: new Uint8Array(0), meta: {}, invocationId: requestId, uid: 0,
    pipeline: pipelineToWire(ir), branch: 0, attempt: 0, rootPipelineId: '', pipelineId: '', displayName: '', isChild: false,
  });
  return { id: pipeline.id, requestId, payload };
}

/** An action request on pipeline `id`, asking for the answer on `replyTopic`. */
export function actionOf(id: string, action: TaskActionCode, replyTopic: string): { uid: string; payload: Uint8Array } {
  const uid = randomUUID();
  return { uid, payload: codecs.taskActionRequest.encode({ id, replyTopic, action, uid }) };
}

/** Interprets the reply to an action: what the caller gets, or the error it throws. */
export function settleAction(reply: WireReply, action: TaskActionCode): { status: PipelineStatus; request?: PipelineNode; result?: unknown } {
  if (reply.actionException) {
    const e = reply.actionException;
    throw new TaskError({ errorType: e.exceptionType, message: e.exceptionMessage, taskId: e.id });
  }
  const r = reply.actionResult;
  if (!r) throw new TaskError({ errorType: 'EmptyReply', message: 'flink-tasks: the runtime answered an action without a result' });
  const status: PipelineStatus = statusNameOf(r.status?.value ?? 0) ?? 'PENDING';
  if (action === TaskAction.GET_REQUEST) {
    if (!r.request) throw new TaskError({ errorType: 'EmptyReply', message: 'flink-tasks: the runtime did not return the request' });
    return { status, request: pipelineFromWire(r.request) };
  }
  if (action === TaskAction.GET_RESULT) return { status, result: settleOutcome(r.outcome) };
  return { status };
}
