/**
 * The one place the CLI connects to Kafka.
 *
 * @module
 */
import { KafkaTasksClient } from '../client/kafka-client.js';
import type { TasksClient } from '../client/tasks-client.js';
import type { ConnectionConfig, ObservedClient } from './cli.js';

function isObserved(client: TasksClient): client is ObservedClient {
  const c = client as Partial<Record<'list' | 'inspect' | 'watch' | 'onEvent', unknown>>;
  return typeof c.list === 'function' && typeof c.inspect === 'function' && typeof c.watch === 'function' && typeof c.onEvent === 'function';
}

/** A Kafka client for the CLI: existing topics only (the CLI never creates topics). */
export async function connectKafka(config: ConnectionConfig): Promise<ObservedClient> {
  const client = await KafkaTasksClient.connect({
    brokers: config.brokers,
    timeoutMs: config.timeoutMs,
    createTopics: false,
    kafka: { clientId: 'flink-tasks-cli', connectionTimeout: Math.min(config.timeoutMs, 10_000), retry: { retries: 2 } },
    ...(config.requestTopic ? { requestTopic: config.requestTopic } : {}),
    ...(config.replyTopic ? { replyTopic: config.replyTopic } : {}),
    ...(config.eventsTopic ? { eventsTopic: config.eventsTopic } : {}),
  });
  if (!isObserved(client)) {
    await client.close();
    throw new Error('this version of KafkaTasksClient cannot list or watch pipelines (it does not implement PipelineObserver)');
  }
  return client;
}
