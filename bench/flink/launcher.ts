/**
 * Starting and stopping the flink/ launcher for the benchmark: waiting until
 * nobody else uses it, writing the module.yaml, creating the extra topics,
 * and reading the CPU time of its JVMs.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FLINK = join(ROOT, 'flink');
const RUN_DIR = join(FLINK, '.run');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function launcherProcesses(): Promise<string[]> {
  try {
    const { stdout } = await run('pgrep', ['-f', '--', '-Dflinktasks.role=']);
    return stdout.split('\n').filter(Boolean);
  } catch (err) {
    if ((err as { code?: number }).code === 1) return []; // pgrep: nothing matched
    throw err;
  }
}

/**
 * Waits until no launcher process (command line with `-Dflinktasks.role=`)
 * has existed for `quietMs` continuously. Returns the time waited.
 */
export async function waitForLauncherFree(log: (s: string) => void, quietMs = 30_000, pollMs = 3_000, maxMs = 40 * 60_000): Promise<number> {
  const start = Date.now();
  let quietSince = Date.now();
  let reported = 0;
  for (;;) {
    const pids = await launcherProcesses();
    const now = Date.now();
    if (pids.length > 0) {
      quietSince = now;
      if (now - reported > 60_000) {
        log(`launcher in use by another process (pids ${pids.join(', ')}); waiting (${((now - start) / 1000).toFixed(0)} s so far)`);
        reported = now;
      }
    } else if (now - quietSince >= quietMs) {
      return now - start;
    }
    if (now - start > maxMs) throw new Error(`the launcher was still in use after ${maxMs / 60_000} min; giving up`);
    await sleep(pollMs);
  }
}

/** flink/module.yaml plus bench/flink/module.hand.yaml, written to a fresh temporary directory. */
export function writeModule(): string {
  const base = readFileSync(join(FLINK, 'module.yaml'), 'utf8');
  const extra = readFileSync(new URL('./module.hand.yaml', import.meta.url), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'flink-tasks-bench-'));
  const path = join(dir, 'module.yaml');
  writeFileSync(path, `${base.trimEnd()}\n---\n${extra}`);
  return path;
}

/**
 * Runs `flink/bin/up.sh --fresh` with `FLINK_TASKS_MODULE=module` (a clean
 * runtime: no Kafka data or checkpoint of an earlier run). As soon as Kafka
 * is ready (the launcher's own topics exist, before StateFun starts), creates
 * `topics`, so StateFun's ingress finds them at its start.
 */
export async function startFlink(module: string, topics: string[], log: (s: string) => void, flinkArgs: string[] = []): Promise<void> {
  const child = spawn('bash', [join(FLINK, 'bin/up.sh'), '--fresh', ...flinkArgs], { env: { ...process.env, FLINK_TASKS_MODULE: module }, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (l) => log(l));
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  let done = false;
  void exited.then(() => (done = true));
  const created = createTopicsWhenReady(topics, () => done, log);
  const code = await exited;
  if (code !== 0) throw new Error(`flink/bin/up.sh exited with ${code}`);
  if (!(await created)) {
    // StateFun is up but we never saw Kafka ready in time: create now (the ingress may have to restart).
    await createTopics(topics, true, log);
  }
}

async function createTopicsWhenReady(topics: string[], finished: () => boolean, log: (s: string) => void): Promise<boolean> {
  while (!finished()) {
    try {
      if (await createTopics(topics, false, log)) return true;
    } catch {
      // Kafka not up yet
    }
    await sleep(300);
  }
  return false;
}

/** Creates `topics` once the launcher's topics exist (or at once when `force`); true when done. */
async function createTopics(topics: string[], force: boolean, log: (s: string) => void): Promise<boolean> {
  const kafka = new Kafka({ clientId: 'flink-tasks-bench-admin', brokers: ['127.0.0.1:19092'], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1000 });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    if (!force && !existing.has('flink-tasks.events')) return false;
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })), waitForLeaders: true });
      log(`created topics ${missing.join(', ')}`);
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}

function pidFileTime(role: string): number | undefined {
  try {
    return statSync(join(RUN_DIR, `${role}.pid`)).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Stops the runtime with flink/bin/down.sh, but only if its pid files were
 * written by a start at or after `startedAt` (ours), never someone else's.
 */
export async function stopFlink(startedAt: number, log: (s: string) => void): Promise<void> {
  const ours = ['kafka', 'statefun'].some((role) => (pidFileTime(role) ?? 0) >= startedAt - 1000);
  if (!ours) return;
  const { stdout, stderr } = await run('bash', [join(FLINK, 'bin/down.sh')]).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? '', stderr: e.stderr ?? JSON.stringify(e) }));
  for (const l of `${stdout}${stderr}`.split('\n').filter(Boolean)) log(l);
}

/** The pids of the runtime now recorded in flink/.run (after our up.sh succeeded: ours). */
export function runtimePids(): { kafka: number; statefun: number } {
  const read = (role: string) => Number(readFileSync(join(RUN_DIR, `${role}.pid`), 'utf8').trim());
  return { kafka: read('kafka'), statefun: read('statefun') };
}

/** Whether `pid` is still the launcher's JVM of `role`. */
export function alive(pid: number, role: 'kafka' | 'statefun'): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(`-Dflinktasks.role=${role}`);
  } catch {
    return false;
  }
}

/** Distinct WARN/ERROR lines of the runtime's statefun.log (timestamps stripped), most frequent first. */
export function logDigest(max = 6): string[] {
  let text: string;
  try {
    text = readFileSync(join(RUN_DIR, 'statefun.log'), 'utf8');
  } catch {
    return [];
  }
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^\d\d:\d\d:\d\d,\d+ (WARN|ERROR)\s+(.*)$/.exec(line);
    if (!m) continue;
    const key = `${m[1]} ${m[2]!.replace(/\s+/g, ' ').slice(0, 200)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, max).map(([l, n]) => `${n}x ${l}`);
}

const REST = 'http://127.0.0.1:18081';
async function rest<T>(path: string): Promise<T> {
  const res = await fetch(`${REST}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Id of the running StateFun job. */
export async function jobId(): Promise<string> {
  const overview = await rest<{ jobs: Array<{ jid: string; state: string }> }>('/jobs/overview');
  const job = overview.jobs.find((j) => j.state === 'RUNNING' || j.state === 'RESTARTING') ?? overview.jobs[0];
  if (!job) throw new Error('no StateFun job');
  return job.jid;
}

/** How often the job restarted so far (Flink metric numRestarts), NaN if unknown. */
export async function numRestarts(jid: string): Promise<number> {
  try {
    const m = await rest<Array<{ id: string; value: string }>>(`/jobs/${jid}/metrics?get=numRestarts`);
    return Number(m[0]?.value ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}

/** Checkpoint counters and the latest completed checkpoint's state size (bytes). */
export async function checkpointCounts(jid: string): Promise<{ completed: number; failed: number; stateSize: number }> {
  try {
    const c = await rest<{ counts?: { completed?: number; failed?: number }; latest?: { completed?: { state_size?: number } | null } }>(`/jobs/${jid}/checkpoints`);
    return { completed: c.counts?.completed ?? Number.NaN, failed: c.counts?.failed ?? Number.NaN, stateSize: c.latest?.completed?.state_size ?? Number.NaN };
  } catch {
    return { completed: Number.NaN, failed: Number.NaN, stateSize: Number.NaN };
  }
}

const CLK_TCK = 100;
/** User + system CPU milliseconds of the launcher's JVM `role` (kafka, statefun), or NaN. */
export function jvmCpuMs(role: 'kafka' | 'statefun'): number {
  try {
    const pid = readFileSync(join(RUN_DIR, `${role}.pid`), 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}
