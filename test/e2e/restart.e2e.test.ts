/**
 * Restarts that lose nothing, on the real runtime:
 *
 * - StateFun's JVM is SIGKILLed with 100 pipelines in flight (their tasks
 *   held at a gate in the worker, their progress in a completed checkpoint);
 *   `bash flink/bin/up.sh`, the documented way back, restores the job from
 *   the newest retained checkpoint, and every pipeline completes with its
 *   result, exactly once.
 * - Kafka is stopped (SIGTERM) while pipelines run and is started again on
 *   its data by `bash flink/bin/up.sh`: every pipeline completes, once.
 *
 * Both leave Kafka, StateFun and the worker running for the files after this
 * one (the global setup owns the teardown).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inParallel, type Pipeline } from 'flink-tasks';
import type { KafkaTasksClient } from 'flink-tasks/kafka';
import * as t from './fixtures/tasks.js';
import { connectClient, ReplyRecorder, requestOffsets } from './support/env.js';
import { GateServer } from './support/gate.js';
import { jobFailures, jobRestarts, rolePid, runningJob, runUp, stopRole } from './support/runtime.js';

let flink: KafkaTasksClient;
let gates: GateServer;
let committed: ReplyRecorder;

beforeAll(async () => {
  [flink, gates, committed] = await Promise.all([connectClient(300_000), new GateServer().start(), ReplyRecorder.start()]);
});
afterAll(async () => {
  // Whatever happened, the files after this one need the runtime.
  if (rolePid('kafka') === undefined || rolePid('statefun') === undefined) await runUp().catch((e: unknown) => console.error(String(e)));
  await gates?.close();
  await flink?.close();
  await committed?.stop();
});

const ms = (from: number): string => `${(performance.now() - from).toFixed(0)} ms`;

/** `n` pipelines of two shapes, each with one task held at gate `gateName`. */
function gatedPipelines(n: number, gateName: string): Array<{ p: Pipeline<number>; expected: number }> {
  return Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? { p: t.gate.send(gates.url, gateName, i).continueWith(t.multiply, 3), expected: t.multiply(i, 3) }
      : { p: inParallel([t.gate.send(gates.url, gateName, i), t.square.send(i)]).continueWith(t.sum), expected: t.sum([i, t.square(i)]) },
  );
}

/** Waits until StateFun's ingress has committed (on a completed checkpoint) every request produced so far. */
async function requestsCheckpointed(timeoutMs = 60_000): Promise<void> {
  const { end } = await requestOffsets();
  const deadline = Date.now() + timeoutMs;
  while ((await requestOffsets()).committedByFlink < end) {
    if (Date.now() > deadline) throw new Error(`requests up to offset ${end} not checkpointed within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200)); // polling interval, not a synchronisation
  }
}

/** Every pipeline has exactly one outcome on flink-tasks.replies (committed records). */
async function expectOneOutcomeEach(ids: string[]): Promise<void> {
  // Barrier: a pipeline submitted after all of them; its reply is committed
  // after theirs, so by the time the recorder has it, it has read theirs too.
  const barrier = t.add.send(40, 2);
  expect(await flink.submit(barrier)).toBe(42);
  await committed.until(() => committed.repliesFor(barrier.id, 'outcome').length >= 1, 120_000);
  const wrong = ids.map((id) => `${id}: ${committed.repliesFor(id, 'outcome').length}`).filter((line) => !line.endsWith(': 1'));
  expect(wrong, `pipelines without exactly one outcome (of ${ids.length})`).toStrictEqual([]);
}

it('completes 100 in-flight pipelines exactly once after StateFun is SIGKILLed and restarted with up.sh', async () => {
  const gateName = `statefun-kill-${randomUUID()}`;
  const cases = gatedPipelines(100, gateName);
  const jobBefore = await runningJob();

  const submitted = cases.map(({ p }) => flink.submit(p));
  // Awaited below; if the test fails before, their rejection is not unhandled.
  for (const s of submitted) s.catch(() => undefined);
  await gates.arrived(gateName, cases.length); // every pipeline has a task running in the worker
  await requestsCheckpointed(); // and its progress is in a completed checkpoint

  const killedAt = performance.now();
  const killed = await stopRole('statefun', 'SIGKILL');
  const up = await runUp();
  console.log(`[e2e] statefun (pid ${killed}) SIGKILLed with ${cases.length} pipelines in flight; up.sh took ${up.ms} ms`);
  expect(up.output).toContain('kafka is running');
  expect(up.output).toMatch(/restoring from the newest retained checkpoint \S+\/chk-\d+/);
  console.log(`[e2e] ${/restoring from the newest retained checkpoint (\S+)/.exec(up.output)?.[1] ?? '?'}`);

  // The restored job re-sends the calls that were in flight: they arrive at the gate again.
  const reSent = performance.now();
  await gates.arrived(gateName, 2 * cases.length);
  console.log(`[e2e] all ${cases.length} calls re-sent ${ms(reSent)} after up.sh returned`);
  gates.open(gateName);

  const results = await Promise.all(submitted);
  console.log(`[e2e] all ${cases.length} pipelines completed ${ms(killedAt)} after the kill; gate calls: ${gates.arrivals(gateName)}`);
  expect(results).toStrictEqual(cases.map((c) => c.expected));
  await expectOneOutcomeEach(cases.map((c) => c.p.id));

  const jobAfter = await runningJob();
  expect(jobAfter.id).not.toBe(jobBefore.id);
  expect(await jobFailures(jobAfter.id)).toBe(0);
});

it('completes running pipelines exactly once when Kafka is stopped and restarted on its data', async () => {
  const gateName = `kafka-restart-${randomUUID()}`;
  const cases = gatedPipelines(40, gateName);
  const job = await runningJob();
  const failuresBefore = await jobFailures(job.id);

  const submitted = cases.map(({ p }) => flink.submit(p));
  // Awaited below; if the test fails before, their rejection is not unhandled.
  for (const s of submitted) s.catch(() => undefined);
  await gates.arrived(gateName, cases.length);
  await requestsCheckpointed();

  const stoppedAt = performance.now();
  const kafkaPid = await stopRole('kafka', 'SIGTERM');
  console.log(`[e2e] kafka (pid ${kafkaPid}) stopped in ${ms(stoppedAt)}`);
  // The tasks finish while Kafka is down: the pipelines complete, their
  // replies wait for the egress's Kafka transactions.
  gates.open(gateName);
  const up = await runUp();
  expect(up.output).toContain('statefun is running');
  expect(up.output).toContain('kafka: keeping its data');
  console.log(`[e2e] kafka back after ${ms(stoppedAt)} (up.sh ${up.ms} ms)`);

  const results = await Promise.all(submitted);
  console.log(`[e2e] all ${cases.length} pipelines completed ${ms(stoppedAt)} after Kafka was stopped`);
  expect(results).toStrictEqual(cases.map((c) => c.expected));
  await expectOneOutcomeEach(cases.map((c) => c.p.id));

  // Kafka's absence may fail a checkpoint or two (tolerated) but must not
  // end the job: it is the same job, still running.
  const after = await runningJob();
  expect(after.id).toBe(job.id);
  console.log(`[e2e] Flink job failures while Kafka was down: ${(await jobFailures(after.id)) - failuresBefore} (numRestarts ${await jobRestarts(after.id)})`);
});
