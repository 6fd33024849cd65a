// A project that installed flink-tasks without its optional peer kafkajs (run
// by scripts/check-package.mjs in a scratch project whose node_modules lacks
// kafkajs): everything but the Kafka client works, and the Kafka client and
// the CLI say how to install kafkajs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
assert.throws(() => require.resolve('kafkajs'), { code: 'MODULE_NOT_FOUND' }, 'this project must not have kafkajs');

const { FlinkTasks, LocalRuntime, inParallel } = await import('flink-tasks');
const tasks = new FlinkTasks({ namespace: 'nokafka', workerName: 'worker' });
const double = tasks.bind('double', (x) => x * 2);
const runtime = new LocalRuntime(tasks);
try {
  assert.deepEqual(await runtime.submit(inParallel([1, 2].map((x) => double.send(x)))), [2, 4]);
} finally {
  await runtime.close();
}
const { serve } = await import('flink-tasks/server');
const served = await serve(tasks, { port: 0 });
await served.close();

const hint =
  /needs the kafkajs package \(\^2\.2\.4\), which is not installed: it is an optional peer dependency of flink-tasks\. Install it with `npm install kafkajs`\./;
// Importing the Kafka entry works; connecting says what is missing, before any network use.
const { KafkaTasksClient } = await import('flink-tasks/kafka');
await assert.rejects(KafkaTasksClient.connect({ brokers: ['127.0.0.1:1'] }), (e) => {
  assert.match(e.message, hint);
  assert.equal(e.name, 'MissingKafkajsError');
  assert.equal(e.cause?.code, 'ERR_MODULE_NOT_FOUND');
  return true;
});

const cli = spawnSync(
  process.execPath,
  [require.resolve('flink-tasks/package.json').replace(/package\.json$/, 'dist/cli/main.js'), 'list', '--brokers', '127.0.0.1:1'],
  { encoding: 'utf8' },
);
assert.equal(cli.status, 2, `the CLI without kafkajs exited with ${cli.status}:\n${cli.stdout}${cli.stderr}`);
assert.match(cli.stderr, hint);
console.log('no kafkajs: LocalRuntime and serve work; KafkaTasksClient.connect and the CLI (exit 2) say to install kafkajs');
