/**
 * The worker process dies mid-pipeline (SIGKILL) and comes back on the same
 * port. StateFun keeps retrying the calls that were in flight, so the
 * pipeline completes.
 *
 * What "once" means here, honestly: task code that was running when the
 * worker died runs again (StateFun re-sends the same call: execution is
 * at-least-once, and the gate below sees every branch twice). What happens
 * exactly once is everything StateFun commits: the pipeline's progress and
 * state, the messages between functions — so a step that had not started when
 * the worker died runs once — and the reply published to Kafka: the client
 * gets one result, and flink-tasks.replies holds one outcome record for the
 * pipeline.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inParallel } from 'flink-tasks';
import type { KafkaTasksClient } from 'flink-tasks/kafka';
import * as t from './fixtures/tasks.js';
import { connectClient, e2e, flinkJob, ReplyRecorder, requestOffsets } from './support/env.js';
import { GateServer } from './support/gate.js';
import { portOpen, recordedWorkerPid, startWorker, stopWorker } from './support/worker-process.js';

let flink: KafkaTasksClient;
let gates: GateServer;
let committed: ReplyRecorder;
let uncommitted: ReplyRecorder;

beforeAll(async () => {
  [flink, gates, committed, uncommitted] = await Promise.all([
    connectClient(),
    new GateServer().start(),
    ReplyRecorder.start(),
    ReplyRecorder.start({ readUncommitted: true }),
  ]);
});
afterAll(async () => {
  // Leave a worker running for the other test files, whatever happened here.
  const { runDir, workerPort } = e2e();
  if (!(await portOpen(workerPort))) await startWorker(runDir, workerPort);
  await gates?.close();
  await flink?.close();
  await committed?.stop();
  await uncommitted?.stop();
});

it('completes with the right result, once, after the worker is killed and restarted mid-group', async () => {
  const { runDir, workerPort } = e2e();
  const N = 4;
  const gateName = `crash-${randomUUID()}`;
  const key = randomUUID();
  const dir = join(runDir, 'runs');
  await mkdir(dir, { recursive: true });
  const values = Array.from({ length: N }, (_, i) => i + 1);
  const p = inParallel(values.map((v) => t.gate.send(gates.url, gateName, v)))
    .continueWith(t.sum)
    .continueWith(t.recordRun, dir, key)
    .continueWith(t.multiply, 2);
  const expected = t.multiply(t.sum(values), 2);

  const jobBefore = await flinkJob();
  const submitted = flink.submit(p);
  await gates.arrived(gateName, N); // every branch is running in the worker, held at the gate

  const killedPid = recordedWorkerPid(runDir);
  expect(killedPid).toBeDefined();
  const killedAt = performance.now();
  await stopWorker(killedPid as number, 'SIGKILL');
  const worker = await startWorker(runDir, workerPort);
  console.log(`[e2e] worker ${killedPid} killed, ${worker.pid} listening after ${(performance.now() - killedAt).toFixed(0)} ms`);

  // StateFun re-sends each call that was in flight to the new worker.
  await gates.arrived(gateName, 2 * N);
  gates.open(gateName);
  expect(await submitted).toBe(expected);
  console.log(`[e2e] completed ${(performance.now() - killedAt).toFixed(0)} ms after the kill; gate calls: ${gates.arrivals(gateName)}`);

  // A later reply for the same key (status) is the barrier: everything
  // published for this pipeline before it has been read by then.
  expect(await flink.status(p)).toBe('COMPLETED');
  await committed.until(() => committed.repliesFor(p.id, 'action').length >= 1);
  await uncommitted.until(() => uncommitted.repliesFor(p.id, 'action').length >= 1);
  expect(committed.repliesFor(p.id, 'outcome')).toHaveLength(1);
  // Nor was a duplicate written and aborted (what a read_uncommitted reader would see).
  expect(uncommitted.repliesFor(p.id, 'outcome')).toHaveLength(1);
  // The step after the group ran once, in the new worker.
  expect((await readFile(join(dir, `${key}.runs`), 'utf8')).trim().split('\n')).toStrictEqual([String(worker.pid)]);
  // StateFun retried the calls; Flink did not have to restart the job.
  const jobAfter = await flinkJob();
  expect(jobAfter.id).toBe(jobBefore.id);
  expect(jobAfter.state).toBe('RUNNING');
  expect(jobAfter.lastRestart).toBe(jobBefore.lastRestart);
  expect(jobAfter.failures).toBe(jobBefore.failures);
});

it('keeps serving pipelines with the restarted worker', async () => {
  expect(await flink.submit(t.add.send(2, 2).continueWith(t.square))).toBe(16);
});

it('answers a pipeline submitted while the worker is down, once the worker is back', async () => {
  const { runDir, workerPort } = e2e();
  await stopWorker(recordedWorkerPid(runDir) as number, 'SIGKILL');
  const { end } = await requestOffsets();
  const p = inParallel([t.square.send(6), t.add.send(20, 22)]).continueWith(t.sum);
  const submitted = flink.submit(p);
  // Wait until StateFun has taken the request (its ingress committed the
  // offset past it on a checkpoint): it is now retrying a call nobody answers.
  for (let offsets = await requestOffsets(); offsets.committedByFlink <= end; offsets = await requestOffsets()) {
    await new Promise((r) => setTimeout(r, 250)); // polling interval, not a synchronisation
  }
  await startWorker(runDir, workerPort);
  expect(await submitted).toBe(t.sum([t.square(6), t.add(20, 22)]));
  expect(await flink.status(p)).toBe('COMPLETED');
  await committed.until(() => committed.repliesFor(p.id, 'action').length >= 1);
  expect(committed.repliesFor(p.id, 'outcome')).toHaveLength(1);
});
