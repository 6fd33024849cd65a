/**
 * A Kafka client app, bundled by bundle.test.ts with kafkajs left out of the
 * bundle (external) and run where kafkajs is not installed: prints the error
 * that connecting gives, as one JSON line.
 */
import { KafkaTasksClient } from 'flink-tasks/kafka';

KafkaTasksClient.connect({ brokers: ['127.0.0.1:1'] }).then(
  () => {
    console.error('connected without kafkajs?');
    process.exit(1);
  },
  (e: unknown) => {
    const error = e instanceof Error ? e : new Error(String(e));
    console.log(JSON.stringify({ name: error.name, message: error.message }));
  },
);
