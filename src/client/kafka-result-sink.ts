/**
 * The result sink of a worker on Apache Flink: commands to pipeline
 * functions, produced to the requests topic (keyed by pipeline id), which
 * the Kafka ingress delivers like any client command.
 *
 * @module
 */
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
  return {
    send: async (pipelineId: string, command: Uint8Array): Promise<void> => {
      await producer.send({ topic, messages: [{ key: pipelineId, value: Buffer.from(command.buffer, command.byteOffset, command.byteLength) }] });
    },
    close: () => producer.disconnect(),
  };
}
