/**
 * Values too large for where they go fail their own step with
 * `MessageSizeExceeded`, never the runtime, and are never retried.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FlinkTasks, inParallel, LocalRuntime, RetryPolicy, silentLogger, type TaskContext } from '../../src/index.js';

const tasks = new FlinkTasks({ namespace: 'limits', workerName: 'worker' });
let bigCalls = 0;
const big = tasks.bind({ name: 'big', retry: new RetryPolicy({ maxRetries: 3 }) }, (bytes: number) => {
  bigCalls += 1;
  return 'x'.repeat(bytes);
});
const sized = tasks.bind('sized', (bytes: number) => 'y'.repeat(bytes));
const length = tasks.bind('length', (s: string) => s.length);
const stateful = tasks.bind({ name: 'stateful', withState: true }, (_s: unknown, bytes: number) => ({ state: { blob: 'z'.repeat(bytes) }, result: bytes }));
const sender = tasks.bind({ name: 'sender', withContext: true }, (ctx: TaskContext, bytes: number) => {
  ctx.send({ namespace: 'limits', name: 'worker', id: 'inbox' }, 'm'.repeat(bytes));
  return 'sent';
});

const limits = { maxResultBytes: 10_000, maxValueBytes: 50_000, maxReplyBytes: 30_000 };
const runtime = new LocalRuntime(tasks, { logger: silentLogger, limits });
afterAll(() => runtime.close());

describe('limits', () => {
  it('a task result over maxResultBytes fails the task, without retries', async () => {
    bigCalls = 0;
    await expect(runtime.submit(big.send(20_000))).rejects.toMatchObject({
      errorType: 'MessageSizeExceeded',
      message: expect.stringContaining('limits.maxResultBytes'),
    });
    expect(bigCalls).toBe(1);
    expect(await runtime.submit(big.send(100).continueWith(length))).toBe(100);
  });

  it('returned state over maxResultBytes fails the task', async () => {
    await expect(runtime.submit(stateful.send(20_000))).rejects.toMatchObject({
      errorType: 'MessageSizeExceeded',
      message: expect.stringContaining('the state it returned'),
    });
  });

  it('a message sent from a task over maxResultBytes fails the task', async () => {
    await expect(runtime.submit(sender.send(20_000))).rejects.toMatchObject({
      errorType: 'MessageSizeExceeded',
      message: expect.stringContaining('the message'),
    });
  });

  it('a group whose results add up to more than maxValueBytes fails, once, as soon as they do', async () => {
    const p = inParallel(Array.from({ length: 10 }, () => sized.send(9_000)));
    await expect(runtime.submit(p)).rejects.toMatchObject({ errorType: 'MessageSizeExceeded', message: expect.stringContaining('limits.maxValueBytes') });
    expect(await runtime.status(p)).toBe('FAILED');
  });

  it('a pipeline whose result is over maxReplyBytes fails with MessageSizeExceeded, as its stored result too', async () => {
    const p = inParallel(Array.from({ length: 4 }, () => sized.send(9_000)));
    await expect(runtime.submit(p)).rejects.toMatchObject({ errorType: 'MessageSizeExceeded', message: expect.stringContaining('limits.maxReplyBytes') });
    await expect(runtime.result(p)).rejects.toMatchObject({ errorType: 'MessageSizeExceeded' });
  });

  it('an outcome larger than 256 KiB is published from state in a second invocation, intact', async () => {
    const roomy = new LocalRuntime(tasks, { logger: silentLogger, limits: { maxResultBytes: 400_000 } });
    await roomy.submit(sized.send(1)); // registers the functions' state specs
    const requests = async (bytes: number): Promise<number> => {
      const before = roomy.stats.requests;
      const p = sized.send(bytes);
      expect(await roomy.submit(p)).toBe('y'.repeat(bytes));
      expect(await roomy.result(p)).toHaveLength(bytes);
      return roomy.stats.requests - before;
    };
    const small = await requests(10);
    // One pipeline request more than a small result takes: the publication of the outcome.
    expect(await requests(300_000)).toBe(small + 1);
    await roomy.close();
  });

  it('rejects limits that are not positive whole numbers', () => {
    expect(() => new LocalRuntime(tasks, { limits: { maxResultBytes: -1 } })).toThrow(/limits.maxResultBytes must be a positive whole number/);
    expect(() => new LocalRuntime(tasks, { limits: { callBudgetMs: Number.NaN } })).toThrow(/limits.callBudgetMs/);
  });
});
