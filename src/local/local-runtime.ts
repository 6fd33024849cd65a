/**
 * The embedded local runtime: the default for development and tests.
 *
 * @module
 */
import {
  actionOf,
  pipelineIdOf,
  ReplyRouter,
  settleAction,
  settleOutcome,
  submissionOf,
  type PipelineRef,
  type PipelineStatus,
  type ResultOfRef,
  type TasksClient,
} from '../client/tasks-client.js';
import type { FlinkTasks } from '../dsl/flink-tasks.js';
import type { PipelineLike, ResultOf } from '../dsl/types.js';
import { PipelineError } from '../errors.js';
import type { PipelineNode } from '../ir/nodes.js';
import { jsonLogger, type Logger } from '../log.js';
import { EVENTS_EGRESS, EVENTS_TOPIC, FunctionServer, REPLIES_EGRESS, REPLIES_TOPIC } from '../statefun/function-server.js';
import { decodeKafkaRecord, type PbTypedValue } from '../statefun/protocol.js';
import { codecs, Typenames } from '../wire/codec.js';
import { TaskAction, type TaskActionCode, type WireEvent } from '../wire/messages.js';
import type { WorkerHooks } from '../worker/task-worker.js';
import { LocalEngine } from './engine.js';

/** Counters of a {@link LocalRuntime}. */
export interface LocalRuntimeStats {
  /** Requests (batches) sent to functions. */
  readonly requests: number;
  /** Invocations (messages) delivered. */
  readonly invocations: number;
  /** Addresses currently holding state or messages. */
  readonly addresses: number;
  /** Request bytes sent, by function type (`namespace/name`), state values included. */
  readonly bytesSent: ReadonlyMap<string, number>;
}

/** Options of a {@link LocalRuntime}. */
export interface LocalRuntimeOptions {
  /** Structured logs; default: warnings and errors as JSON lines on stderr. */
  readonly logger?: Logger;
  /** Worker hooks. */
  readonly hooks?: WorkerHooks;
  /** Largest batch per address; default 1000 (StateFun's default). */
  readonly maxBatchSize?: number;
  /** Called with every pipeline event (enables events). */
  readonly onEvent?: (event: WireEvent) => void;
}

/**
 * Runs pipelines in-process with StateFun's semantics, driving the same
 * StateFun functions that Apache Flink calls, through the real request-reply
 * protocol (no HTTP).
 *
 * @example
 * ```ts
 * const runtime = new LocalRuntime(tasks);
 * const six: number = await runtime.submit(multiply.send(3, 2));
 * await runtime.close();
 * ```
 */
export class LocalRuntime implements TasksClient {
  /** The StateFun functions being driven. */
  readonly server: FunctionServer;
  readonly #engine: LocalEngine;
  readonly #router = new ReplyRouter();
  readonly #tasks: FlinkTasks;
  #closed = false;

  constructor(tasks: FlinkTasks, options: LocalRuntimeOptions = {}) {
    const logger = options.logger ?? jsonLogger('warn');
    this.#tasks = tasks;
    this.server = new FunctionServer(tasks, {
      logger,
      ...(options.hooks ? { hooks: options.hooks } : {}),
      ...(options.onEvent ? { events: { egress: EVENTS_EGRESS, topic: EVENTS_TOPIC } } : {}),
    });
    const onEvent = options.onEvent;
    this.#engine = new LocalEngine({
      ...(options.maxBatchSize !== undefined ? { maxBatchSize: options.maxBatchSize } : {}),
      logger,
      onEgress: (egress: string, argument: PbTypedValue) => {
        const record = decodeKafkaRecord(argument.value);
        if (egress === REPLIES_EGRESS) {
          if (!this.#router.deliver(record.valueBytes)) logger({ level: 'debug', message: 'reply with no waiting request', fields: { key: record.key } });
        } else if (egress === EVENTS_EGRESS && onEvent) {
          try {
            onEvent(codecs.event.decode(record.valueBytes));
          } catch (err) {
            logger({ level: 'warn', message: 'event listener threw', fields: { error: String(err) } });
          }
        }
      },
    });
    for (const typename of this.server.functionTypes) this.#engine.register(typename, this.server);
  }

  /**
   * Resolves when no function has work in flight or queued (delayed messages,
   * such as pending retries, excepted). A task that is still running keeps it
   * from resolving.
   *
   * @example
   * ```ts
   * void runtime.submit(pipeline);
   * await runtime.idle();
   * ```
   */
  idle(): Promise<void> {
    return this.#engine.idle();
  }

  /**
   * Counters of the embedded engine: requests sent to functions, invocations
   * delivered, and addresses currently holding state or messages.
   *
   * @example
   * ```ts
   * const { requests, invocations } = runtime.stats;
   * ```
   */
  get stats(): LocalRuntimeStats {
    return { requests: this.#engine.requests, invocations: this.#engine.invocations, addresses: this.#engine.addresses, bytesSent: new Map(this.#engine.bytesSent) };
  }

  #target(id: string) {
    return { namespace: this.#tasks.namespace, type: this.#tasks.pipelineName, id };
  }

  #open(): void {
    if (this.#closed) throw new PipelineError('this LocalRuntime is closed');
  }

  /**
   * Runs `pipeline`; resolves with its result, rejects with a {@link TaskError}.
   *
   * @example
   * ```ts
   * const [a, b] = await runtime.submit(inParallel([multiply.send(1, 2), greet.send('x')]));
   * ```
   */
  async submit<P extends PipelineLike<unknown>>(pipeline: P): Promise<ResultOf<P>> {
    this.#open();
    const { id, requestId, payload } = submissionOf(pipeline, REPLIES_TOPIC);
    const reply = this.#router.expect(requestId);
    this.#engine.deliver(this.#target(id), { typename: Typenames.taskRequest, hasValue: true, value: payload });
    return settleOutcome((await reply).outcome) as ResultOf<P>;
  }

  async #action(ref: PipelineRef, action: TaskActionCode) {
    this.#open();
    const id = pipelineIdOf(ref);
    const { uid, payload } = actionOf(id, action, REPLIES_TOPIC);
    const reply = this.#router.expect(uid);
    this.#engine.deliver(this.#target(id), { typename: Typenames.taskActionRequest, hasValue: true, value: payload });
    return settleAction(await reply, action);
  }

  /** The pipeline's status. */
  async status(pipeline: PipelineRef): Promise<PipelineStatus> {
    return (await this.#action(pipeline, TaskAction.GET_STATUS)).status;
  }

  /** The pipeline as submitted. */
  async request(pipeline: PipelineRef): Promise<PipelineNode> {
    return (await this.#action(pipeline, TaskAction.GET_REQUEST)).request as PipelineNode;
  }

  /** The result of a finished pipeline; rejects with its error if it failed. */
  async result<P extends PipelineRef>(pipeline: P): Promise<ResultOfRef<P>> {
    return (await this.#action(pipeline, TaskAction.GET_RESULT)).result as ResultOfRef<P>;
  }

  /** Pauses a running pipeline. */
  async pause(pipeline: PipelineRef): Promise<void> {
    await this.#action(pipeline, TaskAction.PAUSE_PIPELINE);
  }

  /** Resumes a paused pipeline. */
  async unpause(pipeline: PipelineRef): Promise<void> {
    await this.#action(pipeline, TaskAction.UNPAUSE_PIPELINE);
  }

  /** Cancels a running or paused pipeline. */
  async cancel(pipeline: PipelineRef): Promise<void> {
    await this.#action(pipeline, TaskAction.CANCEL_PIPELINE);
  }

  /** Stops the runtime; pending calls reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#engine.close();
    this.#router.rejectAll(new PipelineError('the LocalRuntime was closed'));
  }
}
