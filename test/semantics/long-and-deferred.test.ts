/**
 * Tasks longer than a worker may hold a call run on in the background;
 * deferred tasks are completed from outside by their token.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FlinkTasks, LocalRuntime, ManualClock, silentLogger, TaskError, type DeferredToken, type TaskContext } from '../../src/index.js';
import { gate } from '../fixtures.js';

const tasks = new FlinkTasks({ namespace: 'long', workerName: 'worker' });
const long = tasks.bind({ name: 'long', withContext: true, taskId: 'long-state' }, async (ctx: TaskContext, name: string) => {
  gate(name).entered();
  await gate(name).opened;
  ctx.setState({ lastRun: name });
  return `${name} done`;
});
const readState = tasks.bind({ name: 'readState', withContext: true, taskId: 'long-state' }, (ctx: TaskContext) => ctx.getState<{ lastRun: string }>());
const tokens: string[] = [];
const approve = tasks.bind({ name: 'approve', withContext: true }, (ctx: TaskContext, order: string) => {
  const deferred = ctx.defer<boolean>();
  tokens.push(deferred.token);
  void order;
  return deferred;
});
const approveWithin = tasks.bind({ name: 'approveWithin', withContext: true, timeoutMs: 5_000 }, (ctx: TaskContext) => {
  const deferred = ctx.defer<string>();
  tokens.push(deferred.token);
  return deferred;
});
const announce = tasks.bind('announce', (approved: boolean) => (approved ? 'shipped' : 'held'));

const clock = new ManualClock(0);
const runtime = new LocalRuntime(tasks, { logger: silentLogger, clock, limits: { callBudgetMs: 1_000, backgroundLeaseMs: 3_000 } });
afterAll(() => runtime.close());

describe('tasks longer than the call budget', () => {
  it('run on in the background, their lease renewed, and their result and state arrive when they end', async () => {
    const p = long.send('marathon');
    const result = runtime.submit(p);
    await gate('marathon').reached;
    await clock.advance(1_000); // the call budget: the task goes to the background
    await runtime.idle();
    expect(await runtime.status(p)).toBe('RUNNING');
    await clock.advance(10_000); // well past the lease: heartbeats keep it alive
    expect(await runtime.status(p)).toBe('RUNNING');
    gate('marathon').open();
    expect(await result).toBe('marathon done');
    // The state it wrote in the background reached its address.
    expect(await runtime.submit(readState.send())).toEqual({ lastRun: 'marathon' });
  });
});

describe('deferred tasks', () => {
  it("wait for complete(token, value); the value is the task's result", async () => {
    tokens.length = 0;
    const p = approve.send('order-1').continueWith(announce);
    const result = runtime.submit(p);
    await runtime.idle();
    expect(await runtime.status(p)).toBe('RUNNING');
    const token = tokens[0] as DeferredToken<boolean>;
    await runtime.complete(token, true);
    expect(await result).toBe('shipped');
    await expect(runtime.complete(token, false)).rejects.toMatchObject({ errorType: 'UnknownDeferral' });
  });

  it('fail(token, error) fails the task with that error', async () => {
    tokens.length = 0;
    const result = runtime.submit(approve.send('order-2')).catch((e: unknown) => e);
    await runtime.idle();
    await runtime.fail(tokens[0] as DeferredToken<boolean>, new RangeError('rejected by the customer'));
    expect(await result).toMatchObject({ errorType: 'RangeError', message: 'rejected by the customer' });
  });

  it("time out after the task's timeoutMs", async () => {
    tokens.length = 0;
    const result = runtime.submit(approveWithin.send()).catch((e: unknown) => e);
    await runtime.idle();
    await clock.advance(5_000);
    expect(await result).toMatchObject({ errorType: 'TaskTimeout', message: expect.stringContaining('not completed within its timeout of 5000 ms') });
    await expect(runtime.complete(tokens[0] as DeferredToken<string>, 'too late')).rejects.toMatchObject({ errorType: 'UnknownDeferral' });
  });

  it("a cancelled pipeline's token is refused and changes nothing", async () => {
    tokens.length = 0;
    const p = approve.send('order-3');
    const result = runtime.submit(p).catch((e: unknown) => e);
    await runtime.idle();
    await runtime.cancel(p);
    expect(TaskError.isCancellation(await result)).toBe(true);
    await expect(runtime.complete(tokens[0] as DeferredToken<boolean>, true)).rejects.toMatchObject({ errorType: 'UnknownDeferral' });
    expect(await runtime.status(p)).toBe('CANCELLED');
  });

  it('refuses what is not a token, and a forged one; the pipeline waiting meanwhile is unaffected', async () => {
    tokens.length = 0;
    const waiting = approve.send('order-4').continueWith(announce);
    const result = runtime.submit(waiting);
    await runtime.idle();
    const real = tokens[0] as DeferredToken<boolean>;
    await expect(runtime.complete('not-a-token', 1)).rejects.toThrow(/is not a deferred-task token/);
    await expect(runtime.complete('', 1)).rejects.toThrow(/is not a deferred-task token/);
    await expect(runtime.fail('x'.repeat(100_000) as DeferredToken<number>, new Error('x'))).rejects.toThrow(/is not a deferred-task token/);
    // The real token with its nonce changed: the right pipeline and task, but not the call's own secret.
    const forged = (real.slice(0, -4) + (real.endsWith('AAAA') ? 'BBBB' : 'AAAA')) as DeferredToken<boolean>;
    await expect(runtime.complete(forged, false)).rejects.toMatchObject({ errorType: 'UnknownDeferral' });
    expect(await runtime.status(waiting)).toBe('RUNNING');
    await runtime.complete(real, true);
    expect(await result).toBe('shipped');
  });
});
