import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { TaskError, type RunnablePipeline } from '../../src/index.js';
import { makeTasks, runtimeFor } from '../fixtures.js';

const t = makeTasks();
const runtime = runtimeFor(t.tasks);
afterAll(() => runtime.close());
beforeEach(() => {
  t.calls.length = 0;
});

describe('errors', () => {
  it('a throwing task produces a TaskError with class name, message, stack, task name and id', async () => {
    const e = (await runtime.submit(t.divide.send(1, 0)).catch((x: unknown) => x)) as TaskError;
    expect(e).toBeInstanceOf(TaskError);
    expect(e.errorType).toBe('RangeError');
    expect(e.message).toBe('division by zero');
    expect(e.taskName).toBe('divide');
    expect(e.taskId).not.toBe('');
    expect(e.stack).toMatch(/division by zero/);
  });

  it('following steps are skipped until exceptionally, which is called as h(error, ...extra) and resumes the flow', async () => {
    const p = t.divide.send(1, 0).continueWith(t.then, 'skipped').exceptionally(t.recover, 7).continueWith(t.identity);
    expect(await runtime.submit(p)).toBe(7);
    expect(t.calls).not.toContain('skipped');
  });

  it('exceptionally receives the error', async () => {
    expect(await runtime.submit(t.fail.send('boom').exceptionally(t.describeError))).toBe('TypeError: boom');
  });

  it('on success exceptionally is skipped and the value passes through', async () => {
    expect(await runtime.submit(t.add.send(1, 2).exceptionally(t.recover, 0).continueWith(t.multiply, 10))).toBe(30);
  });

  it('a throwing exceptionally can be caught by a later one', async () => {
    const rethrow = t.tasks.bind('rethrow', (e: TaskError, message: string): number => {
      throw new SyntaxError(`${message} after ${e.message}`);
    });
    const p = t.fail.send('first').exceptionally(rethrow, 'second').exceptionally(t.describeError);
    expect(await runtime.submit(p)).toBe('SyntaxError: second after first');
  });

  it('finallyDo runs on success without changing the outcome', async () => {
    expect(await runtime.submit(t.add.send(1, 2).finallyDo(t.record, 'cleanup'))).toBe(3);
    expect(t.calls).toEqual(['cleanup']);
  });

  it('finallyDo runs on failure and the failure stays the outcome', async () => {
    await expect(runtime.submit(t.divide.send(1, 0).finallyDo(t.record, 'cleanup'))).rejects.toMatchObject({ errorType: 'RangeError' });
    expect(t.calls).toEqual(['cleanup']);
  });

  it('a throwing finallyDo makes its error the outcome', async () => {
    await expect(runtime.submit(t.add.send(1, 2).finallyDo(t.failFinally))).rejects.toMatchObject({ message: 'finally failed' });
  });

  it('finallyDo receives only its own arguments', async () => {
    const seen: unknown[][] = [];
    const spy = t.tasks.bind('finallySpy', (...args: string[]) => void seen.push(args));
    await runtime.submit(t.add.send(1, 2).finallyDo(spy, 'a', 'b'));
    expect(seen).toEqual([['a', 'b']]);
  });
});

describe('retries', () => {
  it('retries a failing task and succeeds within maxRetries', async () => {
    expect(await runtime.submit(t.flaky.send('ok-after-2', 2))).toBe(3);
    expect(t.attempts.get('ok-after-2')).toBe(3);
  });

  it('gives up after maxRetries with the last error', async () => {
    await expect(runtime.submit(t.flaky.send('never', 10))).rejects.toMatchObject({ message: 'attempt 4 failed' });
    expect(t.attempts.get('never')).toBe(4);
  });

  it('retries only the error classes in retryFor', async () => {
    await expect(runtime.submit(t.onlyRetryRange.send('range', 'range'))).rejects.toMatchObject({ errorType: 'RangeError' });
    expect(t.attempts.get('range')).toBe(6);
    await expect(runtime.submit(t.onlyRetryRange.send('type', 'type'))).rejects.toMatchObject({ errorType: 'TypeError' });
    expect(t.attempts.get('type')).toBe(1);
  });

  it('waits delayMs before the first retry, then twice as long each time (exponential backoff)', async () => {
    const times: number[] = [];
    const { RetryPolicy } = await import('../../src/index.js');
    const timed = t.tasks.bind({ name: 'timed', retry: new RetryPolicy({ maxRetries: 3, delayMs: 40, exponentialBackoff: true }) }, () => {
      times.push(performance.now());
      if (times.length < 4) throw new Error('again');
      return times.length;
    });
    expect(await runtime.submit(timed.send())).toBe(4);
    const gaps = times.slice(1).map((x, i) => x - (times[i] as number));
    expect(gaps[0]).toBeGreaterThanOrEqual(38);
    expect(gaps[0]).toBeLessThan(80);
    expect(gaps[1]).toBeGreaterThanOrEqual(78);
    expect(gaps[2]).toBeGreaterThanOrEqual(158);
  });

  it('argument errors are not retried', async () => {
    const { RetryPolicy, ir } = await import('../../src/index.js');
    const counted: number[] = [];
    const strict = t.tasks.bind({ name: 'strict', retry: new RetryPolicy({ maxRetries: 3 }) }, (x: number) => counted.push(x));
    const good = strict.send(1).toIR();
    const entry = good.entries[0] as ReturnType<typeof ir.TaskEntryNode.create>;
    const broken = ir.PipelineNode.cloneWith(good, {
      entries: [ir.TaskEntryNode.cloneWith(entry, { args: new TextEncoder().encode('{"json":{"not":"a list"}}') })],
    });
    // hand-made from IR: only a cast says it can run on its own (the types cannot know)
    const fake = { id: 'argument-error', toIR: () => broken } as RunnablePipeline<unknown>;
    const retries: number[] = [];
    const { LocalRuntime, silentLogger } = await import('../../src/index.js');
    const watched = new LocalRuntime(t.tasks, { logger: silentLogger, hooks: { taskRetry: (i) => void retries.push(i.retryCount) } });
    await expect(watched.submit(fake)).rejects.toMatchObject({ errorType: 'TaskArgumentError' });
    expect(counted).toEqual([]);
    expect(retries).toEqual([]);
    // the same policy does retry an ordinary failure
    const failing = t.tasks.bind({ name: 'strictFails', retry: new RetryPolicy({ maxRetries: 2 }) }, (): number => {
      throw new Error('ordinary');
    });
    await expect(watched.submit(failing.send())).rejects.toMatchObject({ message: 'ordinary' });
    expect(retries).toEqual([1, 2]);
    await watched.close();
  });
});
