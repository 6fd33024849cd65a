// A broken install without the StateFun SDK (run by scripts/check-package.mjs
// in a scratch project whose node_modules lacks apache-flink-statefun): the
// DSL still imports and builds pipelines (it never loads the SDK), and a
// LocalRuntime rejects its calls with why instead of hanging.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
assert.throws(() => require.resolve('apache-flink-statefun'), { code: 'MODULE_NOT_FOUND' }, 'this project must not have apache-flink-statefun');

const { FlinkTasks, LocalRuntime, inParallel, silentLogger } = await import('flink-tasks');
const tasks = new FlinkTasks({ namespace: 'nosdk', workerName: 'worker' });
const double = tasks.bind('double', (x) => x * 2);
const pipeline = inParallel([1, 2].map((x) => double.send(x)));
assert.equal(pipeline.toIR().entries.length, 1);
assert.equal(double(21), 42);

const why =
  /the LocalRuntime could not load the StateFun functions and their SDK \(apache-flink-statefun, a dependency of flink-tasks\): .*apache-flink-statefun/;
// Bad options still throw from the constructor.
assert.throws(() => new LocalRuntime(tasks, { limits: { maxResultBytes: -1 } }), /limits\.maxResultBytes/);
const runtime = new LocalRuntime(tasks, { logger: silentLogger });
const started = Date.now();
await assert.rejects(runtime.submit(pipeline), why);
await assert.rejects(runtime.status('any'), why);
assert.ok(Date.now() - started < 5_000, 'the calls took too long to fail');
await runtime.close();
console.log('no StateFun SDK: the DSL works; LocalRuntime calls reject with why');
