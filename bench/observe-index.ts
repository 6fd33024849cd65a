// Memory of the PipelineIndex: bytes per pipeline kept, for pipelines like
// the stock example (an orchestrator child with a 4-branch group) and for
// 250,000-branch groups (whose shape is cut to 64 branches), and the time
// to apply one event. Run: npm run bench:index
import { PipelineIndex } from '../dist/observe.js';
import { FlinkTasks, inParallel, shapeOf, type PipelineEvent, type PipelineShape } from '../dist/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:index does)');
const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const tasks = new FlinkTasks({ namespace: 'bench', workerName: 'worker' });
const load = tasks.bind('loadTimeseries', (s: string) => s.length);
const std = tasks.bind('computeStdDev', (x: number) => x);
const avg = tasks.bind('computeAverage', (xs: number[]) => xs.length);
const stockShape = shapeOf(
  inParallel(['BT.L', 'BP.L', 'VOD.L', 'HSBA.L'].map((s) => load.send(s).continueWith(std)))
    .continueWith(avg)
    .toIR(),
);

function feed(index: PipelineIndex, id: string, shape: PipelineShape, uids: number[], time: number): number {
  let events = 0;
  const base = { pipelineId: id, rootPipelineId: id };
  const apply = (e: PipelineEvent): void => {
    index.apply(e);
    events++;
  };
  // each pipeline's own copy of its shape, as events decoded from Kafka carry
  apply({ ...base, time, kind: 'pipelineCreated', origin: 'submitted', shape: structuredClone(shape), taskCount: uids.length });
  apply({ ...base, time, kind: 'statusChanged', status: 'RUNNING' });
  for (const uid of uids) {
    apply({ ...base, time, kind: 'taskStarted', uid, taskName: 't', displayName: 't', attempt: 0 });
    apply({ ...base, time: time + 1, kind: 'taskFinished', uid, taskName: 't', displayName: 't', attempt: 0, outcome: 'succeeded' });
  }
  apply({ ...base, time: time + 2, kind: 'statusChanged', status: 'COMPLETED' });
  return events;
}

const N = 10_000;
const stockUids = [1, 2, 3, 4, 5, 6, 7, 8, 9];
let before = heap();
let index = new PipelineIndex({ maxPipelines: N });
let events = 0;
let t0 = performance.now();
for (let i = 0; i < N; i++) events += feed(index, `stock-${i}`, stockShape, stockUids, i);
let ms = performance.now() - t0;
const stockBytes = (heap() - before) / N;
console.log(
  `stock-like pipelines: ${N.toLocaleString('en-US')} kept, ${Math.round(stockBytes).toLocaleString('en-US')} B per pipeline, ${((ms * 1000) / events).toFixed(2)} µs per event`,
);
// eslint-disable-next-line no-useless-assignment -- lets the full index go before the next heap figure is taken
index = new PipelineIndex();

// A 250,000-branch group's shape holds 64 branches, like this 1,000-branch one's: only the count differs.
const cut = shapeOf(
  inParallel(Array.from({ length: 1_000 }, (_, i) => load.send(`s${i}`).continueWith(std)))
    .continueWith(avg)
    .toIR(),
);
const [group, last] = cut.entries;
if (group?.kind !== 'group' || !last) throw new Error('unexpected shape');
const bigShape: PipelineShape = {
  entries: [
    { ...group, branchCount: 250_000 },
    { ...last, uid: 500_001 },
  ],
};
const M = 200;
const bigUids = Array.from({ length: 500_000 }, (_, i) => i + 1);
before = heap();
index = new PipelineIndex({ maxPipelines: M });
events = 0;
t0 = performance.now();
for (let i = 0; i < M; i++) events += feed(index, `big-${i}`, bigShape, i < 2 ? bigUids : bigUids.slice(0, 128), i);
ms = performance.now() - t0;
const bigBytes = (heap() - before) / M;
console.log(
  `250,000-branch pipelines: ${M} kept, ${Math.round(bigBytes).toLocaleString('en-US')} B per pipeline (shape cut to 64 branches), ${((ms * 1000) / events).toFixed(2)} µs per event`,
);
console.log(
  `default maxPipelines 10,000: about ${((stockBytes * 10_000) / 2 ** 20).toFixed(0)} MiB of stock-like pipelines, ${((bigBytes * 10_000) / 2 ** 20).toFixed(0)} MiB if all were 250k-branch groups`,
);
