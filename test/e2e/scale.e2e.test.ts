/**
 * Volume on a real StateFun + Kafka: a 1,000-branch group (split by the
 * library into sub-groups of at most 512) and 100 pipelines in flight at once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inParallel, type Pipeline } from 'flink-tasks';
import type { KafkaTasksClient } from 'flink-tasks/kafka';
import * as t from './fixtures/tasks.js';
import { connectClient, ReplyRecorder } from './support/env.js';

let flink: KafkaTasksClient;
let recorder: ReplyRecorder;

beforeAll(async () => {
  [flink, recorder] = await Promise.all([connectClient(), ReplyRecorder.start()]);
});
afterAll(async () => {
  await flink?.close();
  await recorder?.stop();
});

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

it('runs a 1,000-branch group with the results in declaration order', async () => {
  const xs = range(1000);
  const started = performance.now();
  const squares: number[] = await flink.submit(inParallel(xs.map((x) => t.square.send(x))));
  console.log(`[e2e] 1,000-branch group: ${(performance.now() - started).toFixed(0)} ms`);
  expect(squares).toStrictEqual(xs.map((x) => t.square(x)));
});

it('runs a 1,000-branch group of chains feeding a sum', async () => {
  const xs = range(1000);
  const p = inParallel(xs.map((x) => t.add.send(x, 1).continueWith(t.multiply, 3))).continueWith(t.sum);
  expect(await flink.submit(p)).toBe(t.sum(xs.map((x) => t.multiply(t.add(x, 1), 3))));
});

it('runs 100 pipelines submitted concurrently, each with its own right result, each answered once', async () => {
  const cases = range(100).map((i): { p: Pipeline<number | string>; expected: number | string } => {
    switch (i % 4) {
      case 0:
        return { p: t.add.send(i, 1).continueWith(t.multiply, 3), expected: t.multiply(t.add(i, 1), 3) };
      case 1:
        return { p: inParallel([t.square.send(i), t.add.send(i, i)]).continueWith(t.sum), expected: t.sum([t.square(i), t.add(i, i)]) };
      case 2:
        return { p: t.divide.send(i, 0).exceptionally(t.recover, i), expected: i };
      default:
        return { p: t.affine.send(i, 2, 1, `p${i}`), expected: t.affine(i, 2, 1, `p${i}`) };
    }
  });
  const started = performance.now();
  const results = await Promise.all(cases.map(({ p }) => flink.submit(p)));
  console.log(`[e2e] 100 concurrent pipelines: ${(performance.now() - started).toFixed(0)} ms`);
  expect(results).toStrictEqual(cases.map((c) => c.expected));
  // Every pipeline published exactly one outcome on flink-tasks.replies.
  await recorder.until(() => cases.every(({ p }) => recorder.repliesFor(p.id, 'outcome').length >= 1));
  for (const { p } of cases) expect(recorder.repliesFor(p.id, 'outcome')).toHaveLength(1);
});
