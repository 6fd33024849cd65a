/**
 * Logs that help: `info` for pipelines submitted and ended and for a worker
 * starting and stopping; `debug` for every task dispatch, result and retry,
 * with ids; `ctx.log` inside tasks carries the call's ids; and the default
 * logger stays quiet about all of it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  FlinkTasks,
  jsonLogger,
  LocalRuntime,
  ManualClock,
  RetryPolicy,
  silentLogger,
  TaskError,
  type LogEntry,
  type Logger,
  type TaskContext,
} from '../../src/index.js';
import { wantsDebug } from '../../src/core/log.js';
import { serve } from '../../src/server.js';

const tasks = new FlinkTasks({ namespace: 'logs', workerName: 'worker' });
let flakyCalls = 0;
const flaky = tasks.bind({ name: 'flaky', retry: new RetryPolicy({ maxRetries: 2, delayMs: 100 }) }, (x: number) => {
  if (++flakyCalls === 1) throw new RangeError('the quote service timed out');
  return x * 2;
});
const explode = tasks.bind('explode', (_x: number): number => {
  throw new TypeError('no such account');
});
const audit = tasks.bind({ name: 'audit', withContext: true }, (ctx: TaskContext, order: string) => {
  ctx.log({ level: 'info', message: 'charging the card', fields: { order, pipeline: 'forged' } });
  return order;
});
const badLog = tasks.bind({ name: 'badLog', withContext: true }, (ctx: TaskContext) => {
  (ctx.log as (entry: unknown) => void)('just a string');
});

const capture = (): { logger: Logger; entries: LogEntry[] } => {
  const entries: LogEntry[] = [];
  return { entries, logger: (e) => entries.push(e) };
};
const lines = (entries: readonly LogEntry[], level?: LogEntry['level']) =>
  entries.filter((e) => level === undefined || e.level === level).map((e) => e.message);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('logs at debug', () => {
  it('a retried task prints its dispatch, its failed attempt with the retry, and its result, with ids', async () => {
    flakyCalls = 0;
    const { logger, entries } = capture();
    const clock = new ManualClock(0);
    const runtime = new LocalRuntime(tasks, { logger, clock });
    try {
      const p = flaky.send(21).withId('logs-retried');
      const result = runtime.submit(p);
      await runtime.idle();
      await clock.advance(100);
      expect(await result).toBe(42);
      const ids = { pipeline: p.id, rootPipeline: p.id, task: 'flaky', taskId: `${p.id}/1.0`, uid: 0 };
      expect(entries).toContainEqual({ level: 'info', message: 'pipeline submitted', fields: expect.objectContaining({ pipeline: p.id, run: 1 }) });
      expect(entries).toContainEqual({
        level: 'debug',
        message: 'task dispatched',
        fields: expect.objectContaining({ ...ids, attempt: 0, worker: `logs/worker/${p.id}~0` }),
      });
      expect(entries).toContainEqual({
        level: 'debug',
        message: 'task failed; retrying',
        fields: expect.objectContaining({
          ...ids,
          attempt: 0,
          errorType: 'RangeError',
          error: 'the quote service timed out',
          retryInMs: 100,
          nextAttempt: 1,
        }),
      });
      expect(entries).toContainEqual({ level: 'debug', message: 'task succeeded', fields: expect.objectContaining({ ...ids, attempt: 1 }) });
      expect(entries).toContainEqual({
        level: 'info',
        message: 'pipeline completed',
        fields: expect.objectContaining({ pipeline: p.id, status: 'COMPLETED' }),
      });
      // In order: dispatched, failed and retried, succeeded, completed.
      const order = lines(entries).filter((m) => m.startsWith('task') || m.startsWith('pipeline'));
      expect(order).toEqual(['pipeline submitted', 'task dispatched', 'task failed; retrying', 'task succeeded', 'pipeline completed']);
    } finally {
      await runtime.close();
    }
  });

  it("a failed pipeline prints the failing task and the pipeline's failure at info, with its error", async () => {
    const { logger, entries } = capture();
    const runtime = new LocalRuntime(tasks, { logger });
    try {
      const p = flaky.send(1).continueWith(explode).withId('logs-failed');
      flakyCalls = 1;
      await expect(runtime.submit(p)).rejects.toBeInstanceOf(TaskError);
      expect(entries).toContainEqual({
        level: 'debug',
        message: 'task failed',
        fields: expect.objectContaining({
          pipeline: p.id,
          task: 'explode',
          uid: 1,
          attempt: 0,
          errorType: 'TypeError',
          error: 'no such account',
        }),
      });
      expect(entries).toContainEqual({
        level: 'info',
        message: 'pipeline failed',
        fields: expect.objectContaining({
          pipeline: p.id,
          rootPipeline: p.id,
          status: 'FAILED',
          errorType: 'TypeError',
          error: 'no such account',
          failedTask: 'explode',
        }),
      });
      expect(lines(entries, 'info')).toEqual(['pipeline submitted', 'pipeline failed']);
    } finally {
      await runtime.close();
    }
  });

  it('child pipelines log at debug, so that info stays one line per submitted pipeline', async () => {
    const { logger, entries } = capture();
    const runtime = new LocalRuntime(tasks, { logger });
    const fanOut = tasks.bind('fanOut', (n: number) => flaky.send(n).continueWith(flaky));
    try {
      flakyCalls = 1;
      const p = fanOut.send(1).withId('logs-child');
      expect(await runtime.submit(p)).toBe(4);
      expect(lines(entries, 'info')).toEqual(['pipeline submitted', 'pipeline completed']);
      expect(entries).toContainEqual({
        level: 'debug',
        message: 'task returned a pipeline',
        fields: expect.objectContaining({ pipeline: p.id, task: 'fanOut', childPipeline: `${p.id}/1.0` }),
      });
      expect(entries).toContainEqual({
        level: 'debug',
        message: 'pipeline submitted',
        fields: expect.objectContaining({ pipeline: `${p.id}/1.0`, parentPipeline: p.id, rootPipeline: p.id }),
      });
    } finally {
      await runtime.close();
    }
  });
});

describe('the default logger', () => {
  it('prints none of these lines (it shows warnings and errors only)', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    flakyCalls = 0;
    const clock = new ManualClock(0);
    const runtime = new LocalRuntime(tasks, { clock });
    try {
      const retried = runtime.submit(flaky.send(1).withId('quiet-retried'));
      await runtime.idle();
      await clock.advance(100);
      expect(await retried).toBe(2);
      await expect(runtime.submit(explode.send(1).withId('quiet-failed'))).rejects.toBeInstanceOf(TaskError);
      await runtime.submit(audit.send('order-7'));
    } finally {
      await runtime.close();
    }
    vi.restoreAllMocks();
    expect(written).toEqual([]);
    // and jsonLogger at debug does print them, as JSON lines
    const shown: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      shown.push(String(chunk));
      return true;
    });
    jsonLogger('debug')({ level: 'debug', message: 'task dispatched', fields: { pipeline: 'p' } });
    jsonLogger()({ level: 'info', message: 'pipeline submitted', fields: { pipeline: 'p' } });
    vi.restoreAllMocks();
    expect(shown).toHaveLength(1);
    expect(JSON.parse(shown[0]!)).toMatchObject({ level: 'debug', msg: 'task dispatched', pipeline: 'p' });
  });
});

describe('a logger that says its level', () => {
  it('is given no debug line (the hot paths do not make them), but everything at its level and above', async () => {
    const entries: LogEntry[] = [];
    const logger: Logger = Object.assign((e: LogEntry) => void entries.push(e), { level: 'info' as const });
    expect([wantsDebug(logger), wantsDebug(jsonLogger('debug')), wantsDebug(silentLogger), wantsDebug(() => undefined)]).toEqual([false, true, false, true]);
    flakyCalls = 0;
    const clock = new ManualClock(0);
    const runtime = new LocalRuntime(tasks, { logger, clock });
    try {
      const p = flaky.send(3).withId('levelled');
      const result = runtime.submit(p);
      await runtime.idle();
      await clock.advance(100);
      expect(await result).toBe(6);
    } finally {
      await runtime.close();
    }
    expect(entries.filter((e) => e.level === 'debug')).toEqual([]);
    expect(lines(entries, 'info')).toEqual(expect.arrayContaining(['pipeline submitted', 'pipeline completed']));
  });
});

describe('ctx.log', () => {
  it("goes to the worker's logger with the call's ids (which a task cannot overwrite)", async () => {
    const { logger, entries } = capture();
    const runtime = new LocalRuntime(tasks, { logger });
    try {
      const p = audit.send('order-7').withId('logs-ctx');
      await runtime.submit(p);
      expect(entries).toContainEqual({
        level: 'info',
        message: 'charging the card',
        fields: {
          order: 'order-7',
          pipeline: p.id,
          rootPipeline: p.id,
          task: 'audit',
          taskId: `${p.id}/1.0`,
          attempt: 0,
        },
      });
    } finally {
      await runtime.close();
    }
  });

  it('refuses what is not a log entry with a TypeError at the call', async () => {
    const runtime = new LocalRuntime(tasks, { logger: () => undefined });
    try {
      const error = await runtime.submit(badLog.send()).catch((e: unknown) => e);
      expect(error).toMatchObject({
        errorType: 'TypeError',
        message: "task 'badLog': ctx.log takes { level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: {...} }",
      });
    } finally {
      await runtime.close();
    }
  });
});

describe('serve', () => {
  it('logs the worker starting and stopping at info', async () => {
    const { logger, entries } = capture();
    const served = await serve(tasks, { port: 0, logger });
    expect(entries).toEqual([
      {
        level: 'info',
        message: 'flink-tasks worker started',
        fields: {
          url: served.url,
          functions: ['logs/pipeline', 'logs/worker'],
          background: false,
        },
      },
    ]);
    await served.close();
    await served.close();
    expect(lines(entries)).toEqual(['flink-tasks worker started', 'flink-tasks worker stopped']);
  });
});
