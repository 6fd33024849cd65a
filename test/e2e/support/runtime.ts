/**
 * Controlling the local runtime of flink/ from a test: its processes (by the
 * PIDs flink/bin/up.sh recorded, never by name), `bash flink/bin/up.sh` the
 * documented way, and what Flink's REST API says about restarts.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2e } from './env.js';
import { REPO_ROOT } from './worker-process.js';

const RUN_DIR = join(REPO_ROOT, 'flink/.run');
const UP = join(REPO_ROOT, 'flink/bin/up.sh');

export type RuntimeRole = 'kafka' | 'statefun';

/** The PID up.sh recorded for `role`, if that process is alive and really ours. */
export function rolePid(role: RuntimeRole): number | undefined {
  try {
    const pid = Number(readFileSync(join(RUN_DIR, `${role}.pid`), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return undefined;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.includes(`-Dflinktasks.role=${role}`) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Sends `signal` to the process of `role` and resolves when it is gone; returns its PID. */
export async function stopRole(role: RuntimeRole, signal: NodeJS.Signals, timeoutMs = 60_000): Promise<number> {
  const pid = rolePid(role);
  if (pid === undefined) throw new Error(`${role} is not running (no live pid in flink/.run/${role}.pid)`);
  process.kill(pid, signal);
  const deadline = Date.now() + timeoutMs;
  while (rolePid(role) === pid) {
    if (Date.now() > deadline) throw new Error(`${role} (pid ${pid}) still alive ${timeoutMs} ms after ${signal}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return pid;
}

/** Runs `bash flink/bin/up.sh` (the documented way back after a crash); resolves with its output. */
export function runUp(args: string[] = []): Promise<{ output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [UP, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve({ output, ms: Date.now() - started });
      else reject(new Error(`flink/bin/up.sh exited with ${code}:\n${output}`));
    });
  });
}

async function rest<T>(path: string): Promise<T> {
  const res = await fetch(`${e2e().flinkRest}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** The RUNNING job of the MiniCluster (one job at a time). */
export async function runningJob(): Promise<{ id: string; state: string }> {
  const { jobs } = await rest<{ jobs: Array<{ jid: string; state: string }> }>('/jobs/overview');
  const job = jobs.find((j) => j.state === 'RUNNING');
  if (!job) throw new Error(`no RUNNING Flink job: ${JSON.stringify(jobs)}`);
  return { id: job.jid, state: job.state };
}

/**
 * How often Flink has restarted job `jobId`: its numRestarts metric. The REST
 * API serves metrics it fetched up to 10 s earlier (and none in the first
 * seconds of a job), so this polls until the metric is there; for what just
 * happened, see {@link jobFailures}.
 */
export async function jobRestarts(jobId: string, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const metrics = await rest<Array<{ id: string; value: string }>>(`/jobs/${jobId}/metrics?get=numRestarts`);
    const value = metrics.find((m) => m.id === 'numRestarts')?.value;
    if (value !== undefined) return Number(value);
    if (Date.now() > deadline) throw new Error(`job ${jobId} reports no numRestarts metric after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Failures of job `jobId` recorded so far (each one restarts the job): its exception history, without delay. */
export async function jobFailures(jobId: string): Promise<number> {
  const exceptions = await rest<{ exceptionHistory?: { entries?: unknown[] } }>(`/jobs/${jobId}/exceptions`);
  return exceptions.exceptionHistory?.entries?.length ?? 0;
}
