/**
 * Submits the stock example to Apache Flink StateFun through Kafka
 * (start it with `npm run flink:up` and the worker first).
 *
 *   npx tsx examples/stock/submit-kafka.ts BT.L BP.L
 */
import { KafkaTasksClient } from 'flink-tasks/kafka';
import { averageStdDev } from './tasks.js';

const stocks = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['BT.L', 'BP.L'];
const client = await KafkaTasksClient.connect({ brokers: [process.env.KAFKA ?? '127.0.0.1:19092'], timeoutMs: 120_000 });
try {
  const avg: number = await client.submit(averageStdDev.send(stocks));
  console.log(`average standard deviation of ${stocks.join(', ')}: ${avg.toFixed(4)} (on Apache Flink StateFun)`);
} finally {
  await client.close();
}
