// A CommonJS application using the packed package (run by scripts/check-package.mjs
// from a scratch directory where node_modules/flink-tasks is the extracted tarball).
// Node >= 20.19 loads the ES module through require(); this checks that it does,
// that it is the very same module instance an `import` gets (no dual-package
// hazard), that a pipeline runs, and what a deep import gives.
'use strict';
const assert = require('node:assert/strict');
const { FlinkTasks, LocalRuntime, inParallel, TaskError } = require('flink-tasks');
const { KafkaTasksClient } = require('flink-tasks/kafka');

async function main() {
  assert.equal(typeof KafkaTasksClient.connect, 'function');
  const esm = await import('flink-tasks');
  assert.equal(esm.FlinkTasks, FlinkTasks, 'require() and import() must give the same module');

  const tasks = new FlinkTasks({ namespace: 'example', workerName: 'worker' });
  const double = tasks.bind('double', (x) => x * 2);
  const sum = tasks.bind('sum', (xs) => xs.reduce((a, b) => a + b, 0));
  const fail = tasks.bind('fail', () => {
    throw new RangeError('no');
  });
  const runtime = new LocalRuntime(tasks);
  try {
    assert.equal(await runtime.submit(inParallel([1, 2, 3].map((x) => double.send(x))).continueWith(sum)), 12);
    await assert.rejects(runtime.submit(fail.send()), (e) => e instanceof TaskError && e.errorType === 'RangeError');
  } finally {
    await runtime.close();
  }

  assert.throws(() => require('flink-tasks/dist/index.js'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
  console.log('cjs consumer: require(flink-tasks) ran a pipeline; same instance as import(); deep paths are not exported');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
