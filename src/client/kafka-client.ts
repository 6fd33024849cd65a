/**
 * A client for pipelines running on Apache Flink StateFun, through Kafka.
 * kafkajs is loaded by `connect` (see `kafkajs.ts`), not by importing this.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, KafkaConfig, Producer } from 'kafkajs';
import { jsonLogger, type Logger } from '../core/log.js';
import { kafkaLogCreator } from './kafka-logs.js';
import { EVENTS_TOPIC, REPLIES_TOPIC, REQUESTS_TOPIC } from '../core/topics.js';
import { eventsOf } from '../wire/events.js';
import { toPipelineEvent } from './events.js';
import { loadKafkajs } from './kafkajs.js';
import type { PipelineEvent } from '../observe/pipeline-events.js';
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
   * batches of at most this size, and a larger submission goes in parts of
   * at most this size that the pipeline function puts back together (so a
   * group of any size is submitted within Kafka's default 1 MB record
   * limit); below the producer's `max.request.size`. Default 900 KiB.
   */
  readonly maxBatchBytes?: number;
  /**
   * Read the events topic from its beginning, so that `list`, `inspect` and
   * `watch` see pipelines submitted by any process within the topic's
   * retention; `connect` resolves once the history is read. Default false:
   * events from the moment of connecting.
   */
  readonly history?: boolean;
  /** Structured logs (kafkajs' own included); default: warnings and errors as JSON lines on stderr. */
  readonly logger?: Logger;
  /** Extra kafkajs settings (client id, SSL, SASL …). */
  readonly kafka?: Omit<KafkaConfig, 'brokers' | 'logCreator'>;
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
  readonly #outbox: Outgoing[] = [];
  readonly #consumers: Consumer[] = [];
  #sending = false;

  private constructor(
    private readonly producer: Producer,
    private readonly topics: Required<Pick<KafkaTasksClientOptions, 'requestTopic' | 'replyTopic' | 'eventsTopic'>>,
    private readonly maxBatchBytes: number,
    timeoutMs: number | undefined,
    logger: Logger,
  ) {
    super(topics.replyTopic, timeoutMs, logger);
  }

  /**
   * Loads kafkajs, connects, creates missing topics, and starts consuming
   * replies (and events). Rejects with an error that says how to install
   * kafkajs (an optional peer dependency) if it is not installed.
   */
  static async connect(options: KafkaTasksClientOptions): Promise<KafkaTasksClient> {
    const logger = options.logger ?? jsonLogger('warn');
    const { Kafka, logLevel, Partitioners } = await loadKafkajs();
    const kafka = new Kafka({
      clientId: 'flink-tasks-client',
      logLevel: logLevel.WARN,
      ...options.kafka,
      brokers: [...options.brokers],
      logCreator: kafkaLogCreator(logger, logLevel),
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
        if (missing.length > 0)
          await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })), waitForLeaders: true });
      } finally {
        await admin.disconnect();
      }
    }
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const client = new KafkaTasksClient(producer, topics, options.maxBatchBytes ?? 900 * 1024, options.timeoutMs, logger);
    try {
      if (options.history) {
        // Replies from now on; events from the beginning, with connect waiting until they are read.
        await client.#consume(kafka, [topics.replyTopic], false);
        const ends = await endOffsets(kafka, topics.eventsTopic);
        const caughtUp = client.#caughtUp(topics.eventsTopic, ends);
        await client.#consume(kafka, [topics.eventsTopic], true);
        await caughtUp;
      } else {
        await client.#consume(kafka, [topics.replyTopic, topics.eventsTopic], false);
      }
    } catch (err) {
      await client.close().catch(() => undefined);
      throw err;
    }
    return client;
  }

  readonly #progress = new Map<string, (partition: number, offset: string) => void>();

  /** Resolves once every partition of `topic` has been read up to `ends` (offsets of the next records as of now). */
  #caughtUp(topic: string, ends: ReadonlyMap<number, bigint>): Promise<void> {
    const remaining = new Map([...ends].filter(([, end]) => end > 0n));
    if (remaining.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#progress.set(topic, (partition, offset) => {
        const end = remaining.get(partition);
        if (end !== undefined && BigInt(offset) + 1n >= end) remaining.delete(partition);
        if (remaining.size === 0) {
          this.#progress.delete(topic);
          resolve();
        }
      });
    });
  }

  /** Starts a consumer of `topics` in a group of its own; resolves once it has joined. */
  async #consume(kafka: Kafka, topics: string[], fromBeginning: boolean): Promise<void> {
    const consumer = kafka.consumer({ groupId: `flink-tasks-client-${randomUUID()}`, readUncommitted: false });
    this.#consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning });
    let ready: () => void = () => undefined;
    const joined = new Promise<void>((resolve) => (ready = resolve));
    const off = consumer.on(consumer.events.GROUP_JOIN, () => {
      ready();
    });
    // How far each batch got, control records included: on a transactional topic (Flink's exactly-once
    // egresses) a partition ends with a commit marker, which no message reports.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => this.#progress.get(payload.topic)?.(payload.partition, payload.lastOffset));
    await consumer.run({
      // Never throws: kafkajs would retry the record forever and every later one would wait behind it.
      eachMessage: async ({ topic, partition, message }) => {
        if (message.value) {
          if (topic === this.topics.replyTopic) this.deliverReply(message.value);
          else if (topic === this.topics.eventsTopic) this.#deliverEvent(message.value, partition, message.offset);
        }
        this.#progress.get(topic)?.(partition, message.offset);
      },
    });
    await joined;
    off();
  }

  #deliverEvent(bytes: Uint8Array, partition: number, offset: string): void {
    let events: (PipelineEvent | undefined)[];
    try {
      // A record holds one event, or the events of one function call.
      events = eventsOf(bytes).map(toPipelineEvent);
    } catch (err) {
      this.logger({ level: 'warn', message: 'skipped an event record that is not a flink-tasks event', fields: { partition, offset, error: String(err) } });
      return;
    }
    for (const event of events) if (event !== undefined) this.observe(event);
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

  /** Commands travel in produce requests of at most `maxBatchBytes`: a larger submission goes in parts. */
  protected override maxCommandBytes(): number {
    return this.maxBatchBytes;
  }

  protected async release(): Promise<void> {
    for (const c of this.#outbox.splice(0)) c.reject(new Error('flink-tasks: the KafkaTasksClient was closed before this command was sent'));
    await Promise.all(this.#consumers.map((c) => c.disconnect()));
    await this.producer.disconnect();
  }
}

/** The offset of the next record of each partition of `topic`, as of now. */
async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
}
