/**
 * Pipelines to look at: the stock example, a failing pipeline, a retried
 * task, one held running (with progress from ctx.progress) until `release()`, and a
 * 250,000-branch group fed as events. Used by the browser test and by
 * `npm run dashboard:screenshot`.
 */
import { inParallel, RetryPolicy, TaskError, type TaskContext } from '../../src/index.js';
import { averageStdDev, tasks } from '../../examples/stock/tasks.js';
import { bigGroup, created, finished, started, status } from '../observe/events.js';
import { ObservedRuntime } from '../observe/observed-runtime.js';

let gate: () => void = () => undefined;
const held = new Promise<void>((resolve) => (gate = resolve));

const parseOrder = tasks.bind('parseOrder', (text: string): { sku: string; amount: number } => {
  const order = JSON.parse(text) as { sku?: string; amount?: number };
  if (order.amount === undefined) throw new TypeError(`order ${order.sku ?? '?'} has no "amount"`);
  return { sku: order.sku ?? '', amount: order.amount };
});
const chargeCard = tasks.bind('chargeCard', (o: { sku: string; amount: number }) => `charged ${o.amount}`);
const shipOrder = tasks.bind('shipOrder', (receipt: string) => `${receipt}, shipped`);
const refund = tasks.bind('refund', (e: TaskError) => `refund after ${e.errorType}`);
const notify = tasks.bind('notifyCustomer', () => undefined);
let flakyCalls = 0;
const fetchQuote = tasks.bind({ name: 'fetchQuote', retry: new RetryPolicy({ maxRetries: 3, delayMs: 5 }) }, (stock: string) => {
  if (++flakyCalls <= 2) throw new Error(`quote service timed out (${stock})`);
  return 42;
});
const crunch = tasks.bind({ name: 'crunchPartition', withContext: true }, async (ctx: TaskContext, partition: number) => {
  if (partition === 1 || partition === 2) ctx.progress(partition === 1 ? 0.4 : 0.7, 'reading rows');
  if (partition % 3 !== 0) await held;
  return partition;
});
const mergePartitions = tasks.bind('mergePartitions', (xs: number[]) => xs.length);

export interface Scenario {
  readonly client: ObservedRuntime;
  readonly ids: { readonly stock: string; readonly failing: string; readonly retried: string; readonly running: string; readonly big: string };
  /** Lets the held pipeline's tasks finish. */
  release(): void;
}

export async function scenario(): Promise<Scenario> {
  const client = new ObservedRuntime(tasks);
  const stock = averageStdDev.send(['BT.L', 'BP.L', 'VOD.L', 'HSBA.L']);
  await client.submit(stock);
  const failing = parseOrder.send('{"sku":"A-17"}').continueWith(chargeCard).continueWith(shipOrder).exceptionally(refund).finallyDo(notify);
  await client.submit(failing);
  const failingHard = parseOrder.send('{"sku":"B-2"}').continueWith(chargeCard).continueWith(shipOrder);
  await client.submit(failingHard).catch(() => undefined);
  const retried = fetchQuote.send('BT.L');
  await client.submit(retried);
  const running = inParallel(Array.from({ length: 6 }, (_, i) => crunch.send(i))).continueWith(mergePartitions);
  void client.submit(running).catch(() => undefined);
  // The held tasks' progress reports (ctx.progress) have arrived.
  const deadline = Date.now() + 5000;
  const reported = (): number => [...(client.pipelines.inspectNow(running.id)?.entries.values() ?? [])].filter((e) => e.progress).length;
  while (((client.pipelines.inspectNow(running.id)?.summary.tasks.done ?? 0) < 2 || reported() < 2) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 5));
  // A 250,000-branch group, fed as the runtime's events would be.
  const big = { pipelineId: 'nightly-backfill-2026-11-24' };
  client.publish(created(big, bigGroup(250_000, 64, 0), 'submitted', Date.now() - 95_000));
  client.publish(status(big, 'RUNNING', undefined, Date.now() - 95_000));
  for (let i = 0; i < 250_000; i++) {
    client.publish(started(big, 1 + 2 * i, 'a', 0, Date.now() - 90_000));
    if (i < 180_000) client.publish(finished(big, 1 + 2 * i, 'a', undefined, Date.now() - 60_000));
    if (i < 120_000) {
      client.publish(started(big, 2 + 2 * i, 'b', 0, Date.now() - 50_000));
      client.publish(finished(big, 2 + 2 * i, 'b', undefined, Date.now() - 10_000));
    }
  }
  return { client, ids: { stock: stock.id, failing: failingHard.id, retried: retried.id, running: running.id, big: big.pipelineId }, release: gate };
}
