// What importing each entry point loads, checked on the packed package (run by
// scripts/check-package.mjs in a scratch project with every dependency
// installed). Importing the DSL must not load the StateFun SDK, its
// google-protobuf, kafkajs or Node's HTTP server; the LocalRuntime loads the
// SDK when it is constructed; flink-tasks/kafka loads kafkajs only on connect.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** Packages loaded so far: the CommonJS ones are in the module cache (ES modules of ours and superjson are not needed here). */
const loadedPackages = () =>
  new Set(
    Object.keys(require.cache)
      .map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1])
      .filter(Boolean),
  );
const httpLoaded = () => process.moduleLoadList.includes('NativeModule http');
const heavy = ['apache-flink-statefun', 'google-protobuf', 'kafkajs'];

const root = await import('flink-tasks');
for (const name of heavy) assert.ok(!loadedPackages().has(name), `import('flink-tasks') loaded ${name}`);
assert.ok(!httpLoaded(), "import('flink-tasks') loaded node:http");

const kafka = await import('flink-tasks/kafka');
assert.equal(typeof kafka.KafkaTasksClient.connect, 'function');
assert.ok(!loadedPackages().has('kafkajs'), "import('flink-tasks/kafka') loaded kafkajs before connect");

const tasks = new root.FlinkTasks({ namespace: 'lean', workerName: 'worker' });
const double = tasks.bind('double', (x) => x * 2);
const pipeline = root.inParallel([1, 2].map((x) => double.send(x)));
assert.ok(!loadedPackages().has('apache-flink-statefun'), 'building a pipeline loaded the StateFun SDK');

const runtime = new root.LocalRuntime(tasks);
try {
  assert.deepEqual(await runtime.submit(pipeline), [2, 4]);
} finally {
  await runtime.close();
}
assert.ok(loadedPackages().has('apache-flink-statefun'), 'the LocalRuntime ran without the StateFun SDK?');
assert.ok(!httpLoaded(), 'the LocalRuntime loaded node:http');

const server = await import('flink-tasks/server');
assert.equal(typeof server.serve, 'function');
assert.ok(httpLoaded(), "import('flink-tasks/server') did not load node:http?");
console.log(
  'lean imports: flink-tasks and flink-tasks/kafka load neither the StateFun SDK, google-protobuf, kafkajs nor node:http; LocalRuntime loads the SDK when constructed',
);
