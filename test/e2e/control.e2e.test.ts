/**
 * status / request / result / pause / unpause / cancel through the Kafka
 * client on a real StateFun. Tasks that must be "in flight" are held at an
 * HTTP gate run by the test (support/gate.ts), so the test decides when they
 * finish: no sleeps.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inParallel, TaskError, type PipelineRef, type PipelineStatus } from 'flink-tasks';
import type { KafkaTasksClient } from 'flink-tasks/kafka';
import * as t from './fixtures/tasks.js';
import { connectClient, e2e, ReplyRecorder } from './support/env.js';
import { GateServer } from './support/gate.js';

let flink: KafkaTasksClient;
let gates: GateServer;
let recorder: ReplyRecorder;

beforeAll(async () => {
  [flink, gates, recorder] = await Promise.all([connectClient(), new GateServer().start(), ReplyRecorder.start()]);
});
afterAll(async () => {
  await gates?.close();
  await flink?.close();
  await recorder?.stop();
});

/**
 * Asks for the status until it is `wanted` (each ask is a Kafka round trip of
 * ~1 s). Submissions and actions share one topic, so an action never
 * overtakes the submission it follows: PipelineNotFound is a failure.
 */
async function statusBecomes(ref: PipelineRef, wanted: PipelineStatus, attempts = 60): Promise<void> {
  let last: string | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await flink.status(ref);
    if (last === wanted) return;
  }
  throw new Error(`status stayed ${last}, expected ${wanted}`);
}

/** Settles `promise` into its TaskError (fails if it resolves or rejects otherwise). */
async function taskErrorOf(promise: Promise<unknown>): Promise<TaskError> {
  try {
    const value = await promise;
    throw new Error(`expected a TaskError, got the value ${JSON.stringify(value)}`);
  } catch (err) {
    if (!(err instanceof TaskError)) throw err;
    return err;
  }
}

const STATUS = { RUNNING: 1, COMPLETED: 2, PAUSED: 4, CANCELLING: 5, CANCELLED: 6 } as const;

describe('status, request and result', () => {
  it('reports RUNNING while a task is held, then COMPLETED with the result', async () => {
    const name = `status-${randomUUID()}`;
    const p = t.gate.send(gates.url, name, 20).continueWith(t.add, 1);
    const submitted = flink.submit(p);
    await gates.arrived(name);
    expect(await flink.status(p)).toBe('RUNNING');
    expect((await taskErrorOf(flink.result(p))).errorType).toBe('PipelineNotFinished');
    // Submitting the same pipeline (same id) again while it runs is refused.
    expect((await taskErrorOf(flink.submit(p))).errorType).toBe('PipelineAlreadyRunning');
    gates.open(name);
    expect(await submitted).toBe(t.add(20, 1));
    expect(await flink.status(p)).toBe('COMPLETED');
    expect(await flink.result(p)).toBe(21);
    expect(await flink.status(p.id)).toBe('COMPLETED');
  });

  it('an action sent right after a submission never overtakes it', async () => {
    const pipelines = Array.from({ length: 10 }, (_, i) => t.add.send(i, 1));
    const submitted = pipelines.map((p) => flink.submit(p));
    const statuses = await Promise.all(pipelines.map((p) => flink.status(p)));
    for (const s of statuses) expect(['RUNNING', 'COMPLETED']).toContain(s);
    expect(await Promise.all(submitted)).toStrictEqual(pipelines.map((_, i) => t.add(i, 1)));
  });

  it('returns the submitted pipeline as IR', async () => {
    const p = inParallel([t.square.send(2), t.add.send(1, 2).continueWith(t.multiply, 3)]).continueWith(t.sum);
    expect(await flink.submit(p)).toBe(13);
    expect(await flink.request(p)).toStrictEqual(p.toIR());
  });

  it('returns the failure of a failed pipeline from result()', async () => {
    const p = t.divide.send(3, 0);
    expect((await taskErrorOf(flink.submit(p))).errorType).toBe('RangeError');
    expect(await flink.status(p)).toBe('FAILED');
    const e = await taskErrorOf(flink.result(p));
    expect([e.errorType, e.taskName, e.message]).toStrictEqual(['RangeError', 'divide', 'cannot divide 3 by zero']);
  });

  it('answers PipelineNotFound for an id never submitted', async () => {
    expect((await taskErrorOf(flink.status(`never-${randomUUID()}`))).errorType).toBe('PipelineNotFound');
  });
});

describe('pause and unpause', () => {
  it('holds the next task while paused and resumes on unpause', async () => {
    const [a, b] = [`pause-a-${randomUUID()}`, `pause-b-${randomUUID()}`];
    const p = t.gate.send(gates.url, a, 5).continueWith(t.gateThen, gates.url, b).continueWith(t.add, 1);
    const submitted = flink.submit(p);
    await gates.arrived(a);
    await flink.pause(p);
    expect(await flink.status(p)).toBe('PAUSED');
    gates.open(a); // the first task finishes while the pipeline is paused
    gates.open(b); // the second would pass at once, if it were dispatched
    // A status round trip later the pipeline is still paused and the second task never started.
    expect(await flink.status(p)).toBe('PAUSED');
    expect(await flink.status(p)).toBe('PAUSED');
    expect(gates.arrivals(b)).toBe(0);
    await flink.unpause(p);
    expect(await submitted).toBe(6);
    expect(gates.arrivals(b)).toBe(1);
    expect(await flink.status(p)).toBe('COMPLETED');
    // Status events went RUNNING → PAUSED → RUNNING → COMPLETED.
    await recorder.until(() => recorder.events.some((e) => e.pipelineId === p.id && e.status === STATUS.COMPLETED));
    const statuses = recorder.events.filter((e) => e.pipelineId === p.id && e.status !== undefined && e.status !== 0).map((e) => e.status);
    expect(statuses).toStrictEqual([STATUS.RUNNING, STATUS.PAUSED, STATUS.RUNNING, STATUS.COMPLETED]);
  });

  it('pauses itself after a task returning withPausePipeline', async () => {
    const p = t.add.send(1, 2).continueWith(t.incrementThenPause).continueWith(t.multiply, 10);
    const submitted = flink.submit(p);
    await statusBecomes(p, 'PAUSED');
    await flink.unpause(p);
    expect(await submitted).toBe(t.multiply(t.add(1, 2) + 1, 10));
  });

  it('refuses to pause a finished pipeline and to unpause a running one', async () => {
    const name = `refuse-${randomUUID()}`;
    const p = t.gate.send(gates.url, name, 1);
    const submitted = flink.submit(p);
    await gates.arrived(name);
    expect((await taskErrorOf(flink.unpause(p))).errorType).toBe('InvalidAction');
    gates.open(name);
    expect(await submitted).toBe(1);
    expect((await taskErrorOf(flink.pause(p))).errorType).toBe('InvalidAction');
  });
});

describe('cancel', () => {
  it('cancels a running pipeline: the submission fails with PipelineCancelled and finallyDo still runs', async () => {
    const name = `cancel-${randomUUID()}`;
    const dir = join(e2e().runDir, 'markers');
    const marker = `cancelled-${randomUUID()}`;
    const p = t.gate.send(gates.url, name, 1).continueWith(t.add, 1).finallyDo(t.writeMarker, dir, marker, 'finally after cancel');
    const submitted = taskErrorOf(flink.submit(p));
    await gates.arrived(name);
    await flink.cancel(p);
    const e = await submitted;
    expect(TaskError.isCancellation(e)).toBe(true);
    expect(await readFile(join(dir, marker), 'utf8')).toBe('finally after cancel');
    expect(await flink.status(p)).toBe('CANCELLED');
    expect(TaskError.isCancellation(await taskErrorOf(flink.result(p)))).toBe(true);
    gates.open(name); // the held task ends; its late result is dropped
    expect(await flink.status(p)).toBe('CANCELLED');
    expect((await taskErrorOf(flink.cancel(p))).errorType).toBe('InvalidAction');
  });

  it('answers every submitter of a cancelled pipeline with finallyDo, whichever of the cancel message and the finallyDo reaches the worker first', async () => {
    // The two leave the pipeline function in one response, for different
    // addresses; a finallyDo aborted by the cancel message left the pipeline
    // CANCELLING forever (1 run in 4 before the fix).
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const name = `cancel-race-${randomUUID()}`;
      const p = t.gate.send(gates.url, name, 1).finallyDo(t.writeMarker, join(e2e().runDir, 'markers'), `race-${randomUUID()}`, 'finally');
      const submitted = taskErrorOf(flink.submit(p, {})).then((e) => e.errorType);
      await gates.arrived(name);
      await flink.cancel(p);
      outcomes.push(await submitted);
      gates.open(name);
    }
    expect(outcomes).toEqual(Array.from({ length: 8 }, () => 'PipelineCancelled'));
  });

  it('cancels a paused pipeline with a group of chains, cascading to the child pipelines', async () => {
    const name = `cancel-group-${randomUUID()}`;
    const dir = join(e2e().runDir, 'runs');
    const key = randomUUID();
    // Branch 1 is a chain, so it runs as a child pipeline (its own pipeline id).
    const p = inParallel([t.gate.send(gates.url, name, 1), t.gate.send(gates.url, name, 2).continueWith(t.recordRun, dir, key)]).continueWith(t.sum);
    const submitted = taskErrorOf(flink.submit(p));
    await gates.arrived(name, 2);
    await flink.pause(p);
    await flink.cancel(p);
    expect(TaskError.isCancellation(await submitted)).toBe(true);
    // The child pipeline reports its own cancellation on the events topic (keyed by the root pipeline id).
    await recorder.until(() => recorder.events.some((e) => e.key === p.id && e.pipelineId !== p.id && e.status === STATUS.CANCELLED));
    const children = [...new Set(recorder.events.filter((e) => e.key === p.id && e.pipelineId !== p.id).map((e) => e.pipelineId))];
    expect(children).toHaveLength(1);
    gates.open(name);
    expect(await flink.status(p)).toBe('CANCELLED');
    // A finished child keeps no state (only top-level pipelines stay queryable, for their retention).
    expect((await taskErrorOf(flink.status(children[0] as string))).errorType).toBe('PipelineNotFound');
    // The step after the gate in the cancelled child never ran.
    await expect(readFile(join(dir, `${key}.runs`), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
