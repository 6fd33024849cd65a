/**
 * A client for pipelines running on Apache Flink StateFun, through Kafka.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer, type KafkaConfig, type Producer } from 'kafkajs';
import type { PipelineLike, ResultOf } from '../dsl/types.js';
import { PipelineError } from '../errors.js';
import type { PipelineNode } from '../ir/nodes.js';
import { codecs } from '../wire/codec.js';
import { TaskAction, type TaskActionCode, type WireEvent } from '../wire/messages.js';
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
} from './tasks-client.js';

/**
 * Options of a {@link KafkaTasksClient}.
 *
 * @example
 * ```ts
 * const client = await KafkaTasksClient.connect({
 *   brokers: ['kafka-bootstrap:9092'],
 *   timeoutMs: 60_000,
 *   createTopics: false,
 *   kafka: { clientId: 'billing', ssl: true },
 * });
 * ```
 */
export interface KafkaTasksClientOptions {
  /** Kafka bootstrap servers, e.g. `['127.0.0.1:19092']`. */
  readonly brokers: readonly string[];
  /** Topic routed to the pipeline function for submissions; default `flink-tasks.requests`. */
  readonly requestTopic?: string;
  /** Topic routed to the pipeline function for actions; default `flink-tasks.actions`. */
  readonly actionTopic?: string;
  /** Topic the pipeline function replies on; default `flink-tasks.replies`. */
  readonly replyTopic?: string;
  /** Topic of pipeline events; default `flink-tasks.events`. */
  readonly eventsTopic?: string;
  /** Reject a call with no reply after this many milliseconds; default none. */
  readonly timeoutMs?: number;
  /** Create missing topics on connect; default true. */
  readonly createTopics?: boolean;
  /** Extra kafkajs settings (client id, SSL, SASL …). */
  readonly kafka?: Omit<KafkaConfig, 'brokers'>;
}

/**
 * Submits pipelines to Apache Flink StateFun over Kafka and waits for their
 * replies, correlated by request id. Same interface as the local runtime
 * (`LocalRuntime`).
 *
 * @example
 * ```ts
 * const client = await KafkaTasksClient.connect({ brokers: ['127.0.0.1:19092'], timeoutMs: 60_000 });
 * const avg: number = await client.submit(averageStdDev.send(['BT.L', 'BP.L']));
 * await client.close();
 * ```
 */
export class KafkaTasksClient implements TasksClient {
  readonly #router = new ReplyRouter();
  readonly #eventListeners = new Set<(event: WireEvent) => void>();
  #closed = false;

  private constructor(
    private readonly producer: Producer,
    private readonly consumer: Consumer,
    private readonly options: Required<Pick<KafkaTasksClientOptions, 'requestTopic' | 'actionTopic' | 'replyTopic' | 'eventsTopic'>> & { timeoutMs: number | undefined },
  ) {}

  /** Connects, creates missing topics, and starts consuming replies (and events). */
  static async connect(options: KafkaTasksClientOptions): Promise<KafkaTasksClient> {
    const kafka = new Kafka({ clientId: 'flink-tasks-client', logLevel: logLevel.NOTHING, ...options.kafka, brokers: [...options.brokers] });
    const topics = {
      requestTopic: options.requestTopic ?? 'flink-tasks.requests',
      actionTopic: options.actionTopic ?? 'flink-tasks.actions',
      replyTopic: options.replyTopic ?? 'flink-tasks.replies',
      eventsTopic: options.eventsTopic ?? 'flink-tasks.events',
    };
    if (options.createTopics ?? true) {
      const admin: Admin = kafka.admin();
      await admin.connect();
      try {
        const existing = new Set(await admin.listTopics());
        const missing = Object.values(topics).filter((t) => !existing.has(t));
        if (missing.length > 0) await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })), waitForLeaders: true });
      } finally {
        await admin.disconnect();
      }
    }
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    const consumer = kafka.consumer({ groupId: `flink-tasks-client-${randomUUID()}`, readUncommitted: false });
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.replyTopic, topics.eventsTopic], fromBeginning: false });
    const client = new KafkaTasksClient(producer, consumer, { ...topics, timeoutMs: options.timeoutMs });
    let ready: () => void = () => undefined;
    const assigned = new Promise<void>((resolve) => (ready = resolve));
    const off = consumer.on(consumer.events.GROUP_JOIN, () => ready());
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        if (!message.value) return;
        if (topic === topics.replyTopic) client.#router.deliver(message.value);
        else if (topic === topics.eventsTopic) {
          const event = codecs.event.decode(message.value);
          for (const l of client.#eventListeners) {
            try {
              l(event);
            } catch {
              // a listener's failure is its own
            }
          }
        }
      },
    });
    await assigned;
    off();
    return client;
  }

  /**
   * Calls `listener` with every pipeline event published while subscribed.
   * Returns a function that unsubscribes.
   *
   * @example
   * ```ts
   * const stop = client.onEvent((e) => console.log(e.pipelineId, e.pipelineStatusChanged?.status?.value));
   * ```
   */
  onEvent(listener: (event: WireEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  #open(): void {
    if (this.#closed) throw new PipelineError('this KafkaTasksClient is closed');
  }

  /** Submits `pipeline`; resolves with its result, rejects with a `TaskError`. */
  async submit<P extends PipelineLike<unknown>>(pipeline: P): Promise<ResultOf<P>> {
    this.#open();
    const { id, requestId, payload } = submissionOf(pipeline, this.options.replyTopic);
    const reply = this.#router.expect(requestId, this.options.timeoutMs);
    await this.producer.send({ topic: this.options.requestTopic, messages: [{ key: id, value: Buffer.from(payload) }] });
    return settleOutcome((await reply).outcome) as ResultOf<P>;
  }

  async #action(ref: PipelineRef, action: TaskActionCode) {
    this.#open();
    const id = pipelineIdOf(ref);
    const { uid, payload } = actionOf(id, action, this.options.replyTopic);
    const reply = this.#router.expect(uid, this.options.timeoutMs);
    await this.producer.send({ topic: this.options.actionTopic, messages: [{ key: id, value: Buffer.from(payload) }] });
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
  /** The result of a finished pipeline. */
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

  /** Disconnects; pending calls reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#router.rejectAll(new PipelineError('the KafkaTasksClient was closed'));
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }
}
