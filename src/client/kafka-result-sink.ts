/**
 * The result sink of a worker on Apache Flink: commands to pipeline
 * functions, produced to the requests topic (keyed by pipeline id), which
 * the Kafka ingress delivers like any client command.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { KafkaConfig } from 'kafkajs';
import { jsonLogger, type Logger } from '../core/log.js';
import { REQUESTS_TOPIC } from '../core/topics.js';
import type { ResultSink } from '../worker/result-sink.js';
import { kafkaLogCreator } from './kafka-logs.js';
import { loadKafkajs } from './kafkajs.js';

/**
 * Options of {@link kafkaResultSink}.
 *
 * @example
 * ```ts
 * const sink = await kafkaResultSink({ brokers: ['kafka:9092'], requestTopic: REQUESTS_TOPIC });
 * ```
 */
export interface KafkaResultSinkOptions {
  /** Kafka bootstrap servers. */
  readonly brokers: readonly string[];
  /** The topic routed to the pipeline function; default `flink-tasks.requests`. */
  readonly requestTopic?: string;
  /**
   * Read cancellations from this topic (`CANCELLATIONS_TOPIC`, which the
   * pipeline function publishes to with `serve({ cancellations })`), so that
   * a cancelled run's calls are aborted in this process whichever replica the
   * cancel message reached. Each process reads every record (a consumer group
   * of its own, from the end of the topic). Default: not read.
   */
  readonly cancellationsTopic?: string;
  /** Structured logs (kafkajs' own included); default: warnings and errors as JSON lines on stderr. */
  readonly logger?: Logger;
  /** Extra kafkajs settings (client id, SSL, SASL …). */
  readonly kafka?: Omit<KafkaConfig, 'brokers' | 'logCreator'>;
}

/**
 * A connected result sink; `close()` disconnects it.
 *
 * @example
 * ```ts
 * const sink: KafkaResultSink = await kafkaResultSink({ brokers });
 * await sink.close();
 * ```
 */
export interface KafkaResultSink extends ResultSink {
  /** Disconnects the producer. */
  close(): Promise<void>;
}

/**
 * Connects a result sink for `serve()`, so that tasks running longer than the
 * worker's call budget finish in the background and reach their pipeline
 * through Kafka. Needs kafkajs (an optional peer dependency) in the worker.
 *
 * @example
 * ```ts
 * const resultSink = await kafkaResultSink({ brokers: ['kafka:9092'] });
 * const served = await serve(tasks, { port: 8000, resultSink });
 * ```
 */
export async function kafkaResultSink(options: KafkaResultSinkOptions): Promise<KafkaResultSink> {
  const logger = options.logger ?? jsonLogger('warn');
  const { Kafka, logLevel, Partitioners } = await loadKafkajs();
  const kafka = new Kafka({
    clientId: 'flink-tasks-worker',
    logLevel: logLevel.WARN,
    ...options.kafka,
    brokers: [...options.brokers],
    logCreator: kafkaLogCreator(logger, logLevel),
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const topic = options.requestTopic ?? REQUESTS_TOPIC;
  const listeners = new Set<(cancel: Uint8Array) => void>();
  const cancellations = options.cancellationsTopic;
  const consumer =
    cancellations === undefined ? undefined : kafka.consumer({ groupId: `flink-tasks-cancellations-${randomUUID()}`, allowAutoTopicCreation: false });
  if (consumer && cancellations !== undefined) {
    await consumer.connect();
    await consumer.subscribe({ topic: cancellations, fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      // Never throws: a listener's failure is logged, and the next record is read.
      eachMessage: async ({ message }) => {
        if (!message.value) return;
        for (const deliver of listeners) {
          try {
            deliver(message.value);
          } catch (err) {
            logger({ level: 'warn', message: 'a cancellation listener threw', fields: { error: String(err) } });
          }
        }
      },
    });
  }
  return {
    send: async (pipelineId: string, command: Uint8Array): Promise<void> => {
      await producer.send({ topic, messages: [{ key: pipelineId, value: Buffer.from(command.buffer, command.byteOffset, command.byteLength) }] });
    },
    ...(consumer
      ? {
          onCancellation: (deliver: (cancel: Uint8Array) => void): (() => void) => {
            listeners.add(deliver);
            return () => listeners.delete(deliver);
          },
        }
      : {}),
    close: async () => {
      listeners.clear();
      await Promise.all([producer.disconnect(), consumer?.disconnect()]);
    },
  };
}
