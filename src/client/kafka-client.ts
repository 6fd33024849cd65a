/**
 * A client for pipelines running on Apache Flink StateFun, through Kafka.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer, type KafkaConfig, type LogEntry as KafkaLogEntry, type Producer } from 'kafkajs';
import { jsonLogger, type Logger, type LogLevel } from '../core/log.js';
import { EVENTS_TOPIC, REPLIES_TOPIC, REQUESTS_TOPIC } from '../core/topics.js';
import { codecs } from '../wire/codec.js';
import { toPipelineEvent } from './events.js';
import type { PipelineEvent } from './pipeline-events.js';
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
  /**
   * Largest produce request, in bytes: commands issued together go out in
   * batches of at most this size (a single larger command goes alone); below
   * the producer's `max.request.size`. Default 900 KiB.
   */
  readonly maxBatchBytes?: number;
  /** Structured logs (kafkajs' own included); default: warnings and errors as JSON lines on stderr. */
  readonly logger?: Logger;
  /** Extra kafkajs settings (client id, SSL, SASL …). */
  readonly kafka?: Omit<KafkaConfig, 'brokers' | 'logCreator'>;
}

const KAFKA_LEVELS: Readonly<Record<number, LogLevel | undefined>> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** Routes kafkajs' log lines into a flink-tasks logger. */
function kafkaLogCreator(logger: Logger) {
  return () => ({ namespace, level, log }: KafkaLogEntry) => {
    const { message, ...fields } = log;
    logger({ level: KAFKA_LEVELS[level] ?? 'debug', message: `kafkajs: ${message}`, fields: { component: namespace, ...fields } });
  };
}

interface Outgoing {
  readonly key: string;
  readonly value: Buffer;
  resolve(): void;
  reject(error: Error): void;
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
  readonly #eventListeners = new Set<(event: PipelineEvent) => void>();
  readonly #outbox: Outgoing[] = [];
  #sending = false;

  private constructor(
    private readonly producer: Producer,
    private readonly consumer: Consumer,
    private readonly topics: Required<Pick<KafkaTasksClientOptions, 'requestTopic' | 'replyTopic' | 'eventsTopic'>>,
    private readonly maxBatchBytes: number,
    timeoutMs: number | undefined,
    logger: Logger,
  ) {
    super(topics.replyTopic, timeoutMs, logger);
  }

  /** Connects, creates missing topics, and starts consuming replies (and events). */
  static async connect(options: KafkaTasksClientOptions): Promise<KafkaTasksClient> {
    const logger = options.logger ?? jsonLogger('warn');
    const kafka = new Kafka({
      clientId: 'flink-tasks-client', logLevel: logLevel.WARN, ...options.kafka, brokers: [...options.brokers], logCreator: kafkaLogCreator(logger),
    });
    const topics = {
      requestTopic: options.requestTopic ?? REQUESTS_TOPIC,
      replyTopic: options.replyTopic ?? REPLIES_TOPIC,
      eventsTopic: options.eventsTopic ?? EVENTS_TOPIC,
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
    const client = new KafkaTasksClient(producer, consumer, topics, options.maxBatchBytes ?? 900 * 1024, options.timeoutMs, logger);
    let ready: () => void = () => undefined;
    const assigned = new Promise<void>((resolve) => (ready = resolve));
    const off = consumer.on(consumer.events.GROUP_JOIN, () => ready());
    await consumer.run({
      // Never throws: kafkajs would retry the record forever and every later reply would wait behind it.
      eachMessage: async ({ topic, partition, message }) => {
        if (!message.value) return;
        if (topic === topics.replyTopic) client.deliverReply(message.value);
        else if (topic === topics.eventsTopic) client.#deliverEvent(message.value, partition, message.offset);
      },
    });
    await assigned;
    off();
    return client;
  }

  #deliverEvent(bytes: Uint8Array, partition: number, offset: string): void {
    let event: PipelineEvent | undefined;
    try {
      event = toPipelineEvent(codecs.event.decode(bytes));
    } catch (err) {
      this.logger({ level: 'warn', message: 'skipped an event record that is not a flink-tasks event', fields: { partition, offset, error: String(err) } });
      return;
    }
    if (event === undefined) return;
    for (const l of this.#eventListeners) {
      try {
        l(event);
      } catch (err) {
        this.logger({ level: 'warn', message: 'event listener threw', fields: { error: String(err) } });
      }
    }
  }

  /**
   * Calls `listener` with every pipeline event published while subscribed.
   * Returns a function that unsubscribes.
   *
   * @example
   * ```ts
   * const stop = client.onEvent((e) => { if (e.kind === 'statusChanged') console.log(e.pipelineId, e.status); });
   * ```
   */
  onEvent(listener: (event: PipelineEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  /**
   * Commands go to one topic, keyed by pipeline id, so Kafka keeps them in
   * order per pipeline, provided they are produced in order: kafkajs gives
   * no order between concurrent send() calls (one may wait for metadata
   * while the next goes out). So commands queue here and go out in order;
   * those that pile up while a send is in flight go together in the next,
   * in batches of at most `maxBatchBytes`.
   */
  protected sendCommand(id: string, payload: Uint8Array): Promise<void> {
    const value = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    return new Promise<void>((resolve, reject) => {
      this.#outbox.push({ key: id, value, resolve, reject });
      void this.#drainOutbox();
    });
  }

  #nextBatch(): Outgoing[] {
    let bytes = 0;
    let n = 0;
    while (n < this.#outbox.length) {
      const size = (this.#outbox[n] as Outgoing).value.byteLength + 64;
      if (n > 0 && bytes + size > this.maxBatchBytes) break;
      bytes += size;
      n += 1;
    }
    return this.#outbox.splice(0, n);
  }

  async #drainOutbox(): Promise<void> {
    if (this.#sending) return;
    this.#sending = true;
    try {
      while (this.#outbox.length > 0) {
        const batch = this.#nextBatch();
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
    for (const c of this.#outbox.splice(0)) c.reject(new Error('flink-tasks: the KafkaTasksClient was closed before this command was sent'));
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }
}
