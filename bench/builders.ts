/**
 * Building pipelines: a 100k-step continueWith chain, a 100k-branch group,
 * and lowering each to the IR (`toIR()`), against the compiled library. Each
 * figure is the best of 3 runs after a warm-up; builders must stay linear
 * (issue 13: ≤ 0.5 s for each 100k build).
 *
 *   npm run bench:builders            # 100k
 *   npm run bench:builders -- 200000  # another size
 */
import { FlinkTasks, inParallel, type Pipeline } from '../dist/index.js';
import { machine } from './machine.js';

const n = Number(process.argv[2] ?? 100_000);
if (!Number.isInteger(n) || n < 1) throw new Error(`bench:builders: the size must be a whole number >= 1, got ${process.argv[2]}`);
const tasks = new FlinkTasks({ namespace: 'bench', workerName: 'worker' });
const noop = tasks.bind('noop', (x: number) => x);

function chain(size: number): Pipeline<number> {
  let p: Pipeline<number> = noop.send(0);
  for (let i = 1; i < size; i++) p = p.continueWith(noop);
  return p;
}
const group = (size: number) => inParallel(Array.from({ length: size }, (_, i) => noop.send(i)));

function best(label: string, f: () => unknown): number {
  f(); // warm-up
  let min = Infinity;
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    f();
    min = Math.min(min, performance.now() - t);
  }
  console.log(`${label.padEnd(34)} ${(min / 1000).toFixed(3)} s  (${((min * 1000) / n).toFixed(2)} µs per step)`);
  return min;
}

console.log(`bench:builders · ${n.toLocaleString('en-US')} steps · ${machine()}`);
const built = chain(n);
const grouped = group(n);
const results = [
  best(`build a ${n.toLocaleString('en-US')}-step chain`, () => chain(n)),
  best(`lower it (toIR)`, () => built.toIR()),
  best(`build a ${n.toLocaleString('en-US')}-branch group`, () => group(n)),
  best(`lower it (toIR)`, () => grouped.toIR()),
];
const slowest = Math.max(results[0] ?? 0, results[2] ?? 0);
console.log(`slowest build: ${(slowest / 1000).toFixed(3)} s (target ≤ 0.5 s for 100k)`);
