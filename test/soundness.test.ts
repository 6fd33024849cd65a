/**
 * Issue 12 on the run time: what the types now accept runs as typed, and
 * what they cannot see is refused when the pipeline is built, with a clear
 * error (the type side is test-d/soundness.test-d.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FlinkTasks, inParallel, PipelineError, SerializationError, TaskError, type Pipeline } from '../src/index.js';
import { runtimeFor } from './fixtures.js';

const tasks = new FlinkTasks({ namespace: 'soundness', workerName: 'worker' });
const runtime = runtimeFor(tasks);
afterAll(() => runtime.close());

const double = tasks.bind('double', (x: number) => x * 2);
const addTotal = tasks.bind({ name: 'addTotal', withState: true }, (state: { total: number }, x: number) => ({ state: { total: state.total + x }, result: x }));
const readTotal = tasks.bind({ name: 'readTotal', withState: true }, (state: { total: number }, _x: number) => ({ state, result: state.total }));
const startTotal = tasks.bind({ name: 'startTotal', withState: true }, (state: { total: number } | undefined, x: number) => ({
  state: { total: (state?.total ?? 0) + x },
  result: x,
}));

describe('issue 12 on the local runtime', () => {
  it('1. options held in a variable `as const` bind a stateful task that runs as typed', async () => {
    const options = { name: 'constOptions', withState: true } as const;
    const t = tasks.bind(options, (state: { total: number }, x: number) => ({ state: { total: state.total * x }, result: state.total }));
    expect(
      await runtime.submit(
        t
          .send(3)
          .continueWith(readTotal)
          .withInitial({ state: { total: 2 } }),
      ),
    ).toBe(6);
  });

  it('2. typed state flows through chains, groups, exceptionally and inline orchestrators', async () => {
    const chain = addTotal
      .send(1)
      .continueWith(double)
      .continueWith(addTotal)
      .continueWith(readTotal)
      .withInitial({ state: { total: 10 } });
    expect(await runtime.submit(chain)).toBe(13); // 10 + 1 + 2
    const readMaybe = tasks.bind({ name: 'readMaybe', withState: true }, (state: { total: number } | undefined, _x: number) => ({
      state,
      result: state?.total,
    }));
    expect(await runtime.submit(startTotal.send(5).continueWith(readMaybe))).toBe(5); // state accepts undefined: no initial state needed
    const readAfterGroup = tasks.bind({ name: 'readAfterGroup', withState: true }, (state: { total: number }, _x: [number, number]) => ({
      state,
      result: state.total,
    }));
    const group = inParallel([addTotal.send(1), double.send(1)])
      .continueWith(readAfterGroup)
      .withInitial({ state: { total: 0 } });
    expect(await runtime.submit(group)).toBe(1);
    const inlineStep = tasks.bind('inlineStep', (n: number) => addTotal.send(n).inline());
    expect(
      await runtime.submit(
        addTotal
          .send(1)
          .continueWith(inlineStep)
          .continueWith(readTotal)
          .withInitial({ state: { total: 0 } }),
      ),
    ).toBe(2);
    const seededChild = tasks.bind('seededChild', (n: number) =>
      addTotal
        .send(n)
        .continueWith(readTotal)
        .withInitial({ state: { total: 100 } }),
    );
    expect(
      await runtime.submit(
        addTotal
          .send(1)
          .continueWith(seededChild)
          .withInitial({ state: { total: 0 } }),
      ),
    ).toBe(101);
    const failing = tasks.bind(
      { name: 'failingTotal', withState: true },
      (_state: { total: number }, _x: number): { state: { total: number }; result: number } => {
        throw new RangeError('no');
      },
    );
    const recover = tasks.bind({ name: 'recoverTotal', withState: true }, (state: { total: number }, _e: TaskError) => ({ state, result: -state.total }));
    expect(
      await runtime.submit(
        addTotal
          .send(4)
          .continueWith(failing)
          .exceptionally(recover)
          .withInitial({ state: { total: 0 } }),
      ),
    ).toBe(-4);
  });

  it('4. values that would arrive changed are refused at send; a plain Error arrives as an Error', async () => {
    const bytes = tasks.bind('bytes', (b: Uint8Array) => b.length);
    expect(() => (bytes.send as (b: unknown) => unknown)(new ArrayBuffer(2))).toThrow(/is an ArrayBuffer, which superjson does not carry/);
    class HttpError extends Error {
      status = 500;
    }
    const message = tasks.bind('message', (e: Error) => `${e.name}: ${e.message}`);
    expect(() => (message.send as (e: unknown) => unknown)(new HttpError('x'))).toThrow(/Error with fields of its own \(status\)/);
    expect(await runtime.submit(message.send(new RangeError('too big')))).toBe('RangeError: too big');
  });

  it('5. a data-only class instance arrives as a plain object with its fields; an unknown parameter still refuses a function at send', async () => {
    class Row {
      id = 3;
      at = new Date(0);
    }
    const rowId = tasks.bind('rowId', (r: Row) => ({ id: r.id, at: r.at.toISOString(), isRow: r instanceof Row }));
    expect(await runtime.submit(rowId.send(new Row()))).toEqual({ id: 3, at: '1970-01-01T00:00:00.000Z', isRow: false });
    const anything = tasks.bind('anything', (x: unknown) => x);
    expect(() => anything.send(() => 1)).toThrow(SerializationError);
    expect(() => anything.send({ nested: { f: () => 1 } })).toThrow(/the value at \[0\]\.nested\.f is a function/);
  });

  it('5b. an instance of a class of getters runs as typed: the getters arrive as fields (leftover 4)', async () => {
    class Temperature {
      constructor(readonly celsius: number) {}
      get fahrenheit(): number {
        return (this.celsius * 9) / 5 + 32;
      }
    }
    // the task reads the getter on what arrives, as its parameter type allows
    const describeIt = tasks.bind('describeTemperature', (t: Temperature) => `${t.celsius} C = ${t.fahrenheit} F`);
    expect(await runtime.submit(describeIt.send(new Temperature(100)))).toBe('100 C = 212 F');
    const same = tasks.bind('sameTemperature', (t: Temperature) => t);
    expect(await runtime.submit(same.send(new Temperature(0)))).toStrictEqual({ celsius: 0, fahrenheit: 32 });
  });

  it('7. union rest parameters, numeric keys; set() on a group and tasks from two registries on one worker are refused', async () => {
    const either = tasks.bind('either', (...args: [n: number] | [s: string, n: number]) => args.length);
    expect(await runtime.submit(inParallel([either.send(1), either.send('a', 1)]))).toEqual([1, 2]);
    const keys = tasks.bind('keys', (r: Record<number, string>) => Object.keys(r));
    expect(await runtime.submit(keys.send({ 1: 'a', 2: 'b' }))).toEqual(['1', '2']);
    const widened: Pipeline<[number, number]> = inParallel([double.send(1), double.send(2)]);
    expect(() => widened.set({ displayName: 'x' })).toThrow(PipelineError);
    const other = new FlinkTasks({ namespace: 'soundness', workerName: 'worker' });
    const foreign = other.bind('foreign', (x: number) => x + 1);
    expect(() => double.send(1).continueWith(foreign)).toThrow(/bound on another FlinkTasks .* worker soundness\/worker/);
    expect(() => inParallel([double.send(1), foreign.send(1)])).toThrow(/two different FlinkTasks for worker soundness\/worker/);
    const elsewhere = new FlinkTasks({ namespace: 'soundness', workerName: 'other' }).bind('elsewhere', (x: number) => x);
    expect(double.send(1).continueWith(elsewhere).toIR().entries).toHaveLength(2); // another worker: fine
    // A pipeline made entirely on another FlinkTasks for a worker this runtime serves: refused at submit, not an UnknownTask later.
    await expect(runtime.submit(foreign.send(1))).rejects.toThrow(
      /submit: the tasks of this pipeline for worker soundness\/worker were bound on another FlinkTasks than this LocalRuntime's/,
    );
    expect(await runtime.submit(double.send(4))).toBe(8);
  });
});

describe('builders', () => {
  it('a 100k-step chain and a 100k-branch group build and lower in linear time', () => {
    let t = performance.now();
    let chain: Pipeline<number> = double.send(1);
    for (let i = 1; i < 100_000; i++) chain = chain.continueWith(double);
    const chainMs = performance.now() - t;
    t = performance.now();
    const ir = chain.toIR();
    const lowerMs = performance.now() - t;
    expect(ir.entries).toHaveLength(100_000);
    expect(ir.entries[99_999]?.uid).toBe(99_999);
    t = performance.now();
    const group = inParallel(Array.from({ length: 100_000 }, (_, i) => double.send(i)));
    const groupMs = performance.now() - t;
    expect(group.toIR().entries).toHaveLength(1);
    // generous bounds for a shared machine; bench/builders.ts prints the figures
    expect(chainMs).toBeLessThan(3000);
    expect(lowerMs).toBeLessThan(3000);
    expect(groupMs).toBeLessThan(3000);
  });

  // The wire decodes 1000 levels deep (protobuf's default of 100 would refuse this pipeline's request).
  it('groups nested 50 deep build, lower and run', async () => {
    let p: Pipeline<unknown> = double.send(1);
    for (let i = 0; i < 50; i++) p = inParallel([p, double.send(i)]);
    const ir = p.toIR();
    let depth = 0;
    for (let node = ir; node.entries[0]?.kind === 'GroupEntry'; node = node.entries[0].branches[0] ?? node) depth++;
    expect(depth).toBe(50);
    let result: unknown = await runtime.submit(p);
    for (let level = 50; level > 0; level--) {
      expect(Array.isArray(result) && result.length === 2 && result[1] === 2 * (level - 1)).toBe(true);
      result = (result as unknown[])[0];
    }
    expect(result).toBe(2);
  });
});
