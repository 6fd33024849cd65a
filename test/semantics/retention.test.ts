import { describe, expect, it } from 'vitest';
import { FlinkTasks, inParallel, LocalRuntime, silentLogger } from '../../src/index.js';

const after = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('state retention', () => {
  it('child pipelines drop their state when they finish; only the top-level pipeline keeps its own', async () => {
    const tasks = new FlinkTasks({ namespace: 'ret', workerName: 'worker', groupSplitThreshold: 4, chainSegmentLength: 3 });
    const inc = tasks.bind('inc', (x: number) => x + 1);
    const sum = tasks.bind('sum', (xs: number[]) => xs.reduce((a, b) => a + b, 0));
    const runtime = new LocalRuntime(tasks, { logger: silentLogger });
    // 10 chain branches (child pipelines) in sub-groups of 4 (more children), then a long chain (continuations)
    let p = inParallel(Array.from({ length: 10 }, (_, i) => inc.send(i).continueWith(inc))).continueWith(sum);
    for (let i = 0; i < 8; i++) p = p.continueWith(inc);
    expect(await runtime.submit(p)).toBe(65 + 8);
    await runtime.idle();
    expect(runtime.stats.addresses).toBe(1);
    expect(await runtime.status(p)).toBe('COMPLETED');
    await runtime.close();
  });

  it("a finished pipeline's state expires after its retention; an expiry never touches a later run", async () => {
    const tasks = new FlinkTasks({ namespace: 'ret2', workerName: 'worker', finishedPipelineRetentionMs: 40 });
    let release: () => void = () => undefined;
    let blocking = false;
    const step = tasks.bind('step', async (x: number) => {
      if (blocking) await new Promise<void>((r) => (release = r));
      return x;
    });
    const runtime = new LocalRuntime(tasks, { logger: silentLogger });
    const p = step.send(1);
    await runtime.submit(p);
    expect(await runtime.status(p)).toBe('COMPLETED');
    // run 2 starts before run 1's expiry fires and is still running when it does
    blocking = true;
    const second = runtime.submit(p);
    await after(120);
    expect(await runtime.status(p)).toBe('RUNNING');
    release();
    expect(await second).toBe(1);
    expect(await runtime.status(p)).toBe('COMPLETED');
    await after(120);
    await expect(runtime.status(p)).rejects.toMatchObject({ errorType: 'PipelineNotFound' });
    await runtime.close();
  });
});
