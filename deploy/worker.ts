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
import { DEAD_LETTERS_EGRESS, DEAD_LETTERS_TOPIC, EVENTS_EGRESS, EVENTS_TOPIC, serve } from 'flink-tasks';
import { tasks } from '../examples/stock/tasks.js';

const port = Number(process.env.PORT ?? 8000);
const host = process.env.HOST ?? '0.0.0.0';
const shutdownTimeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 45_000);

const served = await serve(tasks, {
  port,
  host,
  // Pipeline status events on flink-tasks.events (KafkaTasksClient.onEvent); remove to publish none.
  events: { egress: EVENTS_EGRESS, topic: EVENTS_TOPIC },
  // What the pipeline function has to drop (e.g. a Kafka record without a key)
  // goes to flink-tasks.dead-letters as well as to the log (module.yaml has the egress).
  deadLetters: { egress: DEAD_LETTERS_EGRESS, topic: DEAD_LETTERS_TOPIC },
});
console.log(JSON.stringify({ level: 'info', msg: 'flink-tasks worker listening', url: served.url, functions: served.functions.functionTypes }));

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.log(JSON.stringify({ level: 'info', msg: 'flink-tasks worker stopping', signal }));
  setTimeout(() => process.exit(0), shutdownTimeoutMs).unref();
  void served.close().then(() => process.exit(0));
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
