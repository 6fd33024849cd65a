/**
 * State of the pipeline function: serialised bytes per pending task entry,
 * and bytes shipped to the pipeline function per result in a group (the
 * runtime sends every state value of an address in every request).
 *
 *   npm run bench:state -- [N=10000]
 */
import { FlinkTasks, inParallel, LocalRuntime, silentLogger } from '../dist/index.js';
import { codecs } from '../dist/wire/codec.js';
import { PipelineProgress } from '../dist/wire/generated/flinktasks.js';
import { pipelineToWire } from '../dist/wire/pipeline.js';
import { appendSlot, newGroupProgress } from '../dist/executor/slots.js';
import { toValueBytes } from '../dist/wire/values.js';
import { machine } from './machine.js';

const n = Number(process.argv[2] ?? 10000);
const tasks = new FlinkTasks({ namespace: 'bench', workerName: 'worker' });
const noop = tasks.bind('noop', (x: number) => x);
const split = tasks.groupSplitThreshold;

// One pipeline key holds at most `split` branches: its record is the sub-group.
const sub = inParallel(Array.from({ length: split }, (_, i) => noop.send(i))).toIR();
const record = codecs.pipelineRecord.encode({
  pipelineId: 'p/1.0.0',
  invocationId: '1',
  run: 1,
  pipeline: pipelineToWire(sub),
  reply: { $case: 'replyAddress', value: { namespace: 'bench', type: 'pipeline', id: 'p' } },
  callerInvocationId: '1',
  callerUid: 0,
  callerBranch: 0,
  isChild: true,
  rootPipelineId: 'p',
  inline: true,
  parentPipelineId: 'p',
  meta: {},
});

const runtime = new LocalRuntime(tasks, { logger: silentLogger, events: false });
await runtime.submit(inParallel(Array.from({ length: 1000 }, (_, i) => noop.send(i))));
const before = runtime.stats.bytesSent.get('bench/pipeline') ?? 0;
const requestsBefore = runtime.stats.requests;
await runtime.submit(inParallel(Array.from({ length: n }, (_, i) => noop.send(i))));
const shipped = (runtime.stats.bytesSent.get('bench/pipeline') ?? 0) - before;
await runtime.close();

console.log(`pipeline function state — ${machine()}`);
console.log(
  `record of a full sub-group (${split} no-op task entries, written once per run): ${record.length} B = ${(record.length / split).toFixed(1)} B per pending task entry`,
);
const group = newGroupProgress(0, 1, 2048);
const empty = codecs.pipelineProgress.encode({ ...PipelineProgress.create(), run: 1, status: 1, waiting: true, group }).length;
appendSlot(group, { index: 1234, value: toValueBytes(1234) });
console.log(
  `progress per finished branch (a no-op result in its slot): ${codecs.pipelineProgress.encode({ ...PipelineProgress.create(), run: 1, status: 1, waiting: true, group }).length - empty} B`,
);
console.log(
  `group of ${n}: ${(shipped / 1e6).toFixed(2)} MB shipped to pipeline-function keys = ${(shipped / n).toFixed(0)} B per result (${runtime.stats.requests - requestsBefore} requests in all)`,
);
