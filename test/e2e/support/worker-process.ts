/**
 * Starting and stopping the worker process (test/e2e/fixtures/worker.ts) by
 * PID. Used by the global setup and by the test that kills the worker.
 *
 * The worker's output goes to a log file (not a pipe), so the worker does not
 * depend on the process that started it staying alive; its PID is written to
 * `<runDir>/worker.pid`, which the global teardown reads to stop whichever
 * worker is running last.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const WORKER_ENTRY = join(REPO_ROOT, 'test/e2e/fixtures/worker.ts');
/** Marker argument (ignored by the worker): we only ever signal processes that carry it. */
const ROLE_FLAG = '--flink-tasks-e2e-worker';

export interface WorkerHandle {
  readonly pid: number;
  readonly port: number;
  readonly logFile: string;
  /** Milliseconds from spawn until the port accepted a connection. */
  readonly startupMs: number;
}

/** Resolves when 127.0.0.1:`port` accepts a TCP connection (polled every 100 ms). */
export async function waitForPort(port: number, timeoutMs: number, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        res(true);
      });
      socket.once('error', () => res(false));
    });
    if (ok) return;
    if (!alive()) throw new Error(`the process meant to listen on port ${port} exited`);
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether something accepts connections on 127.0.0.1:`port` right now. */
export async function portOpen(port: number): Promise<boolean> {
  return new Promise<boolean>((res) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      res(true);
    });
    socket.once('error', () => res(false));
  });
}

/** Whether `pid` is a live (non-zombie) worker process started by these tests. */
export function isOurWorker(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(ROLE_FLAG);
  } catch {
    return false;
  }
}

/**
 * Starts the worker on `port` and waits until the port accepts connections.
 * `env`: extra environment variables (e.g. E2E_WORKER_CALL_BUDGET_MS, see
 * fixtures/worker.ts).
 */
export async function startWorker(runDir: string, port: number, timeoutMs = 60_000, env: Readonly<Record<string, string>> = {}): Promise<WorkerHandle> {
  // A killed worker's listening socket can outlive its PID by a moment (the
  // main thread is reaped before the others have closed the files): wait.
  const freeBy = Date.now() + 10_000;
  while (await portOpen(port)) {
    if (Date.now() > freeBy) throw new Error(`port ${port} is already in use: stop the process listening there first`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const logFile = join(runDir, 'worker.log');
  const fd = openSync(logFile, 'a');
  const started = Date.now();
  let exited = false;
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER_ENTRY, ROLE_FLAG], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, E2E_WORKER_PORT: String(port) },
      stdio: ['ignore', fd, fd],
      detached: false,
    });
    child.once('exit', () => {
      exited = true;
    });
    if (child.pid === undefined) throw new Error('could not spawn the worker process');
    // Do not keep the starting process alive for the worker's sake.
    child.unref();
    writeFileSync(join(runDir, 'worker.pid'), `${child.pid}\n`);
    await waitForPort(port, timeoutMs, () => !exited);
    return { pid: child.pid, port, logFile, startupMs: Date.now() - started };
  } finally {
    closeSync(fd);
  }
}

/** Sends `signal` to worker `pid` and waits until it is gone (SIGKILL after `graceMs`). */
export async function stopWorker(pid: number, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> {
  if (!isOurWorker(pid)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + graceMs;
  while (isOurWorker(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      while (isOurWorker(pid)) await new Promise((r) => setTimeout(r, 50));
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The PID in `<runDir>/worker.pid`, if any. */
export function recordedWorkerPid(runDir: string): number | undefined {
  const file = join(runDir, 'worker.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}
