/**
 * The one place the CLI connects to Kafka.
 *
 * @module
 */
import { KafkaTasksClient } from '../client/kafka-client.js';
import { silentLogger } from '../core/log.js';
import type { ConnectionConfig, ObservedClient } from './contract.js';

/**
 * A Kafka client for the CLI: existing topics only (the CLI never creates
 * topics), with the events topic's history read, so that `list` and `status`
 * see pipelines submitted by any process.
 */
export function connectKafka(config: ConnectionConfig): Promise<ObservedClient> {
  return KafkaTasksClient.connect({
    brokers: config.brokers,
    timeoutMs: config.timeoutMs,
    createTopics: false,
    history: true,
    logger: silentLogger,
    kafka: { clientId: 'flink-tasks-cli', connectionTimeout: Math.min(config.timeoutMs, 10_000), retry: { retries: 2 } },
    ...(config.requestTopic ? { requestTopic: config.requestTopic } : {}),
    ...(config.replyTopic ? { replyTopic: config.replyTopic } : {}),
    ...(config.eventsTopic ? { eventsTopic: config.eventsTopic } : {}),
  });
}
