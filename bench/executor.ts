/**
 * The executor alone, without any runtime: a pipeline function key receives
 * a group of N task results in batches, as StateFun would deliver them.
 * Measures the pure orchestration cost per task.
 *
 *   npx tsx bench/executor.ts [N=512] [batch=64]
 */
import { FlinkTasks, inParallel } from '../dist/index.js';
import { Effects, openSession } from '../dist/executor/effects.js';
import { PipelineExecutor } from '../dist/executor/executor.js';
import { DEFAULT_LIMITS } from '../dist/core/limits.js';
import { Routes } from '../dist/core/routes.js';
import { TaskRequest, TaskResult } from '../dist/wire/generated/flinktasks.js';
import { codecs, Typenames } from '../dist/wire/codec.js';
import { pipelineToWire } from '../dist/wire/pipeline.js';
import { toValueBytes } from '../dist/wire/values.js';

const n = Number(process.argv[2] ?? 512);
const batch = Number(process.argv[3] ?? 64);
const tasks = new FlinkTasks({ namespace: 'bench', workerName: 'worker' });
const noop = tasks.bind('noop', (x: number) => x);
const executor = new PipelineExecutor({
  groupSplitThreshold: 1 << 30,
  repliesEgress: 'flinktasks/replies',
  limits: DEFAULT_LIMITS,
  routes: new Routes(['bench/pipeline', 'bench/worker'], ['flinktasks/replies']),
});
const wire = pipelineToWire(inParallel(Array.from({ length: n }, (_, i) => noop.send(i))).toIR());
const self = { namespace: 'bench', name: 'pipeline', id: 'p' };

function once(): { submitMs: number; resultsMs: number; stateBytes: number } {
  let session = openSession(undefined, undefined);
  let t = performance.now();
  const effects = new Effects();
  executor.apply(
    session,
    self,
    {
      typename: Typenames.taskRequest,
      payload: codecs.taskRequest.encode(
        TaskRequest.create({ id: 'p', reply: { $case: 'replyTopic', value: 'flink-tasks.replies' }, invocationId: 'x', pipeline: wire }),
      ),
    },
    effects,
  );
  const requests = effects.outgoing.map((m) => codecs.taskRequest.decode(m.payload));
  const replies = requests.map((r) =>
    codecs.taskResult.encode(
      TaskResult.create({
        id: r.id,
        taskName: r.taskName,
        result: toValueBytes(r.branch),
        invocationId: r.invocationId,
        uid: r.uid,
        branch: r.branch,
      }),
    ),
  );
  let record = codecs.pipelineRecord.encode(session.record!);
  let progress = codecs.pipelineProgress.encode(session.progress!);
  const submitMs = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < replies.length; i += batch) {
    // a new batch: state arrives as bytes, as StateFun ships it
    session = openSession(codecs.pipelineRecord.decode(record), codecs.pipelineProgress.decode(progress));
    const fx = new Effects();
    for (const payload of replies.slice(i, i + batch)) executor.apply(session, self, { typename: Typenames.taskResult, payload }, fx);
    if (session.recordChanged) record = codecs.pipelineRecord.encode(session.record!);
    progress = codecs.pipelineProgress.encode(session.progress!);
  }
  return { submitMs, resultsMs: performance.now() - t, stateBytes: record.length + progress.length };
}

for (let i = 0; i < 5; i++) once();
const r = once();
console.log(
  `group of ${n}, batches of ${batch}: submit ${r.submitMs.toFixed(1)} ms, results ${r.resultsMs.toFixed(1)} ms = ${((r.resultsMs * 1000) / n).toFixed(2)} µs/result (state decoded and encoded per batch)`,
);
