import { afterAll, describe, expect, it } from 'vitest';
import { inParallel, TaskError } from '../../src/index.js';
import { gate, makeTasks, runtimeFor } from '../fixtures.js';

const t = makeTasks({ groupSplitThreshold: 8 });
const runtime = runtimeFor(t.tasks);
afterAll(() => runtime.close());

describe('inParallel', () => {
  it('lists branch results in declaration order', async () => {
    const slow = t.tasks.bind('slowEcho', async (x: number, ms: number) => {
      await new Promise((r) => setTimeout(r, ms));
      return x;
    });
    expect(await runtime.submit(inParallel([slow.send(1, 30), slow.send(2, 1), slow.send(3, 15)]))).toEqual([1, 2, 3]);
  });

  it('ordered: false lists results in completion order', async () => {
    const held = t.tasks.bind('heldEcho', async (x: number) => {
      gate(`unordered-${x}`).entered();
      await gate(`unordered-${x}`).opened;
      return x;
    });
    const result = runtime.submit(inParallel([held.send(1), held.send(2), held.send(3)], { ordered: false }));
    for (const x of [1, 2, 3]) await gate(`unordered-${x}`).reached;
    for (const x of [2, 3, 1]) {
      gate(`unordered-${x}`).open();
      // Its result reaches the pipeline before the next gate opens.
      await new Promise((r) => setImmediate(r));
    }
    expect(await result).toEqual([2, 3, 1]);
  });

  it('branches may be chains and groups, nested', async () => {
    const p = inParallel([
      t.multiply.send(2, 3).continueWith(t.add, 1),
      inParallel([t.add.send(1, 1), inParallel([t.multiply.send(2, 2)])]),
      t.factorial.send(4, 1),
    ]);
    expect(await runtime.submit(p)).toEqual([7, [2, [4]], 24]);
  });

  it('an empty group yields [] and its continuation receives []', async () => {
    expect(await runtime.submit(inParallel([]))).toEqual([]);
    expect(await runtime.submit(inParallel([] as ReturnType<typeof t.add.send>[]).continueWith(t.sum))).toBe(0);
  });

  it('maxParallelism keeps at most n branches in flight, and each finished one releases the next', async () => {
    let inFlight = 0;
    let peak = 0;
    const tracked = t.tasks.bind('tracked', async (x: number) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight -= 1;
      return x;
    });
    const xs = Array.from({ length: 12 }, (_, i) => i);
    expect(
      await runtime.submit(
        inParallel(
          xs.map((x) => tracked.send(x)),
          { maxParallelism: 3 },
        ),
      ),
    ).toEqual(xs);
    expect(peak).toBe(3);
  });

  it('large groups are split into sub-groups with the same results in the same order', async () => {
    const xs = Array.from({ length: 100 }, (_, i) => i);
    const group = inParallel(xs.map((x) => t.multiply.send(x, 2)));
    expect(await runtime.submit(group)).toEqual(xs.map((x) => x * 2));
    expect(await runtime.submit(group.continueWith(t.sum))).toBe(xs.reduce((a, x) => a + 2 * x, 0));
  });

  it('a split unordered group still returns every result', async () => {
    const xs = Array.from({ length: 70 }, (_, i) => i);
    const result = await runtime.submit(
      inParallel(
        xs.map((x) => t.add.send(x, 0)),
        { ordered: false },
      ),
    );
    expect([...result].sort((a, b) => a - b)).toEqual(xs);
  });
});

describe('errors in groups', () => {
  it('a failing branch does not stop its siblings; the group fails with every failed branch in declaration order', async () => {
    const p = inParallel([t.fail.send('first'), t.record.send('sibling ran'), t.divide.send(1, 0), t.add.send(1, 1)]);
    const error = await runtime.submit(p).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    const e = error as TaskError;
    expect(e.errorType).toBe('GroupFailed');
    expect(e.message).toMatch(/2 of 4 branches failed/);
    expect(e.errors.map((x) => [x.branch, x.errorType, x.message])).toEqual([
      [0, 'TypeError', 'first'],
      [2, 'RangeError', 'division by zero'],
    ]);
    expect(t.calls).toContain('sibling ran');
  });

  it('errors of a split group keep their branch numbers', async () => {
    const xs = Array.from({ length: 30 }, (_, i) => i);
    const p = inParallel(xs.map((x) => (x % 7 === 3 ? t.fail.send(`bad ${x}`) : t.add.send(x, 0))));
    const e = (await runtime.submit(p).catch((x: unknown) => x)) as TaskError;
    expect(e.errors.map((x) => x.branch)).toEqual([3, 10, 17, 24]);
    expect(e.errors.map((x) => x.message)).toEqual(['bad 3', 'bad 10', 'bad 17', 'bad 24']);
  });

  it('returnExceptions puts each failed branch’s TaskError in its slot', async () => {
    const result = await runtime.submit(inParallel([t.add.send(1, 1), t.divide.send(1, 0)], { returnExceptions: true }));
    expect(result[0]).toBe(2);
    expect(result[1]).toBeInstanceOf(TaskError);
    expect((result[1] as TaskError).errorType).toBe('RangeError');
  });

  it('a group failure can be handled by exceptionally', async () => {
    const p = inParallel([t.add.send(1, 1), t.divide.send(1, 0)])
      .continueWith(t.sum)
      .exceptionally(t.recover, -1);
    expect(await runtime.submit(p)).toBe(-1);
  });
});
