/** Retries and delays on a manual clock: tested in no time, without hanging. */
import { describe, expect, it } from 'vitest';
import { FlinkTasks, LocalRuntime, ManualClock, RetryPolicy, silentLogger } from '../../src/index.js';

describe('ManualClock', () => {
  it('a retry 60 s later happens when the clock is advanced, not before', async () => {
    const tasks = new FlinkTasks({ namespace: 'clock', workerName: 'worker' });
    let calls = 0;
    const flaky = tasks.bind({ name: 'flaky', retry: new RetryPolicy({ maxRetries: 1, delayMs: 60_000 }) }, () => {
      calls += 1;
      if (calls === 1) throw new Error('first call fails');
      return 'second call works';
    });
    const clock = new ManualClock(1_000_000);
    const runtime = new LocalRuntime(tasks, { logger: silentLogger, clock });
    const result = runtime.submit(flaky.send());
    await runtime.idle();
    expect(calls).toBe(1);
    await clock.advance(59_000);
    expect(calls).toBe(1);
    await clock.advance(2_000);
    expect(await result).toBe('second call works');
    expect(calls).toBe(2);
    expect(clock.now()).toBe(1_061_000);
    await runtime.close();
  });

  it('stamps event times with the clock', async () => {
    const tasks = new FlinkTasks({ namespace: 'clock', workerName: 'worker' });
    const one = tasks.bind('one', () => 1);
    const clock = new ManualClock(42_000);
    const runtime = new LocalRuntime(tasks, { logger: silentLogger, clock });
    const times: number[] = [];
    runtime.onEvent((e) => times.push(e.time));
    await runtime.submit(one.send());
    expect(times.length).toBeGreaterThan(0);
    expect(new Set(times)).toEqual(new Set([42_000]));
    await runtime.close();
  });

  it('a hanging task times out when the clock passes its timeout, not before', async () => {
    const tasks = new FlinkTasks({ namespace: 'clock', workerName: 'worker' });
    const hang = tasks.bind({ name: 'hang', timeoutMs: 30_000 }, () => new Promise<string>(() => undefined));
    const clock = new ManualClock(0);
    const runtime = new LocalRuntime(tasks, { logger: silentLogger, clock });
    let settled = false;
    const outcome = runtime
      .submit(hang.send())
      .catch((e: unknown) => e)
      .finally(() => (settled = true));
    await clock.untilPending();
    await clock.advance(29_999);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await outcome).toMatchObject({ errorType: 'TaskTimeout' });
    await runtime.close();
  });

  it('untilPending resolves at once when enough timers wait, and refuses a bad count', async () => {
    const clock = new ManualClock(0);
    clock.setTimeout(() => undefined, 10);
    await clock.untilPending(1);
    const two = clock.untilPending(2);
    clock.setTimeout(() => undefined, 20);
    await two;
    expect(clock.pending).toBe(2);
    await expect(clock.untilPending(0)).rejects.toThrow(/integer >= 1/);
  });

  it('refuses to move backwards', async () => {
    await expect(new ManualClock().advance(-1)).rejects.toThrow(/finite number >= 0/);
  });
});
