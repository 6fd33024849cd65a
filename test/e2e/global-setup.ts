/**
 * Global setup of the end-to-end suite: starts Kafka + StateFun with
 * `bash flink/bin/up.sh --fresh` (empty Kafka, no checkpoint to restore: every
 * run starts from the same state) and the worker process, and tears both down again
 * (worker by PID, then `bash flink/bin/down.sh`), also when setup fails half
 * way or the run is interrupted.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { isOurWorker, portOpen, recordedWorkerPid, REPO_ROOT, startWorker, stopWorker } from './support/worker-process.js';

export interface E2EContext {
  /** Scratch directory of this run (worker log, pidfile, markers written by tasks). */
  readonly runDir: string;
  readonly brokers: string[];
  readonly workerPort: number;
  /** Flink REST API of the MiniCluster. */
  readonly flinkRest: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2EContext;
  }
}

const WORKER_PORT = 18000;
const UP = join(REPO_ROOT, 'flink/bin/up.sh');
const DOWN = join(REPO_ROOT, 'flink/bin/down.sh');

function runScript(script: string, args: string[] = []): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [script, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited with ${code}`))));
  });
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runDir = mkdtempSync(join(tmpdir(), 'flink-tasks-e2e-'));
  const suiteStart = Date.now();
  let tornDown = false;
  // down.sh only once up.sh has run: a setup that bails out earlier (e.g. the
  // worker port is taken, perhaps by someone else's runtime) leaves Flink alone.
  let flinkTouched = false;

  const teardownSync = (): void => {
    // Last resort on process exit: synchronous, by PID only.
    if (tornDown) return;
    tornDown = true;
    const pid = recordedWorkerPid(runDir);
    if (pid !== undefined && isOurWorker(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (flinkTouched) spawnSync('bash', [DOWN], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (!process.env.E2E_KEEP_RUN_DIR) rmSync(runDir, { recursive: true, force: true });
  };
  process.once('exit', teardownSync);

  const teardown = async (): Promise<void> => {
    if (tornDown) return;
    tornDown = true;
    process.off('exit', teardownSync);
    const t0 = Date.now();
    const pid = recordedWorkerPid(runDir);
    try {
      if (pid !== undefined) await stopWorker(pid);
    } finally {
      if (flinkTouched) await runScript(DOWN).catch((err: unknown) => console.error(`[e2e] ${String(err)}`));
    }
    console.log(`[e2e] teardown ${seconds(Date.now() - t0)}; whole suite ${seconds(Date.now() - suiteStart)}`);
    if (process.env.E2E_KEEP_RUN_DIR) console.log(`[e2e] run dir kept: ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  };

  try {
    // Fail before spending half a minute on Flink if the worker cannot listen.
    if (await portOpen(WORKER_PORT)) throw new Error(`port ${WORKER_PORT} (the worker's) is already in use: stop what listens there`);
    const upStart = Date.now();
    flinkTouched = true;
    await runScript(UP, ['--fresh']);
    const upMs = Date.now() - upStart;
    const worker = await startWorker(runDir, WORKER_PORT);
    const timings = { flinkUpMs: upMs, workerStartMs: worker.startupMs, setupMs: Date.now() - suiteStart };
    writeFileSync(join(runDir, 'timings.json'), JSON.stringify(timings));
    console.log(`[e2e] flink up.sh ${seconds(upMs)}, worker ${seconds(worker.startupMs)} (pid ${worker.pid}, log ${worker.logFile})`);
    project.provide('e2e', { runDir, brokers: ['127.0.0.1:19092'], workerPort: WORKER_PORT, flinkRest: 'http://127.0.0.1:18081' });
  } catch (err) {
    try {
      console.error(readFileSync(join(runDir, 'worker.log'), 'utf8').slice(-4000));
    } catch {
      // no worker log yet
    }
    await teardown();
    throw err;
  }
  return teardown;
}
