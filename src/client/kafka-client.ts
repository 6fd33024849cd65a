/**
 * A client for pipelines running on Apache Flink StateFun, through Kafka.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer, type KafkaConfig, type Producer } from 'kafkajs';
import { codecs } from '../wire/codec.js';
import type { WireEvent, WirePipelineCommand } from '../wire/messages.js';
import { PipelineClient } from './pipeline-client.js';

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
  /**
   * Topic routed to the pipeline function (Kafka ingress `valueType`
   * `io.flinktasks/PipelineCommand`); default `flink-tasks.requests`.
   * Submissions and actions share it, so Kafka keeps them in order per
   * pipeline.
   */
  readonly requestTopic?: string;
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
export class KafkaTasksClient extends PipelineClient {
  readonly #eventListeners = new Set<(event: WireEvent) => void>();
  readonly #outbox: Array<{ key: string; value: Buffer; resolve(): void; reject(error: Error): void }> = [];
  #sending = false;

  private constructor(
    private readonly producer: Producer,
    private readonly consumer: Consumer,
    private readonly topics: Required<Pick<KafkaTasksClientOptions, 'requestTopic' | 'replyTopic' | 'eventsTopic'>>,
    timeoutMs: number | undefined,
  ) {
    super(topics.replyTopic, timeoutMs);
  }

  /** Connects, creates missing topics, and starts consuming replies (and events). */
  static async connect(options: KafkaTasksClientOptions): Promise<KafkaTasksClient> {
    const kafka = new Kafka({ clientId: 'flink-tasks-client', logLevel: logLevel.NOTHING, ...options.kafka, brokers: [...options.brokers] });
    const topics = {
      requestTopic: options.requestTopic ?? 'flink-tasks.requests',
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
    const client = new KafkaTasksClient(producer, consumer, topics, options.timeoutMs);
    let ready: () => void = () => undefined;
    const assigned = new Promise<void>((resolve) => (ready = resolve));
    const off = consumer.on(consumer.events.GROUP_JOIN, () => ready());
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        if (!message.value) return;
        if (topic === topics.replyTopic) client.deliverReply(message.value);
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

  protected async sendSubmission(id: string, payload: Uint8Array): Promise<void> {
    await this.#command(id, { submit: codecs.taskRequest.decode(payload) });
  }

  protected async sendAction(id: string, payload: Uint8Array): Promise<void> {
    await this.#command(id, { action: codecs.taskActionRequest.decode(payload) });
  }

  /**
   * Both kinds go to one topic, keyed by pipeline id, so Kafka keeps them in
   * order per pipeline, provided they are produced in order: kafkajs gives
   * no order between concurrent send() calls (one may wait for metadata
   * while the next goes out). So commands queue here and go out in order;
   * those that pile up while a send is in flight go together in the next.
   */
  #command(id: string, command: WirePipelineCommand): Promise<void> {
    const value = Buffer.from(codecs.pipelineCommand.encode(command));
    return new Promise<void>((resolve, reject) => {
      this.#outbox.push({ key: id, value, resolve, reject });
      void this.#drainOutbox();
    });
  }

  async #drainOutbox(): Promise<void> {
    if (this.#sending) return;
    this.#sending = true;
    try {
      while (this.#outbox.length > 0) {
        const batch = this.#outbox.splice(0);
        try {
          await this.producer.send({ topic: this.topics.requestTopic, messages: batch.map(({ key, value }) => ({ key, value })) });
          for (const c of batch) c.resolve();
        } catch (err) {
          for (const c of batch) c.reject(err instanceof Error ? err : new Error(String(err)));
        }
      }
    } finally {
      this.#sending = false;
    }
  }

  protected async release(): Promise<void> {
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

}
