// A TypeScript CommonJS consumer (module/moduleResolution nodenext): TypeScript >= 5.8
// accepts require() of an ES module there, so this must compile without errors and run.
import assert = require('node:assert/strict');
import { FlinkTasks, LocalRuntime, type Pipeline } from 'flink-tasks';

const tasks = new FlinkTasks({ namespace: 'example', workerName: 'worker' });
const greet = tasks.bind('greet', (name: string) => `hello ${name}`);
const shout = tasks.bind('shout', (s: string) => s.toUpperCase());

async function main(): Promise<void> {
  const pipeline: Pipeline<string> = greet.send('cjs').continueWith(shout);
  const runtime = new LocalRuntime(tasks);
  try {
    const result: string = await runtime.submit(pipeline);
    assert.equal(result, 'HELLO CJS');
  } finally {
    await runtime.close();
  }
  console.log('ts cjs consumer: compiled with module nodenext and ran a pipeline');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
