/**
 * Every task bounded and controllable: timeouts, cancellation that reaches
 * the task, pausing after an entry, chosen ids, retries by class hierarchy.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FlinkTasks, inParallel, LocalRuntime, ManualClock, RetryPolicy, silentLogger, TaskError, type TaskContext } from '../../src/index.js';
import { gate } from '../fixtures.js';

const tasks = new FlinkTasks({ namespace: 'life', workerName: 'worker' });
const calls: string[] = [];
const aborted: string[] = [];

const hang = tasks.bind({ name: 'hang', withContext: true, timeoutMs: 1_000 }, async (ctx: TaskContext, name: string) => {
  calls.push(name);
  gate(name).entered();
  ctx.signal.addEventListener('abort', () => aborted.push(`${name}: ${(ctx.signal.reason as Error).message}`));
  await gate(name).opened;
  return `${name} finished`;
});
const slowIgnoring = tasks.bind(
  { name: 'slowIgnoring', timeoutMs: 500, retry: new RetryPolicy({ maxRetries: 2, retryFor: ['TaskTimeout'] }) },
  async (name: string) => {
    calls.push(name);
    gate(`${name}-${calls.length}`).entered();
    await gate(`${name}-${calls.length}`).opened;
    return 'late';
  },
);
const quick = tasks.bind('quick', (x: number) => x + 1);
const shout = tasks.bind('shout', (s: string) => s.toUpperCase());
class QuotaError extends RangeError {}
let quotaCalls = 0;
const quota = tasks.bind({ name: 'quota', retry: new RetryPolicy({ maxRetries: 1, retryFor: ['RangeError'] }) }, () => {
  quotaCalls += 1;
  if (quotaCalls === 1) throw new QuotaError('over quota');
  return 'second time lucky';
});
const wrongType = tasks.bind({ name: 'wrongType', retry: new RetryPolicy({ maxRetries: 3, retryFor: ['TypeError'] }) }, (): number => {
  throw new QuotaError('not a TypeError');
});

const clock = new ManualClock(0);
const runtime = new LocalRuntime(tasks, { logger: silentLogger, clock });
afterAll(() => runtime.close());

describe('timeouts', () => {
  it('a call running past timeoutMs fails with TaskTimeout; its signal is aborted; a late result is dropped', async () => {
    const p = hang.send('t1');
    const result = runtime.submit(p).then(
      () => 'resolved',
      (e: unknown) => e,
    );
    await gate('t1').reached;
    await clock.advance(999);
    expect(aborted).toEqual([]);
    await clock.advance(1);
    const error = await result;
    expect(error).toBeInstanceOf(TaskError);
    expect(error).toMatchObject({ errorType: 'TaskTimeout', message: expect.stringContaining('timeout of 1000 ms') });
    expect(aborted).toEqual(['t1: timed out after 1000 ms']);
    gate('t1').open();
    await runtime.idle();
    expect(await runtime.status(p)).toBe('FAILED');
  });

  it('the retry policy applies to TaskTimeout like any error', async () => {
    calls.length = 0;
    const result = runtime.submit(slowIgnoring.send('r')).catch((e: unknown) => e);
    await gate('r-1').reached;
    await clock.advance(500);
    await gate('r-2').reached;
    await clock.advance(500);
    await gate('r-3').reached;
    await clock.advance(500);
    expect(await result).toMatchObject({ errorType: 'TaskTimeout' });
    expect(calls).toEqual(['r', 'r', 'r']);
  });

  it('set({ timeoutMs }) overrides the bound timeout per entry', async () => {
    const p = hang.send('t2').set({ timeoutMs: 50 });
    const result = runtime.submit(p).catch((e: unknown) => e);
    await gate('t2').reached;
    await clock.advance(50);
    expect(await result).toMatchObject({ errorType: 'TaskTimeout', message: expect.stringContaining('50 ms') });
    gate('t2').open();
  });

  it.each([-1, 0, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses timeoutMs %s at the call that sets it', (bad) => {
    expect(() => quick.send(1).set({ timeoutMs: bad })).toThrow(/set\(\{ timeoutMs \}\) must be a whole number of milliseconds > 0/);
    expect(() => tasks.bind({ name: `bad-${String(bad)}`, timeoutMs: bad }, () => 1)).toThrow(/timeoutMs.*must be a whole number of milliseconds > 0/);
  });
});

describe('cancellation reaches running tasks', () => {
  it('cancel aborts the signal of the task running for the pipeline; its result is dropped', async () => {
    aborted.length = 0;
    const p = hang.send('c1').set({ timeoutMs: 60_000 });
    const result = runtime.submit(p).catch((e: unknown) => e);
    await gate('c1').reached;
    await runtime.cancel(p);
    expect(TaskError.isCancellation(await result)).toBe(true);
    await runtime.idle();
    expect(aborted).toEqual([`c1: pipeline '${p.id}' was cancelled`]);
    gate('c1').open();
    await runtime.idle();
    expect(await runtime.status(p)).toBe('CANCELLED');
  });

  it('reaches the tasks of child pipelines (branches) too', async () => {
    aborted.length = 0;
    const p = inParallel([hang.send('c2').continueWith(shout), hang.send('c3')]);
    const result = runtime.submit(p).catch((e: unknown) => e);
    await gate('c2').reached;
    await gate('c3').reached;
    await runtime.cancel(p);
    expect(TaskError.isCancellation(await result)).toBe(true);
    await runtime.idle();
    expect(aborted.sort()).toEqual([expect.stringMatching(/^c2: pipeline '.*\/1\.\d+\.0' was cancelled$/), `c3: pipeline '${p.id}' was cancelled`].sort());
    gate('c2').open();
    gate('c3').open();
  });
});

describe('pauseAfter', () => {
  it('pauses once the marked entry has finished, until unpause', async () => {
    const p = quick.send(1).pauseAfter().continueWith(quick);
    const result = runtime.submit(p);
    await runtime.idle();
    expect(await runtime.status(p)).toBe('PAUSED');
    await runtime.unpause(p);
    expect(await result).toBe(3);
  });

  it('after a group, and after the last entry (the pipeline ends when unpaused)', async () => {
    const p = inParallel([quick.send(1), quick.send(2)]).pauseAfter();
    const result = runtime.submit(p);
    await runtime.idle();
    expect(await runtime.status(p)).toBe('PAUSED');
    await runtime.unpause(p);
    expect(await result).toEqual([2, 3]);
  });
});

describe('chosen ids', () => {
  it('withId runs the pipeline under that id, kept by later steps', async () => {
    const p = quick.send(1).withId('order-42').continueWith(quick);
    expect(p.id).toBe('order-42');
    expect(await runtime.submit(p)).toBe(3);
    expect(await runtime.status('order-42')).toBe('COMPLETED');
  });

  it.each(['', 'a/b', 'x'.repeat(201), 'has space', 'flinktasks.cancel', '-starts-with-dash'])('refuses the id %j with a clear error', (id) => {
    expect(() => quick.send(1).withId(id)).toThrow(/withId: .*(not a valid pipeline id|reserved)/);
  });
});

describe('retries by class hierarchy', () => {
  it('retryFor names an ancestor class: a subclass is retried', async () => {
    const result = runtime.submit(quota.send());
    await runtime.idle();
    await clock.advance(0);
    expect(await result).toBe('second time lucky');
    expect(quotaCalls).toBe(2);
  });

  it('an error outside retryFor is not retried; the error carries its class chain', async () => {
    const error = await runtime.submit(wrongType.send()).catch((e: unknown) => e as TaskError);
    expect(error).toMatchObject({ errorType: 'QuotaError', errorTypes: ['QuotaError', 'RangeError', 'Error'] });
  });
});

describe('idempotent submission and waiting for results', () => {
  it("ifRunning: attach resolves with the running pipeline's outcome; the default still rejects", async () => {
    const p = hang.send('a1').set({ timeoutMs: 60_000 }).withId('attach-me');
    const first = runtime.submit(p);
    await gate('a1').reached;
    await expect(runtime.submit(p)).rejects.toMatchObject({ errorType: 'PipelineAlreadyRunning' });
    const attached = runtime.submit(p, { ifRunning: 'attach' });
    const waited = runtime.result('attach-me', { wait: true });
    await expect(runtime.result('attach-me')).rejects.toMatchObject({ errorType: 'PipelineNotFinished', message: expect.stringContaining('{ wait: true }') });
    gate('a1').open();
    expect(await first).toBe('a1 finished');
    expect(await attached).toBe('a1 finished');
    expect(await waited).toBe('a1 finished');
    expect(calls.filter((c) => c === 'a1')).toHaveLength(1);
  });

  it('with nothing running, attach simply runs the pipeline', async () => {
    expect(await runtime.submit(quick.send(41).withId('fresh-attach'), { ifRunning: 'attach' })).toBe(42);
  });

  it('refuses options that make no sense at the call', async () => {
    await expect(runtime.submit(quick.send(1), { delayMs: -5 })).rejects.toThrow(/delayMs must be a finite number of milliseconds >= 0/);
    await expect(runtime.submit(quick.send(1), { delayMs: Number.NaN })).rejects.toThrow(/delayMs/);
    await expect(runtime.submit(quick.send(1), { ifRunning: 'merge' as 'attach' })).rejects.toThrow(/ifRunning must be 'reject' or 'attach'/);
  });
});

describe('delayed start', () => {
  it('is PENDING until the delay has passed, then runs', async () => {
    const p = quick.send(1).withId('later');
    const result = runtime.submit(p, { delayMs: 60_000 });
    await runtime.idle();
    expect(await runtime.status(p)).toBe('PENDING');
    await clock.advance(59_999);
    expect(await runtime.status(p)).toBe('PENDING');
    await clock.advance(1);
    expect(await result).toBe(2);
  });

  it('can be cancelled while it waits, and then never runs', async () => {
    calls.length = 0;
    const p = hang.send('never').withId('cancel-before-start');
    const result = runtime.submit(p, { delayMs: 10_000 }).catch((e: unknown) => e);
    await runtime.idle();
    await runtime.cancel(p);
    expect(TaskError.isCancellation(await result)).toBe(true);
    await clock.advance(10_000);
    await runtime.idle();
    expect(calls).toEqual([]);
    expect(await runtime.status(p)).toBe('CANCELLED');
  });
});

describe('argument checks', () => {
  it('fewer arguments than the task requires fail with TaskArgumentError, never retried', async () => {
    let runs = 0;
    const needsTwo = tasks.bind({ name: 'needsTwo', retry: new RetryPolicy({ maxRetries: 3 }) }, (a: number, b: number) => {
      runs += 1;
      return a + b;
    });
    const untyped = needsTwo.send as unknown as (...args: unknown[]) => ReturnType<typeof needsTwo.send>;
    await expect(runtime.submit(untyped(1))).rejects.toMatchObject({
      errorType: 'TaskArgumentError',
      message: expect.stringContaining('takes at least 2 arguments, but was called with 1'),
    });
    expect(runs).toBe(0);
    // Optional and rest parameters are not required; extra arguments are passed on, as JavaScript does.
    const optional = tasks.bind('optional', (a: number, b = 10, ...rest: number[]) => a + b + rest.length);
    expect(await runtime.submit(optional.send(1))).toBe(11);
    expect(await runtime.submit(optional.send(1, 2, 3, 4))).toBe(5);
  });
});
