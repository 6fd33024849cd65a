/**
 * The task lifecycle on the real runtime: timeouts, aborts that reach the
 * running task, deferred completion from another process, attaching to a
 * running pipeline, a task far longer than StateFun's call timeout (run with
 * a module.yaml whose `call` is 10 s and a worker holding a call at most
 * 3 s), and a delayed start that survives StateFun being killed.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskError } from 'flink-tasks';
import type { KafkaTasksClient } from 'flink-tasks/kafka';
import * as l from './fixtures/lifecycle-tasks.js';
import * as t from './fixtures/tasks.js';
import { connectClient, e2e, flinkJob, ReplyRecorder, requestOffsets } from './support/env.js';
import { GateServer } from './support/gate.js';
import { runUp, stopRole } from './support/runtime.js';
import { recordedWorkerPid, REPO_ROOT, startWorker, stopWorker } from './support/worker-process.js';

let flink: KafkaTasksClient;
let gates: GateServer;

beforeAll(async () => {
  [flink, gates] = await Promise.all([connectClient(180_000), new GateServer().start()]);
});
afterAll(async () => {
  await gates?.close();
  await flink?.close();
});

/** Resolves once `path` exists (a marker written by a task in the worker process). */
async function fileAppears(path: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50)); // polling a file, not a synchronisation
  }
  return readFileSync(path, 'utf8');
}

const errorOf = (p: Promise<unknown>): Promise<TaskError> =>
  p.then(
    () => {
      throw new Error('resolved');
    },
    (e: unknown) => e as TaskError,
  );

describe('on the shipped runtime', () => {
  it('a task past its timeoutMs fails with TaskTimeout; the job does not restart', async () => {
    const before = (await flinkJob()).failures;
    const name = `timeout-${randomUUID()}`;
    const started = performance.now();
    const error = await errorOf(flink.submit(l.heldPastTimeout.send(gates.url, name)));
    expect(error).toMatchObject({ errorType: 'TaskTimeout', message: expect.stringContaining('timeout of 1500 ms') });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_500);
    gates.open(name);
    expect((await flinkJob()).failures).toBe(before);
  });

  it("cancel aborts the running task's signal: its fetch stops", async () => {
    const name = `abort-${randomUUID()}`;
    const dir = join(e2e().runDir, 'aborts');
    const p = l.abortable.send(gates.url, name, dir);
    const outcome = errorOf(flink.submit(p));
    await gates.arrived(name);
    await flink.cancel(p);
    expect(TaskError.isCancellation(await outcome)).toBe(true);
    expect(await fileAppears(join(dir, `${name}.aborted`))).toContain(`pipeline '${p.id}' was cancelled`);
  });

  it('a deferred task is completed from a second process with its token', async () => {
    const name = `approval-${randomUUID()}`;
    const dir = join(e2e().runDir, 'tokens');
    const p = l.awaitApproval.send(dir, name);
    const result = flink.submit(p);
    const token = await fileAppears(join(dir, `${name}.token`));
    expect(await flink.status(p)).toBe('RUNNING');
    const other = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'test/e2e/support/complete-deferred.ts', e2e().brokers.join(','), token, JSON.stringify({ approved: true, by: 'ops' })],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 90_000,
      },
    );
    expect(other.status, other.stderr).toBe(0);
    expect(other.stdout.trim()).toBe('completed');
    expect(await result).toEqual({ approved: true, by: 'ops' });
    // Used: a second completion is refused.
    await expect(flink.complete(token, { approved: false, by: 'late' })).rejects.toMatchObject({ errorType: 'UnknownDeferral' });
  });

  it('ifRunning: attach from another client waits for the running pipeline; it runs once', async () => {
    const name = `attach-${randomUUID()}`;
    const other = await connectClient(120_000);
    try {
      const p = t.gate.send(gates.url, name, 7).continueWith(t.square).withId(`attach-${randomUUID()}`);
      const first = flink.submit(p);
      await gates.arrived(name);
      const attached = other.submit(p, { ifRunning: 'attach' });
      const waited = other.result(p.id, { wait: true });
      await expect(other.submit(p)).rejects.toMatchObject({ errorType: 'PipelineAlreadyRunning' });
      gates.open(name);
      expect(await Promise.all([first, attached, waited])).toEqual([49, 49, 49]);
      expect(gates.arrivals(name)).toBe(1);
    } finally {
      await other.close();
    }
  });
});

/** Stops the worker and Flink, and starts them again with `module` (a path, or the shipped one) and worker `env`. */
async function switchRuntime(module: string | undefined, env: Record<string, string>): Promise<void> {
  const { runDir, workerPort } = e2e();
  const pid = recordedWorkerPid(runDir);
  if (pid !== undefined) await stopWorker(pid);
  spawnSync('bash', [join(REPO_ROOT, 'flink/bin/down.sh')], { cwd: REPO_ROOT, stdio: 'ignore' });
  const saved = process.env.FLINK_TASKS_MODULE;
  if (module) process.env.FLINK_TASKS_MODULE = module;
  else delete process.env.FLINK_TASKS_MODULE;
  try {
    await runUp(['--fresh']);
  } finally {
    if (saved === undefined) delete process.env.FLINK_TASKS_MODULE;
    else process.env.FLINK_TASKS_MODULE = saved;
  }
  await startWorker(runDir, workerPort, 60_000, env);
}

describe("with StateFun's call timeout shortened to 10 s and a worker holding calls at most 3 s", () => {
  let client: KafkaTasksClient;
  let recorder: ReplyRecorder;
  beforeAll(async () => {
    const shipped = readFileSync(join(REPO_ROOT, 'flink/module.yaml'), 'utf8');
    const short = shipped.replace(/^(\s*)call:\s*\S+/m, '$1call: 10s');
    expect(short).not.toBe(shipped);
    const module = join(e2e().runDir, 'module-short-call.yaml');
    writeFileSync(module, short);
    await switchRuntime(module, { E2E_WORKER_CALL_BUDGET_MS: '3000' });
    [client, recorder] = await Promise.all([connectClient(180_000), ReplyRecorder.start()]);
  }, 240_000);
  afterAll(async () => {
    await client?.close();
    await recorder?.stop();
    // The files after this one get the shipped runtime and worker back.
    await switchRuntime(undefined, {});
  }, 240_000);

  it('a task held 15 s (past the 10 s call timeout) goes on in the background and completes; the job never restarts', async () => {
    const job = await flinkJob();
    const name = `marathon-${randomUUID()}`;
    const p = l.marathon.send(gates.url, name, 42).continueWith(t.square);
    const result = client.submit(p);
    await gates.arrived(name);
    const heldFrom = performance.now();
    await new Promise((r) => setTimeout(r, 15_000)); // the point of the test: longer than the call timeout
    expect(await client.status(p)).toBe('RUNNING');
    gates.open(name);
    expect(await result).toBe(1764);
    console.log(`[e2e] a task held ${((performance.now() - heldFrom) / 1000).toFixed(1)} s completed through the result sink`);
    expect(gates.arrivals(name)).toBe(1);
    const after = await flinkJob();
    expect(after.id).toBe(job.id);
    expect(after.failures).toBe(job.failures);
  });

  it('a delayed start survives StateFun being SIGKILLed and restarted; the pipeline runs once', async () => {
    const p = t.add.send(20, 22).withId(`later-${randomUUID()}`);
    const submittedAt = performance.now();
    const result = client.submit(p, { delayMs: 20_000 });
    result.catch(() => undefined);
    await recorder.until(() => recorder.events.some((e) => e.pipelineId === p.id && e.status === 0), 60_000); // PENDING
    const { end } = await requestOffsets();
    while ((await requestOffsets()).committedByFlink < end) await new Promise((r) => setTimeout(r, 200)); // in a checkpoint
    await stopRole('statefun', 'SIGKILL');
    const up = await runUp();
    expect(up.output).toMatch(/restoring from the newest retained checkpoint/);
    expect(await result).toBe(42);
    const waited = performance.now() - submittedAt;
    console.log(`[e2e] delayed start of 20 s across a StateFun restart: result after ${(waited / 1000).toFixed(1)} s`);
    expect(waited).toBeGreaterThanOrEqual(20_000);
    await recorder.until(() => recorder.repliesFor(p.id, 'outcome').length >= 1, 60_000);
    expect(recorder.repliesFor(p.id, 'outcome')).toHaveLength(1);
  });
});
