/**
 * Entry point of the worker image (deploy/Dockerfile): serves the tasks of the
 * application — here the stock example — as the StateFun functions
 * example/pipeline and example/worker on 0.0.0.0:8000, where module.yaml's
 * urlPathTemplate points (through the flink-tasks-worker Service).
 *
 * For your own application, import your FlinkTasks registry instead of the
 * stock example's: every task a pipeline may call must be bound in it.
 *
 * On SIGTERM (pod shutdown) it stops accepting connections and exits once
 * in-flight calls have answered, or after SHUTDOWN_TIMEOUT_MS. A call cut off
 * by the exit is retried by StateFun on another replica.
 */
import { CANCELLATIONS_EGRESS, CANCELLATIONS_TOPIC, DEAD_LETTERS_EGRESS, DEAD_LETTERS_TOPIC, EVENTS_EGRESS, EVENTS_TOPIC } from 'flink-tasks';
import { kafkaResultSink } from 'flink-tasks/kafka';
import { serve } from 'flink-tasks/server';
import { tasks } from '../examples/stock/tasks.js';

const port = Number(process.env.PORT ?? 8000);
const host = process.env.HOST ?? '0.0.0.0';
const shutdownTimeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 45_000);
// Kafka (KAFKA_BROKERS, comma-separated): tasks longer than the call budget
// finish in the background and reach their pipeline through the requests
// topic, and this replica reads the cancellations topic, so that it aborts
// the calls of a cancelled pipeline that it runs. Without it, such tasks fail
// with TaskTimeout, and a cancel reaches one replica only.
const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter((b) => b !== '');
const resultSink = brokers.length > 0 ? await kafkaResultSink({ brokers, cancellationsTopic: CANCELLATIONS_TOPIC }) : undefined;

const served = await serve(tasks, {
  port,
  host,
  // Pipeline status events on flink-tasks.events (KafkaTasksClient.onEvent); remove to publish none.
  events: { egress: EVENTS_EGRESS, topic: EVENTS_TOPIC },
  // What the pipeline function has to drop (e.g. a Kafka record without a key)
  // goes to flink-tasks.dead-letters as well as to the log (module.yaml has the egress).
  deadLetters: { egress: DEAD_LETTERS_EGRESS, topic: DEAD_LETTERS_TOPIC },
  // Cancellations go to flink-tasks.cancellations too, which every replica reads (module.yaml has the egress).
  cancellations: { egress: CANCELLATIONS_EGRESS, topic: CANCELLATIONS_TOPIC },
  ...(resultSink ? { resultSink } : {}),
});
console.log(JSON.stringify({ level: 'info', msg: 'flink-tasks worker listening', url: served.url, functions: served.functions.functionTypes }));

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.log(JSON.stringify({ level: 'info', msg: 'flink-tasks worker stopping', signal }));
  setTimeout(() => process.exit(0), shutdownTimeoutMs).unref();
  void served
    .close()
    .then(() => resultSink?.close())
    .then(() => process.exit(0));
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
