/**
 * Pipelines on a real StateFun + Kafka: every result is compared with what
 * calling the plain functions gives (the direct-call oracle), and with the
 * LocalRuntime running the same pipeline in-process.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inParallel, LocalRuntime, silentLogger, TaskError, type ResultOf, type RunnablePipeline } from 'flink-tasks';
import type { KafkaTasksClient } from 'flink-tasks/kafka';
import * as t from './fixtures/tasks.js';
import { connectClient, e2e } from './support/env.js';

let flink: KafkaTasksClient;
let local: LocalRuntime;

beforeAll(async () => {
  flink = await connectClient();
  local = new LocalRuntime(t.tasks, { logger: silentLogger });
});
afterAll(async () => {
  await flink?.close();
  await local?.close();
});

/** Runs `p` on Flink and on the LocalRuntime; both must agree. */
async function onBoth<P extends RunnablePipeline<unknown>>(p: P): Promise<ResultOf<P>> {
  const [remote, embedded] = await Promise.all([flink.submit(p), local.submit(p)]);
  expect(remote).toStrictEqual(embedded);
  return remote;
}

interface ErrorShape {
  errorType: string;
  taskName: string;
  message: string;
  branch: number | undefined;
  errors: ErrorShape[];
}
const shape = (e: TaskError): ErrorShape => ({
  errorType: e.errorType,
  taskName: e.taskName,
  message: e.message,
  branch: e.branch,
  errors: e.errors.map(shape),
});
/** The TaskError `p` fails with, on Flink and on the LocalRuntime; both must agree. */
async function failureOnBoth(p: RunnablePipeline<unknown>): Promise<ErrorShape> {
  const settle = (run: Promise<unknown>) =>
    run.then(
      (value) => {
        throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
      },
      (err: unknown) => {
        expect(err).toBeInstanceOf(TaskError);
        return shape(err as TaskError);
      },
    );
  const [remote, embedded] = await Promise.all([settle(flink.submit(p)), settle(local.submit(p))]);
  expect(remote).toStrictEqual(embedded);
  return remote;
}

describe('the stock example', () => {
  it('computes the average standard deviation of five tickers', async () => {
    const stocks = ['BT.L', 'BP.L', 'VOD.L', 'HSBA.L', 'GSK.L'];
    const expected = t.computeAverage(await Promise.all(stocks.map(async (s) => t.computeStdDev(await t.loadTimeseries(s)))));
    const avg: number = await onBoth(t.averageStdDev.send(stocks));
    expect(avg).toBe(expected);
    expect(avg).toBe(t.mean(await Promise.all(stocks.map(async (s) => t.std(await t.loadPrices(s))))));
  });

  it('gives the same answer for a single ticker', async () => {
    expect(await flink.submit(t.averageStdDev.send(['AZN.L']))).toBe(t.std(await t.loadPrices('AZN.L')));
  });
});

describe('chains', () => {
  it('passes the previous result first, then the extra arguments', async () => {
    const p = t.add.send(3, 4).continueWith(t.multiply, 6).continueWith(t.affine, 2, 1, 'y');
    expect(await onBoth(p)).toBe(t.affine(t.multiply(t.add(3, 4), 6), 2, 1, 'y'));
  });

  it('chains string tasks with two extra arguments', async () => {
    const p = t.shout.send('abc', '!', 1).continueWith(t.shout, '?', 3);
    expect(await onBoth(p)).toBe(t.shout(t.shout('abc', '!', 1), '?', 3));
  });
});

describe('groups', () => {
  it('runs nested groups and chains inside groups, results in declaration order', async () => {
    const p = inParallel([
      inParallel([1, 2, 3].map((x) => t.square.send(x))),
      t.add.send(1, 2).continueWith(t.multiply, 10),
      inParallel([t.affine.send(1, 2, 3, 'z'), inParallel([t.square.send(4), t.square.send(5)]).continueWith(t.sum)]),
    ]).continueWith(t.summarise);
    const expected = t.summarise([[1, 2, 3].map((x) => t.square(x)), t.multiply(t.add(1, 2), 10), [t.affine(1, 2, 3, 'z'), t.sum([t.square(4), t.square(5)])]]);
    expect(await onBoth(p)).toStrictEqual(expected);
  });

  it('yields [] for an empty group', async () => {
    expect(await onBoth(inParallel([]))).toStrictEqual([]);
  });

  it('respects maxParallelism and still returns results in order', async () => {
    const xs = Array.from({ length: 12 }, (_, i) => i);
    const p = inParallel(
      xs.map((x) => t.square.send(x)),
      { maxParallelism: 3 },
    ).continueWith(t.sum);
    expect(await onBoth(p)).toBe(t.sum(xs.map(t.square)));
  });
});

describe('errors', () => {
  it('reports a failing task as a TaskError with its type, task and message', async () => {
    const e = await failureOnBoth(t.divide.send(1, 0));
    expect(e).toMatchObject({ errorType: 'RangeError', taskName: 'divide', message: 'cannot divide 1 by zero' });
  });

  it('skips the rest of the chain up to exceptionally, which gets the error and an extra argument', async () => {
    expect(await onBoth(t.divide.send(1, 0).continueWith(t.square).exceptionally(t.recover, 42))).toBe(42);
    // A custom error class keeps its name as errorType (recover answers -fallback for non-RangeErrors).
    expect(await onBoth(t.checkedSqrt.send(-4).exceptionally(t.recover, 42))).toBe(-42);
  });

  it('passes a success through exceptionally', async () => {
    const p = t.divide.send(8, 2).exceptionally(t.recover, 0).continueWith(t.add, 1);
    expect(await onBoth(p)).toBe(t.add(t.divide(8, 2), 1));
  });

  it('hands the handler the whole TaskError', async () => {
    expect(await onBoth(t.divide.send(5, 0).exceptionally(t.describeError))).toStrictEqual({
      errorType: 'RangeError',
      taskName: 'divide',
      message: 'cannot divide 5 by zero',
      branches: [],
    });
  });

  it('fails a group with one error per failed branch', async () => {
    const group = inParallel([t.divide.send(1, 0), t.square.send(2), t.checkedSqrt.send(-1)]);
    const e = await failureOnBoth(group);
    expect(e.errorType).toBe('GroupFailed');
    expect(e.errors.map((x) => [x.branch, x.errorType, x.taskName])).toStrictEqual([
      [0, 'RangeError', 'divide'],
      [2, 'NegativeInputError', 'checkedSqrt'],
    ]);
    const described = await onBoth(group.exceptionally(t.describeError));
    if (Array.isArray(described)) throw new Error(`expected the handler's result, got ${JSON.stringify(described)}`);
    expect(described.errorType).toBe('GroupFailed');
    expect(described.branches).toStrictEqual([
      [0, 'RangeError'],
      [2, 'NegativeInputError'],
    ]);
  });

  it('puts errors in their slots with returnExceptions', async () => {
    const [a, b, c] = await flink.submit(inParallel([t.divide.send(1, 0), t.square.send(2), t.checkedSqrt.send(9)], { returnExceptions: true }));
    expect(a).toBeInstanceOf(TaskError);
    expect((a as TaskError).errorType).toBe('RangeError');
    expect([b, c]).toStrictEqual([4, 3]);
  });
});

describe('retries', () => {
  it('retries a failing task after a delay until it succeeds', async () => {
    expect(await onBoth(t.flaky.send(2, 7))).toStrictEqual({ value: 7, attempt: 2 });
  });

  it('fails with the last error once the retries are used up', async () => {
    const e = await failureOnBoth(t.flaky.send(9, 7));
    expect(e).toMatchObject({ errorType: 'TransientError', taskName: 'flaky', message: 'attempt 3 of 9 planned failures' });
  });
});

describe('finallyDo', () => {
  it('runs after a failure (it writes a marker file) and keeps the failure', async () => {
    const dir = join(e2e().runDir, 'markers');
    const name = `finally-${randomUUID()}`;
    await expect(flink.submit(t.divide.send(1, 0).finallyDo(t.writeMarker, dir, name, 'ran after failure'))).rejects.toMatchObject({
      errorType: 'RangeError',
      taskName: 'divide',
    });
    // The reply is published after the finally task answered, so the file is there.
    expect(await readFile(join(dir, name), 'utf8')).toBe('ran after failure');
  });

  it('runs after a success and records into its fixed-taskId function state', async () => {
    const key = randomUUID();
    expect(await flink.submit(t.add.send(2, 3).finallyDo(t.tallyAdd, key))).toBe(5);
    expect(await flink.submit(t.tallyRead.send(key))).toBe(1);
    // after a recovered failure too
    expect(await flink.submit(t.divide.send(1, 0).exceptionally(t.recover, 7).finallyDo(t.tallyAdd, key))).toBe(7);
    // and after an unrecovered one
    await expect(flink.submit(t.checkedSqrt.send(-1).finallyDo(t.tallyAdd, key))).rejects.toMatchObject({ errorType: 'NegativeInputError' });
    expect(await flink.submit(t.tallyRead.send(key))).toBe(3);
  });

  it('runs inside group branches', async () => {
    const key = randomUUID();
    const p = inParallel([1, 2, 3].map((x) => t.square.send(x).finallyDo(t.tallyAdd, key))).continueWith(t.sum);
    expect(await flink.submit(p)).toBe(14);
    expect(await flink.submit(t.tallyRead.send(key))).toBe(3);
  });
});

describe('orchestrator tasks', () => {
  it('computes 20! through 20 levels of child pipelines (bigint)', async () => {
    const n = await onBoth(t.factorial.send(20n, 1n));
    expect(n).toBe(t.factorialOf(20n));
    expect(n).toBe(2432902008176640000n);
  });

  it('counts down from 20, one child pipeline per level', async () => {
    expect(await onBoth(t.countdown.send(20, []))).toStrictEqual(Array.from({ length: 20 }, (_, i) => 20 - i));
  });

  it('recurses as a tree: fib(8) from groups of child pipelines', async () => {
    expect(await onBoth(t.fib.send(8))).toBe(t.fibOf(8));
  });
});
