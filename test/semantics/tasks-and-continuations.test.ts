import { afterAll, describe, expect, it } from 'vitest';
import { SerializationError, PipelineError, type RunnablePipeline } from '../../src/index.js';
import { makeTasks, runtimeFor } from '../fixtures.js';

const t = makeTasks();
const runtime = runtimeFor(t.tasks);
afterAll(() => runtime.close());

describe('tasks', () => {
  it('a bound task is still the plain function', () => {
    expect(t.multiply(3, 2)).toBe(6);
    expect(t.divide(6, 3)).toBe(2);
    expect(() => t.divide(1, 0)).toThrow(RangeError);
    expect(t.multiply.taskName).toBe('multiply');
  });

  it('send makes a one-task pipeline whose result is the call', async () => {
    expect(await runtime.submit(t.multiply.send(3, 2))).toBe(6);
  });

  it('arguments are serialised when the pipeline is built', async () => {
    const xs = [1, 2, 3];
    const p = t.sum.send(xs);
    xs.push(100);
    expect(await runtime.submit(p)).toBe(6);
  });

  it('values that would not survive serialisation are rejected when sending, with the path', () => {
    const bad = { nested: { callback: () => 1 } };
    expect(() => t.identity.send(bad)).toThrow(SerializationError);
    expect(() => t.identity.send(bad)).toThrow(/\.nested\.callback is a function/);
    class Unregistered {
      x = 1;
      double() {
        return this.x * 2;
      }
    }
    expect(() => t.identity.send(new Unregistered())).toThrow(/class Unregistered, which is not registered/);
  });

  it('rich values survive the round trip', async () => {
    const value = { when: new Date(0), tags: new Set(['a']), index: new Map([[1, 'one']]), big: 2n ** 70n, bytes: new Uint8Array([1, 2]), nothing: undefined };
    expect(await runtime.submit(t.identity.send(value))).toEqual(value);
  });

  it('async tasks are awaited', async () => {
    expect(await runtime.submit(t.asyncDouble.send(21))).toBe(42);
  });

  it('an unknown bind option is an error that names it (untyped callers)', () => {
    const bind = t.tasks.bind.bind(t.tasks) as unknown as (o: object, f: (x: number) => number) => unknown;
    expect(() => bind({ name: 'typo', withSate: true }, (x) => x)).toThrow(/unknown option 'withSate'/);
  });

  it('binding twice under one name is an error', () => {
    expect(() => t.tasks.bind('add', (x: number) => x)).toThrow(PipelineError);
  });
});

describe('continuations', () => {
  it('continueWith calls the task with the previous result first, then the extra arguments', async () => {
    const p = t.multiply.send(3, 2).continueWith(t.divide, 2).continueWith(t.add, 10);
    expect(await runtime.submit(p)).toBe(t.add(t.divide(t.multiply(3, 2), 2), 10));
  });

  it('never spreads a tuple result into arguments', async () => {
    const pair = t.tasks.bind('pair', (x: number): [number, number] => [x, x + 1]);
    const first = t.tasks.bind('first', (xs: [number, number]) => xs[0]);
    expect(await runtime.submit(pair.send(5).continueWith(first))).toBe(5);
  });

  it('a task returning a pipeline is replaced by it (orchestrator), also recursively', async () => {
    expect(await runtime.submit(t.factorial.send(10, 1))).toBe(3628800);
    expect(await runtime.submit(t.countdown.send(25))).toBe('liftoff');
    expect(await runtime.submit(t.sumOfSquares.send([1, 2, 3]).continueWith(t.add, 1))).toBe(15);
  });

  it('many pipelines run at once', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => runtime.submit(t.multiply.send(i, 2).continueWith(t.add, 1))));
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i * 2 + 1));
  });

  it('set overrides options of the last entry', () => {
    const ir = t.multiply.send(1, 2).set({ workerName: 'gpu', displayName: 'big', taskId: 'fixed' }).toIR();
    expect(ir.entries[0]).toMatchObject({ workerName: 'gpu', displayName: 'big', taskId: 'fixed' });
  });

  it('an unknown task fails the pipeline with a clear error', async () => {
    // As a client in another process sends it: only the IR arrives, so the runtime cannot tell where its tasks were bound.
    const pipeline = makeTasks()
      .tasks.bind('notOnThisWorker', (x: number) => x)
      .send(1);
    const { id } = pipeline;
    const ir = pipeline.toIR();
    // hand-made from IR: only a cast says it can run on its own (the types cannot know)
    const foreign = { id, toIR: () => ir } as RunnablePipeline<number>;
    await expect(runtime.submit(foreign)).rejects.toMatchObject({
      errorType: 'UnknownTask',
      message: expect.stringContaining("no task named 'notOnThisWorker'"),
    });
  });
});
