/**
 * Differential property test: a random pipeline's result on the local
 * runtime equals what calling its task functions directly gives (the
 * oracle). Groups are split and chains segmented aggressively (3 entries per
 * key), so hierarchical aggregation and continuations are exercised too;
 * steps may time out (a task that never ends, bound with a short timeout)
 * and pause the pipeline after them (unpaused by a listener as soon as the
 * PAUSED event arrives), which must not change the outcome.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FlinkTasks, inParallel, LocalRuntime, silentLogger, TaskError, type Pipeline } from '../src/index.js';

type Step = (
  { readonly op: 'add' | 'mul' | 'failIfDivisible'; readonly k: number } | { readonly op: 'recover'; readonly v: number } | { readonly op: 'hang' }
) & { readonly pause?: boolean };
type Start =
  | { readonly kind: 'value'; readonly n: number }
  | { readonly kind: 'group'; readonly branches: readonly Spec[]; readonly ordered: boolean; readonly maxParallelism: number }
  | { readonly kind: 'orchestrate'; readonly inner: Spec };
interface Spec {
  readonly start: Start;
  readonly steps: readonly Step[];
}

const MOD = 1_000_003;
const tasks = new FlinkTasks({ namespace: 'prop', workerName: 'worker', groupSplitThreshold: 3, chainSegmentLength: 3 });
const start = tasks.bind('start', (n: number) => n);
const add = tasks.bind('add', (x: number, k: number) => (x + k) % MOD);
const mul = tasks.bind('mul', (x: number, k: number) => (x * k) % MOD);
const failIfDivisible = tasks.bind('failIfDivisible', (x: number, k: number) => {
  if (x % k === 0) throw new RangeError(`${x} is divisible by ${k}`);
  return x;
});
const recover = tasks.bind('recover', (_e: TaskError, v: number) => v);
/** Never ends: its timeout fails it (a TaskTimeout, like any failure for the oracle). */
const hang = tasks.bind({ name: 'hang', timeoutMs: 5 }, (x: number) => new Promise<number>(() => void x));
// Ordered groups fold with an order-sensitive hash; unordered ones with an order-insensitive sum.
const fold = tasks.bind('fold', (xs: number[]) => xs.reduce((a, b) => (a * 31 + b) % MOD, 7));
const total = tasks.bind('total', (xs: number[]) => xs.reduce((a, b) => (a + b) % MOD, 0));
const orchestrate = tasks.bind('orchestrate', (spec: Spec): Pipeline<number> => build(spec));

function build(spec: Spec): Pipeline<number> {
  let p: Pipeline<number>;
  const s = spec.start;
  if (s.kind === 'value') p = start.send(s.n);
  else if (s.kind === 'orchestrate') p = orchestrate.send(s.inner);
  else {
    const group = inParallel(s.branches.map(build), { ordered: s.ordered, ...(s.maxParallelism > 0 ? { maxParallelism: s.maxParallelism } : {}) });
    p = s.ordered ? group.continueWith(fold) : group.continueWith(total);
  }
  for (const step of spec.steps) {
    if (step.op === 'recover') p = p.exceptionally(recover, step.v);
    else if (step.op === 'add') p = p.continueWith(add, step.k);
    else if (step.op === 'mul') p = p.continueWith(mul, step.k);
    else if (step.op === 'hang') p = p.continueWith(hang);
    else p = p.continueWith(failIfDivisible, step.k);
    if (step.pause) p = p.pauseAfter();
  }
  return p;
}

/** The oracle: the same computation by direct calls. */
function oracle(spec: Spec): { ok: true; value: number } | { ok: false } {
  let state: { ok: true; value: number } | { ok: false };
  const s = spec.start;
  if (s.kind === 'value') state = { ok: true, value: start(s.n) };
  else if (s.kind === 'orchestrate') state = oracle(s.inner);
  else {
    const results = s.branches.map(oracle);
    const values = results.map((r) => (r as { value: number }).value);
    state = results.every((r) => r.ok) ? { ok: true, value: s.ordered ? fold(values) : total(values) } : { ok: false };
  }
  for (const step of spec.steps) {
    if (step.op === 'recover') {
      if (!state.ok) state = { ok: true, value: step.v };
      continue;
    }
    if (!state.ok) continue;
    if (step.op === 'hang') {
      state = { ok: false };
      continue;
    }
    try {
      const x = state.value;
      state = { ok: true, value: step.op === 'add' ? add(x, step.k) : step.op === 'mul' ? mul(x, step.k) : failIfDivisible(x, step.k) };
    } catch {
      state = { ok: false };
    }
  }
  return state;
}

const pause = fc.option(fc.constant(true), { freq: 8, nil: undefined });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constantFrom('add' as const, 'mul' as const), k: fc.integer({ min: 1, max: 50 }), pause }, { requiredKeys: ['op', 'k'] }),
  fc.record({ op: fc.constant('failIfDivisible' as const), k: fc.integer({ min: 2, max: 5 }), pause }, { requiredKeys: ['op', 'k'] }),
  fc.record({ op: fc.constant('recover' as const), v: fc.integer({ min: 0, max: 100 }), pause }, { requiredKeys: ['op', 'v'] }),
  { arbitrary: fc.record({ op: fc.constant('hang' as const), pause }, { requiredKeys: ['op'] }), weight: 1 },
);

const { spec } = fc.letrec<{ spec: Spec; start: Start }>((tie) => ({
  spec: fc.record({ start: tie('start'), steps: fc.array(step, { maxLength: 7 }) }),
  start: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('value' as const), n: fc.integer({ min: 0, max: 1000 }) }),
    fc.record({
      kind: fc.constant('group' as const),
      branches: fc.array(tie('spec'), { maxLength: 8 }),
      ordered: fc.boolean(),
      maxParallelism: fc.integer({ min: 0, max: 3 }),
    }),
    fc.record({ kind: fc.constant('orchestrate' as const), inner: tie('spec') }),
  ),
}));

const runtime = new LocalRuntime(tasks, { logger: silentLogger });
// Whatever pauses (a root, a branch, an orchestrator's child) is unpaused as soon as it says so.
runtime.onEvent((e) => {
  if (e.kind === 'statusChanged' && e.status === 'PAUSED') void runtime.unpause(e.pipelineId).catch(() => undefined);
});
afterAll(() => runtime.close());
const runs = Number(process.env.PROPERTY_RUNS ?? 500);

describe('differential property: local runtime = direct calls', () => {
  it(`holds for ${runs} random pipelines (chains, nested, empty and split groups, failures with exceptionally, orchestrators, timeouts, pauseAfter)`, async () => {
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const expected = oracle(s);
        const actual = await runtime.submit(build(s)).then(
          (value) => ({ ok: true as const, value }),
          (e: unknown) => {
            if (!(e instanceof TaskError)) throw e;
            return { ok: false as const };
          },
        );
        expect(actual).toEqual(expected);
      }),
      { numRuns: runs },
    );
  }, 240_000);
});
