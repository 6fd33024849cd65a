import { afterAll, describe, expect, it } from 'vitest';
import { FlinkTasks, LocalRuntime, silentLogger, TaskError, type Pipeline } from '../../src/index.js';

// Chains longer than 4 entries continue in child pipeline keys.
const tasks = new FlinkTasks({ namespace: 'seg', workerName: 'worker', chainSegmentLength: 4 });
const calls: string[] = [];
const inc = tasks.bind('inc', (x: number) => x + 1);
const start = tasks.bind('start', (x: number) => x);
const failAt = tasks.bind('failAt', (x: number, at: number) => {
  if (x === at) throw new RangeError(`failed at ${x}`);
  return x;
});
const recover = tasks.bind('recover', (_e: TaskError) => -1000);
const note = tasks.bind('note', (label: string) => void calls.push(label));
const bump = tasks.bind({ name: 'bump', withState: true }, (state: { n: number }, x: number) => ({ state: { n: state.n + 1 }, result: x + 1 }));
const readState = tasks.bind({ name: 'readState', withState: true }, (state: { n: number }, _x: number) => ({ state, result: state }));
const runtime = new LocalRuntime(tasks, { logger: silentLogger });
afterAll(() => runtime.close());

const chain = (n: number): Pipeline<number> => {
  let p = start.send(0);
  for (let i = 0; i < n; i++) p = p.continueWith(inc);
  return p;
};

describe('long chains (segmented into child keys)', () => {
  it('give the same result as a short chain would', async () => {
    expect(await runtime.submit(chain(30))).toBe(30);
  });

  it('carry an error across segments to an exceptionally in a later segment', async () => {
    let p = start.send(0);
    for (let i = 0; i < 10; i++) p = p.continueWith(inc);
    p = p.continueWith(failAt, 10);
    for (let i = 0; i < 10; i++) p = p.continueWith(inc);
    expect(await runtime.submit(p.exceptionally(recover).continueWith(inc))).toBe(-999);
  });

  it('fail with the error when no later segment handles it, still running finallyDo once', async () => {
    calls.length = 0;
    let p = start.send(0);
    for (let i = 0; i < 3; i++) p = p.continueWith(inc);
    p = p.continueWith(failAt, 3);
    for (let i = 0; i < 10; i++) p = p.continueWith(inc);
    await expect(runtime.submit(p.finallyDo(note, 'finally'))).rejects.toMatchObject({ errorType: 'RangeError', message: 'failed at 3' });
    expect(calls).toEqual(['finally']);
  });

  it('pass the pipeline state through every segment', async () => {
    let p = start.send(0).continueWith(bump);
    for (let i = 1; i < 12; i++) p = p.continueWith(bump);
    expect(await runtime.submit(p.continueWith(readState).withInitial({ state: { n: 0 } }))).toEqual({ n: 12 });
  });

  it('keep the request as submitted', async () => {
    const p = chain(20);
    await runtime.submit(p);
    expect((await runtime.request(p)).entries).toHaveLength(21);
  });
});
