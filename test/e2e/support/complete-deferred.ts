/**
 * A second process completing a deferred task: connects its own Kafka client
 * and calls complete(token, value).
 *
 *   node --import tsx test/e2e/support/complete-deferred.ts <brokers> <token> <value as JSON>
 *
 * Prints `completed` and exits 0, or prints the error and exits 1.
 */
import { KafkaTasksClient } from 'flink-tasks/kafka';

const [brokers = '', token = '', value = 'null'] = process.argv.slice(2);
const client = await KafkaTasksClient.connect({ brokers: brokers.split(','), timeoutMs: 60_000 });
try {
  await client.complete(token, JSON.parse(value) as unknown);
  console.log('completed');
} catch (err) {
  console.error(String(err));
  process.exitCode = 1;
} finally {
  await client.close();
}
