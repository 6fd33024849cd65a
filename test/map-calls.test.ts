/**
 * The calls of a map request run at once (plain tasks, no hooks, no debug
 * lines, no tracing): their results are written straight into the packed
 * MapResults. Tested against the same pipelines on runtimes that take the
 * general path (a worker hook, or a logger that keeps debug lines), for
 * every way a call can leave the fast path.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlinkTasks, inParallel, LocalRuntime, silentLogger, TaskError, type LocalRuntimeOptions } from '../src/index.js';
import type { Logger } from '../src/core/log.js';
import { bufferOf, PackedValues, textAt } from '../src/statefun/packed-values.js';
import { tupleBounds } from '../src/wire/tuple-bounds.js';
import { ArgsTable } from '../src/ir/args-table.js';
import { DEFAULT_LIMITS } from '../src/core/limits.js';
import { Routes } from '../src/core/routes.js';
import { Effects, openSession } from '../src/executor/effects.js';
import { PipelineExecutor } from '../src/executor/executor.js';
import { codecs, Typenames } from '../src/wire/codec.js';
import { TaskException, TaskResult, Value } from '../src/wire/generated/flinktasks.js';
import { appendSlot, appendValueSlot, newGroupProgress, plainListValue, readSlots } from '../src/executor/slots.js';
import { groupOutcome, undefinedValue } from '../src/executor/group-outcome.js';
import { pipelineToWire } from '../src/wire/pipeline.js';
import { encodeJson, fromWireValue, jsonText, toValueBytes } from '../src/wire/values.js';
import { submission } from './support/submission.js';

const tasks = new FlinkTasks({ namespace: 'mc', workerName: 'worker' });
const calls = new Map<string, number>();
function count(key: string): void {
  calls.set(key, (calls.get(key) ?? 0) + 1);
}
const square = tasks.bind('square', (x: number) => x * x);
const echo = tasks.bind('echo', (x: unknown) => {
  count(`echo:${jsonText(x, 'a key')}`);
  return x;
});
/** Every way a plain function can answer, by x % 7. */
const mixed = tasks.bind('mixed', (x: number): unknown => {
  count(`mixed:${x}`);
  switch (x % 7) {
    case 0:
      throw new RangeError(`no ${x}`);
    case 1:
      return Promise.resolve(x * 2);
    case 2:
      return square.send(x);
    case 3:
      return () => x; // does not serialise
    case 4:
      return 'x'.repeat(3000); // over maxResultBytes below
    case 5:
      return { n: x, at: new Date(x), tag: `é${x}😀` };
    default:
      return undefined;
  }
});

/** A logger that keeps debug lines (which turns the fast path off) and drops them. */
const debugLogger: Logger = Object.assign(() => undefined, { level: 'debug' as const });

const kinds: Record<string, LocalRuntimeOptions> = {
  fast: { logger: silentLogger },
  hooked: { logger: silentLogger, hooks: { taskStarted: () => undefined } },
  debug: { logger: debugLogger },
};

async function runEach<T>(
  options: Partial<LocalRuntimeOptions>,
  run: (runtime: LocalRuntime) => Promise<T>,
): Promise<Record<string, { out: T; calls: Map<string, number> }>> {
  const outs: Record<string, { out: T; calls: Map<string, number> }> = {};
  for (const [name, base] of Object.entries(kinds)) {
    calls.clear();
    const runtime = new LocalRuntime(tasks, { ...base, ...options });
    try {
      outs[name] = { out: await run(runtime), calls: new Map(calls) };
    } finally {
      await runtime.close();
    }
  }
  return outs;
}

/** A slot as comparable data (TaskErrors by type and message). */
function plain(v: unknown): unknown {
  return v instanceof TaskError ? { error: v.errorType, message: v.message.slice(0, 80) } : v;
}

describe('map calls run at once', () => {
  it('answer exactly as the general path, for every way a call can end', async () => {
    const xs = Array.from({ length: 700 }, (_, i) => i);
    const outs = await runEach({ limits: { maxResultBytes: 2000 } }, async (runtime) =>
      (
        await runtime.submit(
          inParallel(
            xs.map((x) => mixed.send(x)),
            { returnExceptions: true },
          ),
        )
      ).map(plain),
    );
    const fast = outs.fast;
    expect(fast?.out).toHaveLength(700);
    expect(fast?.out.slice(0, 7)).toEqual([
      { error: 'RangeError', message: 'no 0' },
      2,
      4,
      { error: 'SerializationError', message: expect.stringContaining('cannot be serialised') as unknown },
      { error: 'MessageSizeExceeded', message: expect.stringContaining('limits.maxResultBytes') as unknown },
      { n: 5, at: new Date(5), tag: 'é5😀' },
      undefined,
    ]);
    expect(fast?.out).toEqual(outs.hooked?.out);
    expect(fast?.out).toEqual(outs.debug?.out);
    // Each call ran once, on every path.
    expect([...(fast?.calls.values() ?? [])].every((n) => n === 1)).toBe(true);
    expect(fast?.calls.size).toBe(700);
    expect(fast?.calls).toEqual(outs.hooked?.calls);
  });

  it('read any argument text, and keep completion order in an unordered group', async () => {
    const values: unknown[] = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 0 ? `ü${i}\u{1F600}` : i % 3 === 1 ? { big: BigInt(i), set: new Set([i]), s: 'plain' } : [i, null, 'a"b\\c'],
    );
    const outs = await runEach({}, async (runtime) => ({
      ordered: await runtime.submit(inParallel(values.map((v) => echo.send(v)))),
      unordered: await runtime.submit(
        inParallel(
          values.map((v) => echo.send(v)),
          { ordered: false },
        ),
      ),
    }));
    expect(outs.fast?.out.ordered).toEqual(values);
    expect(outs.fast?.out).toEqual(outs.hooked?.out);
    expect(outs.fast?.out).toEqual(outs.debug?.out);
  });

  it('keep each response within maxResponseBytes, sending the calls past it again', async () => {
    const values = Array.from({ length: 400 }, (_, i) => `${i}:${'y'.repeat(200)}`);
    const outs = await runEach({ limits: { maxResponseBytes: 4000 } }, async (runtime) => ({
      out: await runtime.submit(inParallel(values.map((v) => echo.send(v)))),
      requests: runtime.stats.requests,
    }));
    expect(outs.fast?.out.out).toEqual(values);
    expect(outs.fast?.out).toEqual(outs.debug?.out);
    // Past the budget calls run again: more than once each, as on the general path.
    expect(Math.max(...(outs.fast?.calls.values() ?? []))).toBeGreaterThan(1);
    expect(outs.fast?.calls).toEqual(outs.debug?.calls);
  });
});

describe('packed values', () => {
  it('are the bytes ArgsTable packs of toValueBytes, and read back as the tuples they hold', () => {
    const values: unknown[] = [1, 'é', 'x'.repeat(300), { d: new Date(0) }, undefined, 'z'.repeat(20000)];
    const packed = new PackedValues(1);
    const sizes = values.map((v) => packed.appendJson(jsonText(v, 'v')));
    const expected = values.map((v) => toValueBytes(v));
    expect(sizes).toEqual(expected.map((b) => b.byteLength));
    expect(new Uint8Array(packed.packed)).toEqual(ArgsTable.of(expected).packed);
    const mark = packed.length;
    packed.appendJson(jsonText(7, 'v'));
    packed.truncate(mark);
    expect(new Uint8Array(packed.packed)).toEqual(ArgsTable.of(expected).packed);

    const tuples = [encodeJson([1]), encodeJson(['é\u{1F600}']), new Uint8Array(0), encodeJson(['a'.repeat(200)]), new Uint8Array([0xff, 0x41])];
    const bytes = ArgsTable.of(tuples).packed;
    const bounds = tupleBounds(bytes, tuples.length);
    const buf = bufferOf(bytes);
    const decoder = new TextDecoder();
    expect(tuples.map((_, i) => textAt(buf, bounds?.starts[i] ?? 0, bounds?.ends[i] ?? 0))).toEqual(tuples.map((t) => decoder.decode(t)));
    // Bytes that do not hold the count of tuples are left to the general path, which reports them.
    expect(tupleBounds(bytes, tuples.length + 1)).toBeUndefined();
    expect(tupleBounds(bytes, tuples.length - 1)).toBeUndefined();
    expect(tupleBounds(bytes.subarray(0, bytes.byteLength - 1), tuples.length)).toBeUndefined();
    expect(tupleBounds(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), 1)).toBeUndefined();
  });
});

describe('map results on the pipeline function', () => {
  const self = { namespace: 'mc', name: 'pipeline', id: 'p' };
  const worker = { namespace: 'mc', name: 'worker', id: 'w' };
  const N = 24;

  function start(options: { maxParallelism: number; ordered: boolean; maxValueBytes: number; events: boolean }) {
    const executor = new PipelineExecutor({
      groupSplitThreshold: 512,
      repliesEgress: 'flinktasks/replies',
      ...(options.events ? { events: { egress: 'flinktasks/events', topic: 'flink-tasks.events' } } : {}),
      limits: { ...DEFAULT_LIMITS, maxValueBytes: options.maxValueBytes },
      routes: new Routes(['mc/pipeline', 'mc/worker'], ['flinktasks/replies']),
      newRunToken: () => 'run-1',
    });
    const session = openSession(undefined, undefined);
    const effects = new Effects(0, false);
    const pipeline = inParallel(
      Array.from({ length: N }, (_, i) => square.send(i)),
      { maxParallelism: options.maxParallelism, ordered: options.ordered },
    );
    executor.apply(session, self, submission('p', pipeline.toIR(), 'r'), effects);
    return { executor, session };
  }

  /** What the effects sent, as comparable data. */
  function sent(effects: Effects) {
    return {
      outgoing: effects.outgoing.map((m) => [m.target.id, m.typename, Buffer.from(m.payload).toString('hex')]),
      delayed: effects.delayed.map((m) => [m.target.id, m.typename, m.delayMs]),
      egress: effects.egress.map((e) => [e.egress, e.key, Buffer.from(e.value).toString('hex')]),
    };
  }

  it('do exactly what the TaskResults of their calls would, one by one', () => {
    fc.assert(
      fc.property(
        fc.record({
          maxParallelism: fc.constantFrom(0, 1, 5),
          ordered: fc.boolean(),
          maxValueBytes: fc.constantFrom(DEFAULT_LIMITS.maxValueBytes, 120),
          events: fc.boolean(),
          messages: fc.array(
            fc.record({
              invocationId: fc.constantFrom('run-1', 'run-1', 'run-1', 'other'),
              results: fc.array(fc.record({ branch: fc.integer({ min: 0, max: N + 2 }), value: fc.oneof(fc.integer(), fc.string({ maxLength: 30 })) }), {
                minLength: 1,
                maxLength: 12,
              }),
            }),
            { maxLength: 12 },
          ),
        }),
        ({ maxParallelism, ordered, maxValueBytes, events, messages }) => {
          const packed = start({ maxParallelism, ordered, maxValueBytes, events });
          const alone = start({ maxParallelism, ordered, maxValueBytes, events });
          const a = new Effects(0, false);
          const b = new Effects(0, false);
          for (const m of messages) {
            const values = m.results.map((r) => toValueBytes(r.value));
            packed.executor.apply(
              packed.session,
              self,
              {
                typename: Typenames.mapResults,
                payload: codecs.mapResults.encode({
                  invocationId: m.invocationId,
                  uid: 1,
                  branches: m.results.map((r) => r.branch),
                  values: ArgsTable.of(values).packed,
                  id: 'p/1.',
                  taskName: 'square',
                }),
                caller: worker,
              },
              a,
            );
            m.results.forEach((r, j) => {
              alone.executor.apply(
                alone.session,
                self,
                {
                  typename: Typenames.taskResult,
                  payload: codecs.taskResult.encode(
                    TaskResult.create({
                      id: `p/1.${1 + r.branch}`,
                      taskName: 'square',
                      result: values[j],
                      invocationId: m.invocationId,
                      uid: 1 + r.branch,
                      branch: r.branch,
                    }),
                  ),
                  caller: worker,
                },
                b,
              );
            });
          }
          expect(sent(a)).toEqual(sent(b));
          const state = (s: typeof packed.session) => (s.progress ? Buffer.from(codecs.pipelineProgress.encode(s.progress)).toString('hex') : undefined);
          expect(state(packed.session)).toEqual(state(alone.session));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('a finished group of plain values', () => {
  it('lists them straight from the slots, exactly as decoding the slots does', () => {
    fc.assert(
      fc.property(
        fc.record({
          ordered: fc.boolean(),
          values: fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 40 }), fc.constant(undefined), fc.constant('long'.repeat(20))), {
            minLength: 1,
            maxLength: 40,
          }),
          seed: fc.integer(),
          extra: fc.constantFrom('none', 'none', 'error', 'state', 'empty'),
        }),
        ({ ordered, values, seed, extra }) => {
          const n = values.length;
          const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101));
          const node = inParallel(
            values.map((_, i) => square.send(i)),
            { ordered },
          ).toIR().entries[0];
          if (node?.kind !== 'GroupEntry') throw new Error('not a group');
          const gp = newGroupProgress(1, n, n);
          order.forEach((index, k) => {
            const value = toValueBytes(values[index]);
            if (k === 0 && extra === 'error') appendSlot(gp, { index, error: TaskException.create({ exceptionType: 'E', branch: index }) });
            else if (k === 0 && extra === 'state') appendSlot(gp, { index, value, state: encodeJson({ s: 1 }) });
            else if (k === 0 && extra === 'empty') appendSlot(gp, { index, value: new Uint8Array(0) });
            else if (k % 2 === 0) appendSlot(gp, { index, value });
            else {
              const packed = ArgsTable.of([value]).packed;
              appendValueSlot(gp, index, packed, packed.byteLength - value.byteLength, packed.byteLength);
            }
          });
          const general = groupOutcome({ ...node, returnExceptions: true }, readSlots(gp));
          const plain = plainListValue(gp, ordered, undefinedValue());
          if (extra === 'error' || extra === 'state') expect(plain).toBeUndefined();
          else expect(plain).toEqual('value' in general ? general.value : 'an error');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('encoded values read in place', () => {
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc
        .oneof(fc.integer(), fc.string(), fc.constant(undefined), fc.date({ noInvalidDate: true }))
        .map((v) => ({ kind: { $case: 'json' as const, value: encodeJson(v) } })),
      fc.constant({ kind: { $case: 'json' as const, value: new Uint8Array(0) } }),
      fc.constant({ kind: undefined }),
      fc.string().map((m) => ({ kind: { $case: 'error' as const, value: TaskException.create({ exceptionType: 'E', exceptionMessage: m }) } })),
      fc.array(tie('tree'), { maxLength: 5 }).map((items) => ({ kind: { $case: 'list' as const, value: { items } } })),
    ),
  }));

  function outcome(f: () => unknown): unknown {
    try {
      return { value: plain(f()) };
    } catch (err) {
      return { threw: String(err) };
    }
  }
  const deep = (v: unknown): unknown => (Array.isArray(v) ? v.map(deep) : plain(v));

  it('are the values decoding them as messages gives, for any Value and any bytes', () => {
    fc.assert(
      fc.property(tree, fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 }), fc.nat(), (value, noise, cut) => {
        const bytes = Value.encode(value as Value).finish();
        expect(deep(fromWireValue(bytes))).toEqual(deep(fromWireValue(Value.decode(bytes))));
        // The same bytes cut short, or followed by other fields: the same answer or the same error.
        for (const b of [bytes.subarray(0, cut % (bytes.byteLength + 1)), new Uint8Array([...bytes, ...noise])]) {
          const direct = outcome(() => deep(fromWireValue(b)));
          const decoded = outcome(() => deep(fromWireValue(b.byteLength > 0 ? Value.decode(b) : undefined)));
          expect(direct).toEqual(decoded);
        }
      }),
      { numRuns: 500 },
    );
    // Fields a reader skips or merges, inside a list and at the top.
    const item = toValueBytes(5);
    const handMade = [
      [0x12, item.byteLength + 4, 0x0a, item.byteLength, ...item, 0x10, 0x05],
      [0x12, item.byteLength + 4, 0x0a, item.byteLength, ...item, 0x10, 0x00],
      [0x12, item.byteLength + 2, 0x0a, item.byteLength, ...item, 0x12, item.byteLength + 2, 0x0a, item.byteLength, ...item],
      [0x12, item.byteLength + 2, 0x0a, item.byteLength, ...item, ...item],
      [0x0a, 1, 0x31, 0x0a, 1, 0x32],
      [0x12, 2, 0x0a, 0],
      [0x12, 0],
    ];
    for (const b of handMade.map((x) => new Uint8Array(x)))
      expect(outcome(() => deep(fromWireValue(b)))).toEqual(outcome(() => deep(fromWireValue(Value.decode(b)))));
  });
});

describe('a finished pipeline', () => {
  it('keeps its result once in state, as its outcome, and still answers with it', () => {
    const executor = new PipelineExecutor({
      groupSplitThreshold: 512,
      repliesEgress: 'flinktasks/replies',
      limits: DEFAULT_LIMITS,
      routes: new Routes(['mc/pipeline', 'mc/worker'], ['flinktasks/replies']),
      newRunToken: () => 'run-1',
    });
    const self = { namespace: 'mc', name: 'pipeline', id: 'p' };
    const session = openSession(undefined, undefined);
    const submit = (pipeline: Parameters<typeof pipelineToWire>[0], effects: Effects) => executor.apply(session, self, submission('p', pipeline, 'r'), effects);
    submit(square.send(3).toIR(), new Effects(0, false));
    const result = toValueBytes('x'.repeat(1000));
    const done = new Effects(0, false);
    executor.apply(
      session,
      self,
      {
        typename: Typenames.taskResult,
        payload: codecs.taskResult.encode(TaskResult.create({ id: 'p/0', taskName: 'square', result, invocationId: 'run-1', uid: 0 })),
        caller: { namespace: 'mc', name: 'worker', id: 'w' },
      },
      done,
    );
    const o = session.progress?.outcome?.taskResultOrException;
    expect(o?.$case === 'taskResult' ? o.value.result : undefined).toEqual(result);
    expect(session.progress?.value).toBeUndefined();
    const progressBytes = codecs.pipelineProgress.encode(session.progress as NonNullable<typeof session.progress>).byteLength;
    expect(progressBytes).toBeLessThan(result.byteLength * 1.5);
    const reply = codecs.reply.decode((done.egress[0] as { value: Uint8Array }).value).reply;
    const r = reply?.$case === 'outcome' ? reply.value.taskResultOrException : undefined;
    expect(r?.$case === 'taskResult' ? fromWireValue(r.value.result) : r).toBe('x'.repeat(1000));
  });
});
