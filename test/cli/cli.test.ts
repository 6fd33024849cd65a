import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, runCli, type ConnectionConfig } from '../../src/cli/cli.js';
import { FlinkTasks, inParallel, type TaskContext } from '../../src/index.js';
import { ObservedRuntime } from '../observe/observed-runtime.js';

const tasks = new FlinkTasks({ namespace: 'cli', workerName: 'worker' });
const double = tasks.bind('double', (x: number) => x * 2);
const sum = tasks.bind('sum', (xs: number[]) => xs.reduce((a, b) => a + b, 0));
const explode = tasks.bind('explode', (_previous: number, why: string): number => {
  throw new RangeError(why);
});
const gates = new Map<number, () => void>();
const held = new Map<number, Promise<void>>();
const gate = (key: number): Promise<void> => {
  let p = held.get(key);
  if (!p) {
    p = new Promise<void>((r) => gates.set(key, r));
    held.set(key, p);
  }
  return p;
};
const open = (key: number): void => {
  void gate(key);
  gates.get(key)?.();
};
const waitFor = tasks.bind('waitFor', async (x: number) => {
  await gate(x);
  return x;
});

const download = tasks.bind({ name: 'download', withContext: true }, async (ctx: TaskContext, key: number) => {
  ctx.progress(0.42, 'fetching part 3 of 7');
  await gate(key);
  return key;
});

const client = new ObservedRuntime(tasks);
const ok = inParallel([double.send(1).continueWith(double), double.send(2)]).continueWith(sum);
const bad = double.send(1).continueWith(explode, 'too big\u001b[31m');
const heldPipeline = waitFor.send(7).continueWith(double);
const env = { FLINK_TASKS_BROKERS: '127.0.0.1:19092' };

beforeAll(async () => {
  await client.submit(ok);
  await client.submit(bad).catch(() => undefined);
  void client.submit(heldPipeline).catch(() => undefined);
  while (!(await client.inspect(heldPipeline.id))) await new Promise((r) => setTimeout(r, 5));
});
afterAll(async () => {
  for (const key of [...gates.keys()]) open(key);
  await client.runtime.close();
});

async function run(argv: string[], options: { tty?: boolean; stop?: Promise<void>; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const configs: ConnectionConfig[] = [];
  const code = await runCli(
    argv,
    {
      stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false },
      stderr: { write: (s: string) => (stderr += s) },
      env: options.env ?? env,
      stopped: options.stop ?? new Promise(() => undefined),
    },
    async (config) => {
      configs.push(config);
      // the runtime is shared by the tests: closing it is afterAll's job
      return new Proxy(client, {
        get: (t, k) => {
          if (k === 'close') return async () => undefined;
          const v: unknown = Reflect.get(t, k, t);
          return typeof v === 'function' ? (v.bind(t) as unknown) : v;
        },
      });
    },
  );
  return { code, stdout, stderr, configs };
}

describe('flink-tasks list', () => {
  it('lists pipelines newest first with status, tasks and errors', async () => {
    const r = await run(['list']);
    expect(r.code).toBe(EXIT.ok);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+TASKS\s+SUBMITTED\s+TOOK\s+ERROR$/);
    expect(lines.find((l) => l.startsWith(ok.id))).toMatch(/COMPLETED\s+4\/4/);
    expect(lines.find((l) => l.startsWith(bad.id))).toMatch(/FAILED\s+1\/2 \(1 failed\).*RangeError: too big�\[31m \(in task explode\)/);
    expect(r.configs[0]).toEqual({ brokers: ['127.0.0.1:19092'], requestTopic: undefined, replyTopic: undefined, eventsTopic: undefined, timeoutMs: 30_000 });
  });

  it('filters by status, limits, and prints JSON', async () => {
    const r = await run(['list', '--status', 'failed,running', '--json', '--limit', '5']);
    const list = JSON.parse(r.stdout) as Array<{ id: string; status: string }>;
    expect(list.map((p) => p.status).sort()).toEqual(['FAILED', 'RUNNING']);
    expect((await run(['list', '--status', 'COMPLETED'])).stdout).not.toContain(bad.id);
    const all = JSON.parse((await run(['list', '--all', '--json'])).stdout) as Array<{ origin: string }>;
    expect(all.some((p) => p.origin === 'branch')).toBe(true);
    expect((JSON.parse((await run(['list', '--json'])).stdout) as Array<{ origin: string }>).some((p) => p.origin === 'branch')).toBe(false);
  });

  it('rejects a bad status or limit before connecting', async () => {
    const a = await run(['list', '--status', 'DONE']);
    expect([a.code, a.stderr, a.configs.length]).toEqual([EXIT.usage, expect.stringContaining("unknown status 'DONE'"), 0]);
    const b = await run(['list', '--limit', '0']);
    expect([b.code, b.stderr]).toEqual([EXIT.usage, expect.stringContaining('--limit must be between 1 and 100000, got 0')]);
    const c = await run(['list', '--limit', 'ten']);
    expect(c.stderr).toContain("--limit takes a whole number, got 'ten'");
  });
});

describe('flink-tasks status / result', () => {
  it('status shows the summary, the error with its stack, and each step', async () => {
    const r = await run(['status', bad.id]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain(`pipeline   ${bad.id}\nstatus     FAILED`);
    expect(r.stdout).toMatch(/error {6}RangeError: too big.*\(in task explode\)/);
    expect(r.stdout).toMatch(/\n {11}at /);
    expect(r.stdout).toMatch(/STEP\s+TASK\s+STATUS/);
    expect(r.stdout).toMatch(/1\s+explode\s+failed\s+0\/1 \(1 failed\)/);
    expect(r.stdout).not.toContain('\u001b');
    expect(JSON.parse((await run(['status', ok.id, '--json'])).stdout)).toMatchObject({ id: ok.id, status: 'COMPLETED', summary: { tasks: { done: 4 } } });
  });

  it('an unknown id is a clear error with exit code 3', async () => {
    for (const cmd of ['status', 'result', 'watch', 'pause', 'unpause', 'cancel']) {
      const r = await run([cmd, 'no-such-pipeline']);
      expect([cmd, r.code, r.stderr]).toEqual([cmd, EXIT.unknownId, "flink-tasks: no pipeline with id 'no-such-pipeline' (the runtime has no record of it)\n"]);
    }
  });

  it('result prints the value; a failed pipeline prints its error and exits 1; a running one has no result yet', async () => {
    expect(await run(['result', ok.id])).toMatchObject({ code: EXIT.ok, stdout: '8\n' });
    const f = await run(['result', bad.id]);
    expect(f.code).toBe(EXIT.pipelineFailed);
    expect(f.stderr).toContain(`pipeline '${bad.id}' failed: RangeError: too big`);
    const h = await run(['result', heldPipeline.id]);
    expect([h.code, h.stderr]).toEqual([EXIT.pipelineFailed, expect.stringContaining('is RUNNING: no result yet')]);
  });
});

describe('flink-tasks watch and actions', () => {
  it('watch of a finished pipeline prints its last line and its outcome', async () => {
    const r = await run(['watch', ok.id]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/^COMPLETED\s+\[#{20}\]\s+100%\s+4\/4 tasks/);
    const f = await run(['watch', bad.id]);
    expect(f.code).toBe(EXIT.pipelineFailed);
  });

  it('watch follows a running pipeline to its end; on a terminal the line is redrawn in place', async () => {
    const p = waitFor.send(1).continueWith(double);
    void client.submit(p).catch(() => undefined);
    while (!(await client.inspect(p.id))) await new Promise((r) => setTimeout(r, 5));
    const watching = run(['watch', p.id], { tty: true });
    await new Promise((r) => setTimeout(r, 300));
    open(1);
    const r = await watching;
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain('\r\u001b[2KRUNNING');
    expect(r.stdout).toMatch(/\r\u001b\[2KCOMPLETED\s+\[#{20}\]\s+100%\s+2\/2 tasks.*\n/);
    expect(r.stdout).toMatch(/pipeline .* COMPLETED in /);
  });

  it('watch shows what a running task reports with ctx.progress', async () => {
    const p = download.send(11).continueWith(double);
    void client.submit(p).catch(() => undefined);
    while (!(await client.inspect(p.id))?.entries.get(0)?.progress) await new Promise((r) => setTimeout(r, 5));
    const watching = run(['watch', p.id], { tty: true });
    await new Promise((r) => setTimeout(r, 100));
    open(11);
    const r = await watching;
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/\r\u001b\[2KRUNNING .*· download 42% fetching part 3 of 7/);
  });

  it('Ctrl-C stops watching and leaves the pipeline alone', async () => {
    const q = waitFor.send(2);
    void client.submit(q).catch(() => undefined);
    while (!(await client.inspect(q.id))) await new Promise((r) => setTimeout(r, 5));
    const r = await run(['watch', q.id], { stop: new Promise((res) => setTimeout(res, 100)) });
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain(`stopped watching; pipeline ${q.id} is still RUNNING`);
  });

  it('pause, unpause and cancel reach the client; refused actions exit 1', async () => {
    const p = waitFor.send(3).continueWith(double);
    void client.submit(p).catch(() => undefined);
    while (!(await client.inspect(p.id))) await new Promise((r) => setTimeout(r, 5));
    expect((await run(['pause', p.id])).stdout).toBe(`paused ${p.id} (status now PAUSED)\n`);
    expect((await run(['unpause', p.id])).stdout).toBe(`unpaused ${p.id} (status now RUNNING)\n`);
    const c = await run(['cancel', p.id]);
    expect(c.code).toBe(EXIT.ok);
    expect(c.stdout).toMatch(new RegExp(`^cancelled ${p.id} \\(status now CANCELL(ING|ED)\\)\\n$`));
    expect(client.actions).toEqual(expect.arrayContaining([`pause ${p.id}`, `unpause ${p.id}`, `cancel ${p.id}`]));
    const refused = await run(['cancel', ok.id]);
    expect([refused.code, refused.stderr]).toEqual([EXIT.pipelineFailed, expect.stringContaining('cancel refused:')]);
  });
});

describe('flink-tasks command line', () => {
  it('help, version, and usage errors', async () => {
    expect((await run(['--help'])).stdout).toContain('Usage: flink-tasks <command> [options]');
    expect((await run(['--version'])).stdout).toBe('0.1.0\n');
    const none = await run([]);
    expect([none.code, none.stderr]).toEqual([EXIT.usage, expect.stringContaining('Usage:')]);
    expect((await run(['frobnicate'])).stderr).toContain(
      "unknown command 'frobnicate' (one of list, status, result, watch, pause, unpause, cancel, dashboard)",
    );
    expect((await run(['status'])).stderr).toContain('status takes one pipeline id: flink-tasks status <id>');
    expect((await run(['status', 'a', 'b'])).code).toBe(EXIT.usage);
    expect((await run(['list', 'x'])).stderr).toContain("list takes no arguments, got 'x'");
    expect((await run(['status', 'a', '--limit', '3'])).stderr).toContain('status does not take --limit');
    expect((await run(['list', '--nope'])).stderr).toContain("Unknown option '--nope'");
  });

  it('needs brokers from --brokers or FLINK_TASKS_BROKERS; flags win over the environment', async () => {
    const r = await run(['list'], { env: {} });
    expect([r.code, r.stderr]).toEqual([
      EXIT.usage,
      expect.stringContaining('no Kafka brokers: pass --brokers host:port[,host:port] or set FLINK_TASKS_BROKERS'),
    ]);
    expect((await run(['list', '--brokers', 'kafka'])).stderr).toContain("a broker must be host:port, got 'kafka'");
    const f = await run(['list', '--brokers', 'a:1, b:2', '--events-topic', 'ev', '--timeout', '500'], {
      env: { ...env, FLINK_TASKS_EVENTS_TOPIC: 'env-ev', FLINK_TASKS_REPLY_TOPIC: 'rep' },
    });
    expect(f.configs[0]).toEqual({ brokers: ['a:1', 'b:2'], requestTopic: undefined, replyTopic: 'rep', eventsTopic: 'ev', timeoutMs: 500 });
  });

  it('a runtime it cannot reach is exit code 4', async () => {
    let stderr = '';
    const code = await runCli(
      ['list'],
      { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, env, stopped: new Promise(() => undefined) },
      async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:19092');
      },
    );
    expect([code, stderr]).toEqual([EXIT.unreachable, 'flink-tasks: could not connect to Kafka at 127.0.0.1:19092: connect ECONNREFUSED 127.0.0.1:19092\n']);
  });

  it('dashboard serves until stopped', async () => {
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((r) => (stop = r));
    const running = run(['dashboard', '--port', '0', '--allow-actions'], { stop: stopped });
    await new Promise((r) => setTimeout(r, 300));
    stop();
    const r = await running;
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/^dashboard at http:\/\/127\.0\.0\.1:\d+\/ {2}\(Ctrl-C stops it\)\n$/);
  });

  it('the installed bin runs: help and a usage error', async () => {
    const exec = promisify(execFile);
    const bin = new URL('../../dist/cli/main.js', import.meta.url).pathname;
    const help = await exec(process.execPath, [bin, '--help']);
    expect(help.stdout).toContain('Usage: flink-tasks');
    const err = await exec(process.execPath, [bin, 'list'], { env: { PATH: process.env.PATH ?? '' } }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: EXIT.usage, stderr: expect.stringContaining('no Kafka brokers') });
  });
});
