/**
 * flink-tasks against a hand-written StateFun orchestration, on one real
 * Apache Flink StateFun 3.3.0 + Kafka runtime (flink/bin/up.sh), in one run:
 * a 10k fan-out (inParallel of no-op tasks, results in order) and a 1k-step
 * chain, each measured from producing the Kafka request to receiving the
 * reply (exactly-once egress, so every measurement waits for a checkpoint);
 * then flink-tasks alone on larger fan-outs (50k and 250k), submitted with
 * the shipped configuration (Kafka's default 1 MB records would do: the
 * client sends a large submission in parts). Prints, per run, the state
 * bytes StateFun shipped to the pipeline function's keys per result.
 *
 *   npm run bench:flink
 *
 * Env: BENCH_FANOUT (10000), BENCH_CHAIN (1000), BENCH_REPS (3), BENCH_LARGE (50000,250000; empty: none),
 *      BENCH_HAND_SPREAD (16 worker addresses per hand-written job),
 *      BENCH_CHECKPOINTS (filesystem | launcher: where Flink keeps checkpoints).
 */
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import os from 'node:os';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { FlinkTasks, inParallel, type Pipeline } from '../dist/index.js';
import { FunctionServer } from '../dist/server.js';
import { KafkaTasksClient } from '../dist/kafka.js';
import { submissionOf } from '../dist/client/requests.js';
import { codecs } from '../dist/wire/codec.js';
import { HAND_ORCHESTRATOR, HAND_REPLIES_TOPIC, HAND_REQUESTS_TOPIC, HAND_WORKER, handStateFun, type HandReply, type HandRequest } from './flink/hand.js';
import {
  alive,
  checkpointCounts,
  jobId,
  jvmCpuMs,
  logDigest,
  numRestarts,
  runtimePids,
  startFlink,
  stopFlink,
  waitForLauncherFree,
  writeModule,
} from './flink/launcher.js';
import { BenchServer, type TypeStats } from './flink/server.js';

const N = Number(process.env.BENCH_FANOUT ?? 10_000);
const K = Number(process.env.BENCH_CHAIN ?? 1_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const LARGE = (process.env.BENCH_LARGE ?? '50000,250000')
  .split(',')
  .filter((s) => s.trim() !== '')
  .map(Number);
const SPREAD = Number(process.env.BENCH_HAND_SPREAD ?? 16);
/**
 * `filesystem` (default): checkpoints go to a temporary directory. `launcher`:
 * the launcher's own default, Flink's JobManager (memory) checkpoint storage,
 * which fails every checkpoint once the state passes 5 MiB (see the report).
 */
const CHECKPOINTS = process.env.BENCH_CHECKPOINTS ?? 'filesystem';
const RUN_TIMEOUT_MS = 300_000;
const BROKERS = ['127.0.0.1:19092'];

const t00 = performance.now();
const log = (s: string) => console.log(`[bench ${((performance.now() - t00) / 1000).toFixed(1).padStart(6)}s] ${s}`);

// --- the functions -----------------------------------------------------------
const tasks = new FlinkTasks({ namespace: 'example', workerName: 'worker' });
const noop = tasks.bind('noop', (x: number) => x);
const handErrors: string[] = [];
const server = new BenchServer(
  new FunctionServer(tasks),
  handStateFun({ spread: SPREAD, onError: (where, err) => void handErrors.push(`${where}: ${String(err)}`) }),
  new Set([HAND_ORCHESTRATOR, HAND_WORKER]),
);

// --- the hand-written client: produce a JSON job, await its JSON reply --------
class HandClient {
  readonly #waiting = new Map<string, (r: { reply: HandReply; at: number }) => void>();
  private constructor(
    readonly producer: Producer,
    readonly consumer: Consumer,
  ) {}
  static async connect(): Promise<HandClient> {
    const kafka = new Kafka({ clientId: 'hand-bench-client', brokers: BROKERS, logLevel: logLevel.NOTHING });
    // The same producer and consumer settings as KafkaTasksClient.
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    const consumer = kafka.consumer({ groupId: `hand-bench-${randomUUID()}`, readUncommitted: false });
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [HAND_REPLIES_TOPIC], fromBeginning: false });
    const client = new HandClient(producer, consumer);
    let joined: () => void = () => undefined;
    const assigned = new Promise<void>((r) => (joined = r));
    const off = consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (!message.value) return;
        const at = performance.now();
        const reply = JSON.parse(message.value.toString('utf8')) as HandReply;
        client.#waiting.get(reply.requestId)?.({ reply, at });
      },
    });
    await assigned;
    off();
    return client;
  }
  async submit(jobId: string, request: HandRequest): Promise<HandReply> {
    const reply = new Promise<{ reply: HandReply; at: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`hand-written job ${jobId}: no reply within ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS);
      this.#waiting.set(request.requestId, (r) => {
        clearTimeout(timer);
        this.#waiting.delete(request.requestId);
        resolve(r);
      });
    });
    await this.producer.send({ topic: HAND_REQUESTS_TOPIC, messages: [{ key: jobId, value: JSON.stringify(request) }] });
    return (await reply).reply;
  }
  async close(): Promise<void> {
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }
}

// --- one measured run ------------------------------------------------------------
type Workflow = 'fanout' | 'chain';
type Impl = 'flink-tasks' | 'hand-written' | 'hand-wide';
/** Worker addresses flink-tasks uses for the fan-out: 16 per (child) pipeline. */
const FT_ADDRESSES = Math.ceil(N / tasks.groupSplitThreshold) * 16;
const IMPL_LABEL: Record<Impl, string> = { 'flink-tasks': 'flink-tasks', 'hand-written': 'hand-written', 'hand-wide': `hand, ${FT_ADDRESSES} addr` };
interface Run {
  workflow: Workflow;
  impl: Impl;
  tasks: number;
  ms: number;
  processMs: number;
  nodeCpuMs: number;
  statefunCpuMs: number;
  kafkaCpuMs: number;
  stats: Map<string, TypeStats>;
  ok: boolean;
  why: string;
  /** Worker invocations beyond one per task (re-executed after a job restart). */
  reExecuted: number;
  restarts: number;
  failedCheckpoints: number;
  stateKiB: number;
}

let ftClient: KafkaTasksClient | undefined;
let handClient: HandClient | undefined;

async function runOnce(workflow: Workflow, impl: Impl, fanout = N): Promise<Run> {
  const size = workflow === 'fanout' ? fanout : K;
  let go: () => Promise<{ ok: boolean; why: string }>;
  if (impl === 'flink-tasks') {
    // The pipeline is built (and its arguments serialised) before the clock starts.
    let pipeline: Pipeline<unknown>;
    if (workflow === 'fanout') {
      pipeline = inParallel(Array.from({ length: size }, (_, i) => noop.send(i)));
    } else {
      let p: Pipeline<number> = noop.send(0);
      for (let i = 1; i < K; i++) p = p.continueWith(noop);
      pipeline = p;
    }
    server.watch = { type: 'example/pipeline', id: pipeline.id, marker: Buffer.from('flink-tasks.replies') };
    go = async () => {
      const result = await (ftClient as KafkaTasksClient).submit(pipeline);
      if (workflow === 'fanout') {
        const list = result as number[];
        const bad = Array.isArray(list) ? list.findIndex((v, i) => v !== i) : -2;
        return {
          ok: Array.isArray(list) && list.length === size && bad === -1,
          why: `length ${Array.isArray(list) ? list.length : typeof list}, first wrong slot ${bad}`,
        };
      }
      return { ok: result === 0, why: `result ${JSON.stringify(result)}` };
    };
  } else {
    const job = `hand-${randomUUID()}`;
    const spread = impl === 'hand-wide' ? FT_ADDRESSES : SPREAD;
    const request: HandRequest =
      workflow === 'fanout' ? { requestId: randomUUID(), spread, kind: 'fanout', n: N } : { requestId: randomUUID(), spread, kind: 'chain', k: K, start: 0 };
    server.watch = { type: HAND_ORCHESTRATOR, id: job, marker: Buffer.from(HAND_REPLIES_TOPIC) };
    go = async () => {
      const reply = await (handClient as HandClient).submit(job, request);
      if (reply.kind === 'fanout') {
        const bad = reply.results.findIndex((v, i) => v !== i);
        return { ok: workflow === 'fanout' && reply.results.length === N && bad === -1, why: `length ${reply.results.length}, first wrong slot ${bad}` };
      }
      if (reply.kind === 'chain')
        return { ok: workflow === 'chain' && reply.steps === K && reply.result === 0, why: `steps ${reply.steps}, result ${reply.result}` };
      return { ok: false, why: reply.message };
    };
  }
  server.resetStats();
  const jid = await jobId();
  const restarts0 = await numRestarts(jid);
  const cp0 = await checkpointCounts(jid);
  const sf0 = jvmCpuMs('statefun');
  const kf0 = jvmCpuMs('kafka');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (pids && (!alive(pids.statefun, 'statefun') || !alive(pids.kafka, 'kafka')))
        reject(new Interference(`the runtime stopped during a ${impl} ${workflow} run (someone else's down.sh?)`));
    }, 1000);
  });
  const check = await Promise.race([go(), watchdog]).finally(() => clearInterval(timer));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const egressAt = server.watch?.egressAt;
  server.watch = undefined;
  const stats = new Map(server.stats);
  // More worker invocations than tasks: tasks re-executed (after a job restart).
  const workerType = impl === 'flink-tasks' ? 'example/worker' : HAND_WORKER;
  const ran = stats.get(workerType)?.invocations ?? 0;
  const restarts = (await numRestarts(jid)) - restarts0;
  const cp1 = await checkpointCounts(jid);
  return {
    workflow,
    impl,
    tasks: size,
    ms,
    processMs: egressAt === undefined ? Number.NaN : egressAt - t0,
    nodeCpuMs: (cpu.user + cpu.system) / 1000,
    statefunCpuMs: jvmCpuMs('statefun') - sf0,
    kafkaCpuMs: jvmCpuMs('kafka') - kf0,
    stats,
    ok: check.ok,
    why: check.why,
    reExecuted: ran - size,
    restarts,
    failedCheckpoints: cp1.failed - cp0.failed,
    stateKiB: cp1.stateSize / 1024,
  };
}

// --- printing ---------------------------------------------------------------------
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '-');
const pad = (s: string, n: number) => s.padStart(n);

function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  return `${new Date().toISOString()} · ${cpu} · ${os.cpus().length} cores · ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB · ${os.type()} ${os.release()} · node ${process.version} · load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`;
}

async function flinkInfo(): Promise<{ interval: string; checkpoints: string }> {
  try {
    const overview = (await (await fetch('http://127.0.0.1:18081/jobs/overview')).json()) as { jobs: Array<{ jid: string; state: string }> };
    const jid = overview.jobs.find((j) => j.state === 'RUNNING')?.jid;
    if (!jid) return { interval: '?', checkpoints: 'no running job' };
    const config = (await (await fetch(`http://127.0.0.1:18081/jobs/${jid}/checkpoints/config`)).json()) as { interval?: number; mode?: string };
    const cps = (await (await fetch(`http://127.0.0.1:18081/jobs/${jid}/checkpoints`)).json()) as {
      counts?: { completed: number; failed: number };
      summary?: { end_to_end_duration?: { avg: number; max: number }; state_size?: { max: number } };
      latest?: { completed?: { state_size?: number; end_to_end_duration?: number } | null };
      history?: Array<{ status?: string; failure_message?: string | null }>;
    };
    const s = cps.summary;
    const failures = new Map<string, number>();
    for (const h of cps.history ?? []) {
      if (h.status !== 'FAILED') continue;
      const m = (h.failure_message ?? 'no message').split('\n')[0]!.slice(0, 160);
      failures.set(m, (failures.get(m) ?? 0) + 1);
    }
    const why = [...failures].map(([m, n]) => `${n}x "${m}"`).join('; ');
    return {
      interval: `${config.interval ?? '?'} ms (${config.mode ?? '?'})`,
      checkpoints: `${cps.counts?.completed ?? '?'} completed, ${cps.counts?.failed ?? '?'} failed; end-to-end duration avg ${s?.end_to_end_duration?.avg ?? '?'} ms, max ${s?.end_to_end_duration?.max ?? '?'} ms; latest state size ${((cps.latest?.completed?.state_size ?? 0) / 1024).toFixed(0)} KiB${why ? `; failed among the last ${cps.history?.length ?? 0}: ${why}` : ''}`,
    };
  } catch (err) {
    return { interval: '?', checkpoints: `REST failed: ${String(err)}` };
  }
}

/** State bytes StateFun shipped to the pipeline function's keys, per result (task). */
function statePerResult(r: Run): number {
  return (r.stats.get('example/pipeline')?.stateBytes ?? 0) / r.tasks;
}

function printResults(runs: Run[]): void {
  const workflows: Array<[Workflow, string, number]> = [
    ['fanout', `fan-out ${N}`, N],
    ['chain', `chain ${K}`, K],
    ...LARGE.map((n): [Workflow, string, number] => ['fanout', `fan-out ${n}`, n]),
  ];
  const impls: Impl[] = ['flink-tasks', 'hand-written', 'hand-wide'];
  console.log('');
  console.log(
    'end to end = request produced to Kafka -> reply consumed (read_committed); to egress = request produced -> the orchestrator answered StateFun with the reply egress',
  );
  console.log(
    `${'workflow'.padEnd(14)}${'implementation'.padEnd(17)}${'tasks'.padStart(6)}  ${'end to end, ms (runs)'.padEnd(22)}${'median'.padStart(7)}${'tasks/s'.padStart(9)}${'ft/this'.padStart(9)}   ${'to egress, ms (runs)'.padEnd(22)}${'median'.padStart(7)}${'ft/this'.padStart(9)}`,
  );
  for (const [w, label, n] of workflows) {
    const ft = runs.filter((r) => r.workflow === w && r.tasks === n && r.impl === 'flink-tasks');
    const ftMed = ft.length ? median(ft.map((r) => r.ms)) : Number.NaN;
    const ftProc = ft.length ? median(ft.map((r) => r.processMs)) : Number.NaN;
    for (const impl of impls) {
      const rs = runs.filter((r) => r.workflow === w && r.tasks === n && r.impl === impl);
      if (rs.length === 0) continue;
      const m = median(rs.map((r) => r.ms));
      const p = median(rs.map((r) => r.processMs));
      const ratio = (x: number, y: number) => (impl === 'flink-tasks' ? '' : (x / y).toFixed(2));
      console.log(
        `${label.padEnd(14)}${IMPL_LABEL[impl].padEnd(17)}${pad(String(rs[0]!.tasks), 6)}  ${rs
          .map((r) => f0(r.ms))
          .join(', ')
          .padEnd(22)}${pad(f0(m), 7)}${pad(f0((rs[0]!.tasks / m) * 1000), 9)}${pad(ratio(ftMed, m), 9)}   ${rs
          .map((r) => f0(r.processMs))
          .join(', ')
          .padEnd(22)}${pad(f0(p), 7)}${pad(ratio(ftProc, p), 9)}`,
      );
    }
  }
  console.log('');
  console.log('where the time goes (median run of each; per function type: HTTP requests, invocations, batch sizes, time in the handler, bytes in/out)');
  for (const [w, label, n] of workflows) {
    for (const impl of impls) {
      const rs = runs.filter((r) => r.workflow === w && r.tasks === n && r.impl === impl).sort((a, b) => a.ms - b.ms);
      const r = rs[Math.floor((rs.length - 1) / 2)];
      if (!r) continue;
      console.log(
        `  ${label}, ${IMPL_LABEL[impl]}: ${f0(r.ms)} ms; CPU during the run: node ${f0(r.nodeCpuMs)} ms, statefun JVM ${f0(r.statefunCpuMs)} ms, kafka JVM ${f0(r.kafkaCpuMs)} ms; job restarts ${r.restarts}, failed checkpoints ${r.failedCheckpoints}, re-executed tasks ${r.reExecuted}` +
          (impl === 'flink-tasks' ? `; state shipped to pipeline keys: ${statePerResult(r).toFixed(0)} B per result` : ''),
      );
      for (const [type, s] of [...r.stats].sort()) {
        console.log(
          `    ${type.padEnd(26)} ${pad(String(s.requests), 5)} requests ${pad(String(s.invocations), 6)} invocations  batch max ${pad(String(s.maxBatch), 5)} mean ${pad((s.invocations / (s.requests - s.incomplete)).toFixed(1), 6)}${s.incomplete ? ` (+${s.incomplete} spec registration)` : ''}  handler ${pad(f0(s.busyMs), 5)} ms  in ${pad((s.requestBytes / 2 ** 20).toFixed(2), 6)} MiB (state ${pad((s.stateBytes / 2 ** 20).toFixed(2), 6)})  out ${pad((s.responseBytes / 2 ** 20).toFixed(2), 5)} MiB`,
        );
      }
    }
  }
}

// --- main ---------------------------------------------------------------------------
let moduleDir: string | undefined;
let flinkStartedAt: number | undefined;
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await bringDown();
    if (moduleDir) rmSync(moduleDir, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** The runtime went away under us (someone else's down.sh / up.sh): worth another attempt. */
class Interference extends Error {}
let pids: { kafka: number; statefun: number } | undefined;
let failedAtStart = 0;
const ATTEMPTS = 3;

/** Waits for the launcher, serves the functions, starts the runtime. */
async function bringUp(module: string, budgetEnd: number): Promise<void> {
  log('waiting until no other process has used the launcher for 30 s');
  const waited = await waitForLauncherFree(log, 30_000, 3_000, budgetEnd - Date.now());
  log(`launcher free (waited ${(waited / 1000).toFixed(0)} s)`);
  await server.listen(18000);
  log(`serving ${[...server.functions.functionTypes, HAND_ORCHESTRATOR, HAND_WORKER].join(', ')} at http://127.0.0.1:18000/statefun`);
  flinkStartedAt = Date.now();
  log(`starting the runtime with ${module}`);
  try {
    // state.checkpoints.dir alone makes Flink use FileSystemCheckpointStorage.
    const flinkArgs = CHECKPOINTS === 'filesystem' ? [`state.checkpoints.dir=file://${dirname(module)}/checkpoints`] : [];
    await startFlink(module, [HAND_REQUESTS_TOPIC, HAND_REPLIES_TOPIC], (l) => log(`  ${l}`), flinkArgs);
  } catch (err) {
    throw new Interference(String(err));
  }
  pids = runtimePids();
  if (!alive(pids.kafka, 'kafka') || !alive(pids.statefun, 'statefun')) throw new Interference('the runtime stopped right after starting');
  ftClient = await KafkaTasksClient.connect({ brokers: BROKERS, timeoutMs: RUN_TIMEOUT_MS });
  handClient = await HandClient.connect();
  const info = await flinkInfo();
  log(`clients connected; checkpoint interval ${info.interval}`);
}

/** Stops what bringUp started (clients, runtime, server), leaving the process ready for another attempt. */
async function bringDown(): Promise<void> {
  await ftClient?.close().catch(() => undefined);
  await handClient?.close().catch(() => undefined);
  ftClient = undefined;
  handClient = undefined;
  if (flinkStartedAt !== undefined) {
    log('stopping the runtime (flink/bin/down.sh)');
    await stopFlink(flinkStartedAt, log);
    flinkStartedAt = undefined;
  }
  pids = undefined;
  await server.close().catch(() => undefined);
}

async function measure(): Promise<Run[]> {
  failedAtStart = (await checkpointCounts(await jobId())).failed;
  const plan: Array<[Workflow, Impl]> = [
    ['fanout', 'flink-tasks'],
    ['fanout', 'hand-written'],
    ['fanout', 'hand-wide'],
    ['chain', 'flink-tasks'],
    ['chain', 'hand-written'],
  ];
  const runs: Run[] = [];
  for (let rep = 0; rep <= REPS; rep++) {
    for (const [w, impl] of plan) {
      const r = await runOnce(w, impl);
      const tag = rep === 0 ? 'warm-up' : `run ${rep}/${REPS}`;
      const odd =
        r.restarts || r.failedCheckpoints || r.reExecuted
          ? `  !! job restarts ${r.restarts}, failed checkpoints ${r.failedCheckpoints}, tasks re-executed ${r.reExecuted}`
          : '';
      log(
        `${tag.padEnd(8)} ${w.padEnd(6)} ${IMPL_LABEL[impl].padEnd(15)} ${f0(r.ms).padStart(6)} ms (reply egress after ${f0(r.processMs)} ms)  ${r.ok ? 'ok' : `WRONG: ${r.why}`}  last checkpoint ${f0(r.stateKiB)} KiB${odd}`,
      );
      if (!r.ok) throw new Error(`${impl} ${w} returned a wrong result: ${r.why}`);
      if (rep > 0) runs.push(r);
    }
  }
  for (const n of LARGE) {
    const r = await runOnce('fanout', 'flink-tasks', n);
    log(
      `large    fanout ${String(n).padEnd(8)} flink-tasks ${f0(r.ms).padStart(6)} ms (reply egress after ${f0(r.processMs)} ms)  ${r.ok ? 'ok' : `WRONG: ${r.why}`}  state shipped ${statePerResult(r).toFixed(0)} B/result  last checkpoint ${f0(r.stateKiB)} KiB`,
    );
    if (!r.ok) throw new Error(`flink-tasks fan-out ${n} returned a wrong result: ${r.why}`);
    runs.push(r);
  }
  return runs;
}

try {
  console.log(`flink-tasks vs hand-written StateFun orchestration on Apache Flink StateFun 3.3.0 + Kafka (flink/bin/up.sh)`);
  console.log(`machine: ${machineLine()}`);
  const module = writeModule();
  moduleDir = dirname(module);
  const budgetEnd = Date.now() + 40 * 60_000;
  let runs: Run[] | undefined;
  for (let attempt = 1; !runs; attempt++) {
    try {
      await bringUp(module, budgetEnd);
      runs = await measure();
    } catch (err) {
      if (!(err instanceof Interference) || attempt >= ATTEMPTS) throw err;
      log(`attempt ${attempt} disturbed: ${err.message}; stopping what we started and trying again`);
      await bringDown();
    }
  }
  const encode0 = performance.now();
  submissionOf(inParallel(Array.from({ length: N }, (_, i) => noop.send(i))), 'flink-tasks.replies');
  const encodeMs = performance.now() - encode0;
  const pipelineBytes = codecs.taskRequest.encode(
    submissionOf(inParallel(Array.from({ length: N }, (_, i) => noop.send(i))), 'flink-tasks.replies').request,
  ).byteLength;

  printResults(runs);
  const after = await flinkInfo();
  const cpEnd = await checkpointCounts(await jobId());
  console.log('');
  console.log(`notes:`);
  console.log(
    `- exactly-once egress: a reply becomes visible to the read_committed consumer only when the checkpoint after it completes (interval ${after.interval}); this adds 0..1 interval + commit time to every end-to-end measurement, for both implementations alike, and quantises it (end to end - to egress = waiting for the checkpoint + commit + the consumer's fetch and decoding).`,
  );
  console.log(`- checkpoints over the whole run: ${after.checkpoints}; failed while measuring (warm-up included): ${cpEnd.failed - failedAtStart}`);
  console.log(
    `- checkpoint storage: ${CHECKPOINTS === 'filesystem' ? 'FileSystemCheckpointStorage in a temporary directory (up.sh state.checkpoints.dir=file:///tmp/...)' : "the launcher's default (JobManager memory storage, at most 5 MiB of state)"}; latest completed checkpoint when each measured run ended, in order (KiB): ${runs.map((r) => `${r.workflow} ${IMPL_LABEL[r.impl]} ${f0(r.stateKiB)}`).join(', ')}`,
  );
  console.log(
    `- flink-tasks fan-out request: ${(pipelineBytes / 1024).toFixed(0)} KiB on Kafka (the pipeline as a value: one task and its argument tuples), encoded in ${encodeMs.toFixed(0)} ms inside submit(); the hand-written request is a ${JSON.stringify({ requestId: randomUUID(), kind: 'fanout', n: N }).length}-byte JSON job.`,
  );
  for (const n of LARGE) {
    const bytes = codecs.taskRequest.encode(
      submissionOf(inParallel(Array.from({ length: n }, (_, i) => noop.send(i))), 'flink-tasks.replies').request,
    ).byteLength;
    console.log(
      `- fan-out ${n}: a ${(bytes / 1024).toFixed(0)} KiB submission, sent in ${Math.ceil(bytes / (900 * 1024 - 1100))} record(s) of at most 900 KiB (KafkaTasksClient maxBatchBytes)`,
    );
  }
  console.log(
    `- hand-written: one orchestrator key per job, work spread over ${SPREAD} worker addresses per job ("${IMPL_LABEL['hand-wide']}": ${FT_ADDRESSES}); flink-tasks splits a group above ${tasks.groupSplitThreshold} branches into child pipelines (${Math.ceil(N / tasks.groupSplitThreshold)} for ${N}), each with 16 worker addresses, ${FT_ADDRESSES} in all.`,
  );
  const digest = logDigest();
  console.log(`- statefun.log warnings/errors: ${digest.length === 0 ? 'none' : ''}`);
  for (const l of digest) console.log(`    ${l}`);
  console.log(`- hand-written function errors: ${handErrors.length === 0 ? 'none' : handErrors.slice(0, 5).join(' | ')}; HTTP 500s: ${server.errors}`);
  console.log(
    `machine at the end: load ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
} catch (err) {
  console.error(`[bench] FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
  log(`done in ${((performance.now() - t00) / 1000).toFixed(1)} s (this process)`);
}
