/**
 * The Kafka client for pipelines running on Apache Flink StateFun. A
 * separate entry point, so that applications using only the local runtime
 * never load kafkajs.
 *
 * @example
 * ```ts
 * import { KafkaTasksClient } from 'flink-tasks/kafka';
 * const client = await KafkaTasksClient.connect({ brokers: ['127.0.0.1:19092'] });
 * ```
 *
 * @module flink-tasks/kafka
 */
export { KafkaTasksClient, type KafkaTasksClientOptions } from './client/kafka-client.js';
