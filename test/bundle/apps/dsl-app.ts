/**
 * An application that only defines tasks and builds pipelines (e.g. to draw
 * or inspect them), bundled by bundle.test.ts: its bundle must not hold the
 * runtime's dependencies.
 */
import { FlinkTasks, inParallel } from 'flink-tasks';

const tasks = new FlinkTasks({ namespace: 'bundled', workerName: 'worker' });
const double = tasks.bind('double', (x: number) => x * 2);
const sum = tasks.bind('sum', (xs: number[]) => xs.reduce((a, b) => a + b, 0));
console.log(
  JSON.stringify(
    inParallel([1, 2, 3].map((x) => double.send(x)))
      .continueWith(sum)
      .toIR().entries.length,
  ),
);
