/**
 * The Kafka client for pipelines running on Apache Flink StateFun. It needs
 * `kafkajs`, an optional peer dependency of flink-tasks (`npm install
 * kafkajs`), which `KafkaTasksClient.connect` loads: importing this entry
 * point does not, and without kafkajs `connect` rejects with the install
 * command.
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
export { kafkaResultSink, type KafkaResultSink, type KafkaResultSinkOptions } from './client/kafka-result-sink.js';
