/**
 * Two worker replicas behind one address, as a Kubernetes Service puts them:
 * the worker process is replaced by replicas A and B behind a proxy on the
 * worker's port that sends every call of a task to A and every cancel
 * message to B — the case a load balancer makes now and then, made every
 * time. A cancelled pipeline's running task on A must still be aborted: the
 * pipeline function publishes the cancellation on flink-tasks.cancellations,
 * which both replicas read. The job never restarts.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TaskError } from 'flink-tasks';
import type { KafkaTasksClient } from 'flink-tasks/kafka';
import { peekBatch } from '../../src/statefun/protocol.js';
import * as l from './fixtures/lifecycle-tasks.js';
import { connectClient, e2e, flinkJob } from './support/env.js';
import { GateServer } from './support/gate.js';
import { recordedWorkerPid, startWorker, stopWorker, type WorkerHandle } from './support/worker-process.js';

const REPLICA_A = 18101;
const REPLICA_B = 18102;
/** Which replica got which kind of call. */
const routed: { port: number; target: string }[] = [];

let flink: KafkaTasksClient;
let gates: GateServer;
let proxy: Server;
let replicas: WorkerHandle[] = [];

/** The function address a request-reply call is for, as `namespace/type/id` ('' if the bytes are not one). */
function targetOf(body: Uint8Array): string {
  try {
    const t = peekBatch(body).target;
    return t ? `${t.namespace}/${t.type}/${t.id}` : '';
  } catch {
    return '';
  }
}

/** Forwards one StateFun call: cancel messages to B, every other worker call to A, pipeline calls to either in turn. */
function forward(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const target = targetOf(body);
    const port = target.endsWith('/flinktasks.cancel')
      ? REPLICA_B
      : target.startsWith('example/worker/')
        ? REPLICA_A
        : routed.length % 2 === 0
          ? REPLICA_A
          : REPLICA_B;
    routed.push({ port, target });
    const out = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${port}` } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', (err) => {
      res.writeHead(502).end(String(err));
    });
    out.end(body);
  });
}

beforeAll(async () => {
  const { runDir, workerPort } = e2e();
  [flink, gates] = await Promise.all([connectClient(180_000), new GateServer().start()]);
  const main = recordedWorkerPid(runDir);
  if (main !== undefined) await stopWorker(main);
  replicas = [await startWorker(runDir, REPLICA_A), await startWorker(runDir, REPLICA_B)];
  proxy = createServer(forward);
  await new Promise<void>((resolve) => proxy.listen(workerPort, '127.0.0.1', resolve));
}, 180_000);

afterAll(async () => {
  const { runDir, workerPort } = e2e();
  await new Promise<void>((resolve) => {
    proxy.close(() => resolve());
    proxy.closeAllConnections();
  });
  for (const r of replicas) await stopWorker(r.pid);
  // The other test files get the single worker back.
  await startWorker(runDir, workerPort);
  await gates.close();
  await flink.close();
}, 120_000);

/** Resolves once `path` exists (a marker written by a task in a replica). */
async function fileAppears(path: string, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 50)); // polling a file, not a synchronisation
  }
  return readFileSync(path, 'utf8');
}

it('a cancelled task running on replica A is aborted though the cancel message went to replica B, every time', async () => {
  const before = (await flinkJob()).failures;
  const dir = join(e2e().runDir, 'replica-aborts');
  const rounds: { aborted: boolean; ms: number }[] = [];
  for (let i = 0; i < 4; i++) {
    const name = `replicas-${randomUUID()}`;
    const p = l.abortable.send(gates.url, name, dir);
    const outcome = flink.submit(p).then(
      () => undefined,
      (e: unknown) => e,
    );
    await gates.arrived(name);
    const t0 = performance.now();
    await flink.cancel(p);
    const marker = await fileAppears(join(dir, `${name}.aborted`), 15_000);
    rounds.push({ aborted: marker?.includes(`pipeline '${p.id}' was cancelled`) ?? false, ms: Math.round(performance.now() - t0) });
    expect(TaskError.isCancellation(await outcome)).toBe(true);
    gates.open(name);
  }
  console.log(`[e2e] replicas: aborts after cancel (ms): ${rounds.map((r) => (r.aborted ? r.ms : 'missed')).join(', ')}`);
  // The proxy did route as meant: task calls on A, cancel messages on B.
  expect(routed.some((r) => r.port === REPLICA_B && r.target.endsWith('/flinktasks.cancel'))).toBe(true);
  expect(routed.filter((r) => r.target.startsWith('example/worker/') && !r.target.endsWith('/flinktasks.cancel')).every((r) => r.port === REPLICA_A)).toBe(
    true,
  );
  expect(rounds.map((r) => r.aborted)).toEqual([true, true, true, true]);
  expect((await flinkJob()).failures).toBe(before);
}, 180_000);
