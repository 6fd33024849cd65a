/**
 * What keeps large groups cheap, tested for being exactly the same as the
 * plain forms: compact groups (one task, many argument tuples) on the wire
 * and in the IR, map requests, message batches, values kept as bytes, and
 * submissions in parts (no Kafka record grows with the group). Hostile
 * inputs to each get clear errors.
 */
import { describe, expect, it } from 'vitest';
import { FlinkTasks, inParallel, LocalRuntime, RetryPolicy, silentLogger, type Pipeline } from '../src/index.js';
import { DEFAULT_LIMITS } from '../src/core/limits.js';
import { Routes } from '../src/core/routes.js';
import { Effects, openSession } from '../src/executor/effects.js';
import { PipelineExecutor } from '../src/executor/executor.js';
import { taskEventBytes } from '../src/executor/events.js';
import { appendSlot, isFinished, newGroupProgress, readSlots } from '../src/executor/slots.js';
import { ArgsTable } from '../src/ir/args-table.js';
import { branchAt, branchCount, GroupEntryNode, type PipelineNode } from '../src/ir/nodes.js';
import { splitLargeGroups } from '../src/ir/split.js';
import { numberEntries } from '../src/ir/transform.js';
import { validatePipeline } from '../src/ir/validate.js';
import { encodeBatch, MESSAGE_BATCH_TYPENAME, readBatch } from '../src/wire/batch.js';
import { eventBatchOf, eventsOf } from '../src/wire/events.js';
import { codecs, Typenames } from '../src/wire/codec.js';
import { TaskRequest, Value } from '../src/wire/generated/flinktasks.js';
import { pipelineFromWire, pipelineToWire } from '../src/wire/pipeline.js';
import { listValueBytes } from '../src/wire/value-bytes.js';
import { decodeJson, encodeJson, fromWireValue, toValueBytes } from '../src/wire/values.js';
import { callsOf } from '../src/worker/task-request.js';
import { submission } from './support/submission.js';

const tasks = new FlinkTasks({ namespace: 'lg', workerName: 'worker' });
const square = tasks.bind('square', (x: number) => x * x);
const echo = tasks.bind('echo', (x: unknown) => x);
const flaky = tasks.bind({ name: 'flaky', retry: new RetryPolicy({ maxRetries: 2, delayMs: 1 }) }, (x: number) => x);

/** A runtime that sends any submission larger than `limit` bytes in parts, as KafkaTasksClient does past maxBatchBytes. */
class PartedRuntime extends LocalRuntime {
  constructor(readonly limit: number) {
    super(tasks, { logger: silentLogger });
  }
  protected override maxCommandBytes(): number {
    return this.limit;
  }
}

function groupOf(ir: PipelineNode): GroupEntryNode {
  const g = ir.entries[0];
  if (!g || g.kind !== 'GroupEntry') throw new Error('not a group');
  return g;
}

describe('compact groups', () => {
  it('travel as one task and packed argument tuples, and come back as the same branches', () => {
    const ir = inParallel(Array.from({ length: 300 }, (_, i) => square.send(i))).toIR();
    const wire = pipelineToWire(ir);
    const g = wire.entries[0]?.entry;
    expect(g?.$case === 'groupEntry' && { branches: g.value.group.length, mapped: g.value.mapCount, task: g.value.mapTask?.taskName }).toEqual({
      branches: 0,
      mapped: 300,
      task: 'square',
    });
    // The whole submission costs the arguments plus a byte or two per branch, not a task entry each.
    expect(codecs.pipeline.encode(wire).byteLength).toBeLessThan(300 * 20);
    const back = pipelineFromWire(wire);
    const group = groupOf(back);
    expect(group.map?.args.length).toBe(300);
    expect(branchCount(group)).toBe(300);
    expect(branchAt(group, 299)).toEqual(groupOf(ir).branches[299]);
    // Its branches, built when read, are the original ones.
    expect(back).toEqual(ir);
    expect(pipelineFromWire(pipelineToWire(back))).toEqual(ir);
  });

  it('stays a plain group when the branches differ in anything but arguments', () => {
    const mixed = inParallel([square.send(1), echo.send(2), square.send(3)]).toIR();
    const retried = inParallel([flaky.send(1), flaky.send(2).set({ displayName: 'other' })]).toIR();
    const chains = inParallel([square.send(1).continueWith(square), square.send(2).continueWith(square)]).toIR();
    for (const ir of [mixed, retried, chains]) {
      const g = pipelineToWire(ir).entries[0]?.entry;
      expect(g?.$case === 'groupEntry' ? g.value.mapTask : 'no group').toBeUndefined();
      expect(pipelineFromWire(pipelineToWire(ir))).toEqual(ir);
    }
  });

  it('split into compact parts, numbered and validated without building their branches', () => {
    const ir = pipelineFromWire(pipelineToWire(inParallel(Array.from({ length: 1000 }, (_, i) => square.send(i))).toIR()));
    const split = splitLargeGroups(ir, 100);
    const parts = groupOf(split).branches.map((b) => groupOf(b));
    expect(parts.map((p) => p.map?.args.length)).toEqual(Array(10).fill(100));
    expect(parts.map((p) => p.map?.task.uid)).toEqual(Array.from({ length: 10 }, (_, i) => 1 + i * 100));
    expect(decodeJson(parts[3]!.map!.args.at(7))).toEqual([307]);
    expect(numberEntries(ir, 5)).toEqual(numberEntries(inParallel(Array.from({ length: 1000 }, (_, i) => square.send(i))).toIR(), 5));
    expect(validatePipeline(ir)).toBe(ir);
  });

  it('refuse packed arguments that do not hold their count, or a group with both forms', () => {
    const wire = pipelineToWire(inParallel([square.send(1), square.send(2)]).toIR());
    const entry = wire.entries[0]!.entry!;
    if (entry.$case !== 'groupEntry') throw new Error('not a group');
    for (const broken of [
      { ...entry.value, mapCount: 3 },
      { ...entry.value, mapCount: 1 },
      { ...entry.value, mapArgs: entry.value.mapArgs.subarray(0, entry.value.mapArgs.byteLength - 1) },
      { ...entry.value, mapCount: 2 ** 31 },
    ]) {
      expect(() => pipelineFromWire({ ...wire, entries: [{ entry: { $case: 'groupEntry', value: broken } }] })).toThrow(RangeError);
    }
    const both = { ...entry.value, group: [{ entries: [], inline: false }] };
    expect(() => pipelineFromWire({ ...wire, entries: [{ entry: { $case: 'groupEntry', value: both } }] })).toThrow(/both branches and a compact map/);
  });

  it('come out of toIR() for a fan-out, equal to the group written out', () => {
    const xs = Array.from({ length: 500 }, (_, i) => i);
    const ir = inParallel(xs.map((x) => square.send(x)))
      .continueWith(echo)
      .toIR();
    const group = groupOf(ir);
    expect(group.map?.args.length).toBe(500);
    expect(group.map?.task.uid).toBe(1);
    expect(ir.entries[1]?.uid).toBe(501);
    const written = GroupEntryNode.create({
      uid: 0,
      branches: group.branches,
      maxParallelism: 0,
      ordered: true,
      returnExceptions: false,
      flatten: false,
      continuation: false,
    });
    expect(group).toEqual(written);
    expect(group.branches[499]?.entries[0]).toMatchObject({ uid: 500, taskName: 'square' });
  });

  it('with uids that collide with other entries are refused, wherever they collide', () => {
    const ir = inParallel(Array.from({ length: 10 }, (_, i) => square.send(i)))
      .continueWith(echo)
      .toIR();
    const group = groupOf(ir);
    const clash = (uid: number, taskUid = 1) =>
      ({
        ...ir,
        entries: [GroupEntryNode.cloneWith(group, { map: { task: { ...group.map!.task, uid: taskUid }, args: group.map!.args } }), { ...ir.entries[1]!, uid }],
      }) as PipelineNode;
    expect(() => validatePipeline(clash(5))).toThrow(/uid 5 is used twice/);
    expect(() => validatePipeline(clash(11, 3))).toThrow(/uid 11 is used twice/);
    expect(() => validatePipeline(clash(0, 0))).toThrow(/uid 0 is used twice/);
    expect(validatePipeline(clash(11))).toBeDefined();
  });

  it('an argument table slices and gathers what it holds', () => {
    const tuples = Array.from({ length: 300 }, (_, i) => encodeJson(['x'.repeat(i)]));
    const table = ArgsTable.of(tuples);
    const slice = table.slice(120, 260);
    expect(slice.length).toBe(140);
    expect(decodeJson(slice.at(139))).toEqual(['x'.repeat(259)]);
    const gathered = ArgsTable.fromPacked(table.gather([299, 0, 150]), 3);
    expect([0, 1, 2].map((i) => decodeJson(gathered.at(i)))).toEqual([['x'.repeat(299)], [''], ['x'.repeat(150)]]);
    expect(() => table.at(300)).toThrow(RangeError);
  });
});

describe('map requests', () => {
  it('stand for the very requests the branches would have had alone', () => {
    const executor = new PipelineExecutor({
      groupSplitThreshold: 512,
      repliesEgress: 'flinktasks/replies',
      limits: DEFAULT_LIMITS,
      routes: new Routes(['lg/pipeline', 'lg/worker'], ['flinktasks/replies']),
      newRunToken: () => 'run-1',
    });
    const session = openSession(undefined, undefined);
    const effects = new Effects();
    executor.apply(
      session,
      { namespace: 'lg', name: 'pipeline', id: 'p' },
      submission('p', inParallel(Array.from({ length: 40 }, (_, i) => square.send(i))).toIR(), 'r'),
      effects,
    );
    const sent = effects.outgoing.filter((m) => m.typename === Typenames.taskRequest);
    // one request per worker address (16), not one per branch
    expect(sent).toHaveLength(16);
    const calls = sent.flatMap((m) => callsOf(codecs.taskRequest.decode(m.payload)).map((r) => ({ r, address: m.target.id })));
    expect(calls.map(({ r }) => r.branch).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    for (const { r, address } of calls) {
      expect(r).toMatchObject({ id: `p/1.${r.branch + 1}`, uid: r.branch + 1, taskName: 'square', invocationId: 'run-1', mapBranches: [] });
      expect(decodeJson(r.args)).toEqual([r.branch]);
      expect(address).toBe(`p~${(r.branch + 1) % 16}`);
    }
  });

  it('with packed arguments that do not match their branches are refused', () => {
    const request = TaskRequest.create({ id: 'p/1.', taskName: 'square', uid: 1, mapBranches: [0, 1], mapArgs: ArgsTable.of([encodeJson([1])]).packed });
    expect(() => callsOf(request)).toThrow(RangeError);
  });
});

describe('map results', () => {
  it('stand for the TaskResults of their calls, and are refused from clients or when they do not decode', () => {
    const executor = new PipelineExecutor({
      groupSplitThreshold: 512,
      repliesEgress: 'flinktasks/replies',
      limits: DEFAULT_LIMITS,
      routes: new Routes(['lg/pipeline', 'lg/worker'], ['flinktasks/replies']),
      newRunToken: () => 'run-1',
    });
    const self = { namespace: 'lg', name: 'pipeline', id: 'p' };
    const worker = { namespace: 'lg', name: 'worker', id: 'w' };
    const session = openSession(undefined, undefined);
    const start = new Effects();
    executor.apply(session, self, submission('p', inParallel([square.send(1), square.send(2), square.send(3)]).toIR(), 'r'), start);
    const results = (branches: number[], values: unknown[]) =>
      codecs.mapResults.encode({
        invocationId: 'run-1',
        uid: 1,
        branches,
        values: ArgsTable.of(values.map((v) => toValueBytes(v))).packed,
        id: 'p/1.',
        taskName: 'square',
      });
    const applyFrom = (payload: Uint8Array, caller: typeof worker | undefined) => {
      const effects = new Effects();
      executor.apply(session, self, { typename: Typenames.mapResults, payload, caller }, effects);
      return effects;
    };
    const apply = (payload: Uint8Array) => applyFrom(payload, worker);
    expect(
      applyFrom(results([2, 0], [9, 1]), undefined)
        .logs.map((l) => l.message)
        .join(),
    ).toMatch(/results only come from functions/);
    expect(
      apply(results([1], [4]).subarray(0, 20))
        .logs.map((l) => l.message)
        .join(),
    ).toMatch(/cannot be decoded/);
    apply(results([2, 0], [9, 1]));
    const done = apply(results([1], [4]));
    const reply = codecs.reply.decode(done.egress[0]!.value).reply;
    const o = reply?.$case === 'outcome' ? reply.value.taskResultOrException : undefined;
    expect(o?.$case === 'taskResult' ? fromWireValue(o.value.result) : o).toEqual([1, 4, 9]);
  });
});

describe('message batches', () => {
  it('carry their messages in order, as views', () => {
    const items = [
      { typename: Typenames.taskRequest, payload: new Uint8Array([1, 2, 3]) },
      { typename: Typenames.taskResult, payload: new Uint8Array(300).fill(7) },
      { typename: Typenames.taskException, payload: new Uint8Array(0) },
    ];
    const read: Array<{ typename: string; payload: Uint8Array }> = [];
    readBatch(encodeBatch(items), (item) => read.push(item));
    expect(read).toEqual(items);
  });

  it('refuse what is not a batch before handing out anything', () => {
    const good = encodeBatch([
      { typename: Typenames.taskRequest, payload: new Uint8Array([1]) },
      { typename: Typenames.taskResult, payload: new Uint8Array([2]) },
    ]);
    const seen: unknown[] = [];
    expect(() => readBatch(good.subarray(0, good.byteLength - 1), (i) => seen.push(i))).toThrow(RangeError);
    expect(() => readBatch(new Uint8Array([0x0a, 0x02, 0x08, 0x09]), (i) => seen.push(i))).toThrow(/unknown kind 9/);
    expect(seen).toEqual([]);
    expect(() => encodeBatch([{ typename: Typenames.taskActionRequest, payload: new Uint8Array(1) }])).toThrow(/cannot travel in a batch/);
  });

  it('that do not decode are dead-lettered by the pipeline function, not applied', () => {
    const letters: string[] = [];
    const executor = new PipelineExecutor({
      groupSplitThreshold: 512,
      repliesEgress: 'flinktasks/replies',
      limits: DEFAULT_LIMITS,
      routes: new Routes(['lg/pipeline', 'lg/worker'], ['flinktasks/replies']),
    });
    const session = openSession(undefined, undefined);
    const effects = new Effects();
    executor.apply(
      session,
      { namespace: 'lg', name: 'pipeline', id: 'p' },
      { typename: MESSAGE_BATCH_TYPENAME, payload: new Uint8Array([0x0a, 0x05, 0x08]), caller: { namespace: 'lg', name: 'worker', id: 'w' } },
      effects,
    );
    for (const l of effects.logs) letters.push(l.message);
    expect(letters.join()).toMatch(/message batch that does not decode/);
    expect(session.progress).toBeUndefined();
  });
});

describe('event records', () => {
  it('hold one event or a batch of them, read alike', () => {
    const one = { pipelineId: 'p', pipelineAddress: 'a', rootPipelineId: 'r', rootPipelineAddress: '', parentPipelineId: '', time: 5, event: undefined };
    const encoded = [1, 2, 3].map((time) => codecs.event.encode({ ...one, time }));
    expect(eventsOf(encoded[0]!).map((e) => e.time)).toEqual([1]);
    expect(eventsOf(eventBatchOf(encoded)).map((e) => e.time)).toEqual([1, 2, 3]);
    expect(eventsOf(new Uint8Array(0))).toHaveLength(1);
    expect(() => eventsOf(new Uint8Array([0xa2, 0x06, 0x05, 0x01]))).toThrow();
  });

  it('of tasks, written directly, are the bytes the generated encoder writes', () => {
    const header = codecs.event.encode({
      pipelineId: 'p/1.0.3',
      pipelineAddress: 'ns/pipeline/p/1.0.3',
      rootPipelineId: 'p',
      rootPipelineAddress: 'ns/pipeline/p',
      parentPipelineId: 'p',
      time: 0,
      event: undefined,
    });
    for (const [uid, branch, taskName, displayName, time] of [
      [0, undefined, 'noop', undefined, 0],
      [300, 299, 'noop', 'Nöop × 2', 1764561234567.5],
      [2 ** 31, 0, 'é'.repeat(100), '', 1],
      [7, 2 ** 20, '', 'x', 0],
    ] as const) {
      for (const field of [10, 11] as const) {
        const value = { uid, branch, taskName, displayName: displayName ?? '', attempt: 0, error: undefined, delayMs: 0, fraction: 0, message: '' };
        const own = codecs.event.encode({
          pipelineId: '',
          pipelineAddress: '',
          rootPipelineId: '',
          rootPipelineAddress: '',
          parentPipelineId: '',
          time,
          event: field === 10 ? { $case: 'taskStarted', value } : { $case: 'taskFinished', value },
        });
        expect(taskEventBytes(header, time, field, { uid, taskName, displayName }, branch)).toEqual(new Uint8Array([...header, ...own]));
      }
    }
  });

  it("of a large group reach the runtime's listeners, every one", async () => {
    let started = 0;
    let finished = 0;
    const runtime = new LocalRuntime(tasks, {
      logger: silentLogger,
      onEvent: (e) => {
        if (e.kind === 'taskStarted') started += 1;
        if (e.kind === 'taskFinished') finished += 1;
      },
    });
    try {
      await runtime.submit(inParallel(Array.from({ length: 3000 }, (_, i) => square.send(i))));
      expect([started, finished]).toEqual([3000, 3000]);
    } finally {
      await runtime.close();
    }
  });
});

describe('values as bytes', () => {
  it('encode exactly as the Value message does', () => {
    for (const v of [0, -1.5, 'é'.repeat(200), 'x'.repeat(70_000), { a: [1, null] }, undefined, new Date(5), new Map([[1, 2]])]) {
      const bytes = toValueBytes(v);
      expect(bytes).toEqual(Value.encode({ kind: { $case: 'json', value: encodeJson(v) } }).finish());
      expect(fromWireValue(bytes)).toEqual(v);
    }
  });

  it('make lists by putting items side by side, and flatten lists of lists', () => {
    const a = toValueBytes(1);
    const list = listValueBytes([
      { bytes: a, spread: false },
      { bytes: toValueBytes('b'), spread: false },
    ]);
    expect(fromWireValue(list)).toEqual([1, 'b']);
    const flat = listValueBytes([
      { bytes: list, spread: true },
      { bytes: listValueBytes([]), spread: true },
      { bytes: list, spread: true },
      { bytes: a, spread: true },
    ]);
    expect(fromWireValue(flat)).toEqual([1, 'b', 1, 'b']);
  });

  it('group slots keep completion order and know which branches finished', () => {
    const group = newGroupProgress(0, 3, 20);
    appendSlot(group, { index: 17, value: toValueBytes('late') });
    appendSlot(group, { index: 0, value: toValueBytes(0), state: encodeJson({ s: 1 }) });
    // what StateFun ships back next batch is the encoded progress
    const shipped = codecs.pipelineProgress.decode(codecs.pipelineProgress.encode({ ...codecs.pipelineProgress.decode(new Uint8Array(0)), group }));
    const g = shipped.group!;
    appendSlot(g, { index: 3, value: toValueBytes(3) });
    expect(readSlots(g).map((s) => [s.index, fromWireValue(s.value)])).toEqual([
      [17, 'late'],
      [0, 0],
      [3, 3],
    ]);
    expect([0, 3, 17, 1, 19].map((i) => isFinished(g, i))).toEqual([true, true, true, false, false]);
    expect(decodeJson(readSlots(g)[1]!.state!)).toEqual({ s: 1 });
  });
});

describe('submissions in parts', () => {
  it('run exactly as a submission in one piece', async () => {
    const runtime = new PartedRuntime(2048);
    try {
      const xs = Array.from({ length: 3000 }, (_, i) => `item-${i}`);
      expect(await runtime.submit(inParallel(xs.map((x) => echo.send(x))))).toEqual(xs);
      // and a small one still goes whole, under the same id scheme
      expect(await runtime.submit(square.send(7))).toBe(49);
    } finally {
      await runtime.close();
    }
  });

  it('are refused as a whole when they add up to more than limits.maxValueBytes', async () => {
    const runtime = new (class extends LocalRuntime {
      protected override maxCommandBytes(): number {
        return 4096;
      }
    })(tasks, { logger: silentLogger, limits: { maxValueBytes: 20_000 } });
    try {
      const big = inParallel(Array.from({ length: 3000 }, (_, i) => echo.send(i))) as Pipeline<unknown>;
      await expect(runtime.submit(big)).rejects.toMatchObject({ errorType: 'MessageSizeExceeded', message: expect.stringContaining('limits.maxValueBytes') });
      expect(await runtime.submit(square.send(3))).toBe(9);
    } finally {
      await runtime.close();
    }
  });

  const partsOf = (requestId: string, bytes: Uint8Array, count: number) =>
    Array.from({ length: count }, (_, index) =>
      codecs.pipelineCommand.encode({
        command: {
          $case: 'submitPart',
          value: {
            requestId,
            index,
            count,
            bytes: bytes.subarray(Math.floor((index * bytes.byteLength) / count), Math.floor(((index + 1) * bytes.byteLength) / count)),
            replyTopic: 'flink-tasks.replies',
          },
        },
      }),
    );

  function hostile() {
    const executor = new PipelineExecutor({
      groupSplitThreshold: 512,
      repliesEgress: 'flinktasks/replies',
      limits: DEFAULT_LIMITS,
      routes: new Routes(['lg/pipeline', 'lg/worker'], ['flinktasks/replies']),
    });
    const session = openSession(undefined, undefined);
    const self = { namespace: 'lg', name: 'pipeline', id: 'p' };
    const send = (payload: Uint8Array, caller?: { namespace: string; name: string; id: string }) => {
      const effects = new Effects();
      executor.apply(session, self, { typename: Typenames.pipelineCommand, payload, caller }, effects);
      return effects;
    };
    const replies = (effects: Effects) =>
      effects.egress
        .filter((e) => e.egress === 'flinktasks/replies')
        .map((e) => {
          const r = codecs.reply.decode(e.value).reply;
          const o = r?.$case === 'outcome' ? r.value.taskResultOrException : undefined;
          return o?.$case === 'taskException' ? `${o.value.invocationId}: ${o.value.exceptionType}` : 'not an error';
        });
    const request = (id: string) =>
      codecs.taskRequest.encode(
        TaskRequest.create({
          id: 'p',
          reply: { $case: 'replyTopic', value: 'flink-tasks.replies' },
          invocationId: id,
          pipeline: pipelineToWire(inParallel(Array.from({ length: 50 }, (_, i) => square.send(i))).toIR()),
        }),
      );
    return { session, send, replies, request };
  }

  it('out of order, of another request, without a first part, or from a function are refused', () => {
    const h = hostile();
    const [p0, p1, p2] = partsOf('a', h.request('a'), 3);
    h.send(p0!);
    expect(h.replies(h.send(p2!))).toEqual(['a: InvalidPipelineRequest']);
    expect(h.session.upload).toBeUndefined();
    expect(h.replies(h.send(p1!))).toEqual(['a: InvalidPipelineRequest']);
    const [q0, q1] = partsOf('b', h.request('b'), 2);
    h.send(q0!);
    const [r0] = partsOf('c', h.request('c'), 2);
    expect(h.replies(h.send(partsOf('x', h.request('x'), 2)[1]!))).toEqual(['x: InvalidPipelineRequest']);
    h.send(q0!);
    h.send(r0!); // a new first part replaces the unfinished upload
    expect(h.replies(h.send(q1!))).toEqual(['b: InvalidPipelineRequest']);
    const fromFunction = h.send(partsOf('d', h.request('d'), 1)[0]!, { namespace: 'lg', name: 'worker', id: 'w' });
    expect(fromFunction.logs.map((l) => l.message).join()).toMatch(/parts only come from clients/);
    expect(h.session.progress).toBeUndefined();
  });

  it('that put together make another request, or no request, are refused', () => {
    const h = hostile();
    const parts = partsOf('e', h.request('not-e'), 2);
    h.send(parts[0]!);
    expect(h.replies(h.send(parts[1]!))).toEqual(['e: InvalidPipelineRequest']);
    const junk = partsOf('f', new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 2);
    h.send(junk[0]!);
    expect(h.replies(h.send(junk[1]!))).toEqual(['f: UndecodableMessage']);
    expect(h.session.progress).toBeUndefined();
    const ok = partsOf('g', h.request('g'), 4);
    for (const p of ok) h.send(p);
    expect(h.session.progress?.status).toBe(1); // RUNNING
    expect(h.session.upload).toBeUndefined();
  });
});

describe('groups on the local runtime', () => {
  it('nested 50 deep encode and run', async () => {
    const runtime = new LocalRuntime(tasks, { logger: silentLogger });
    try {
      let p: Pipeline<unknown> = square.send(3);
      for (let i = 0; i < 50; i++) p = inParallel([p, square.send(i)]);
      let expected: unknown = 9;
      for (let i = 0; i < 50; i++) expected = [expected, i * i];
      expect(await runtime.submit(p)).toEqual(expected);
    } finally {
      await runtime.close();
    }
  });

  it('a large compact group with failing branches and returnExceptions keeps every slot', async () => {
    const picky = tasks.bind('picky', (x: number) => {
      if (x % 97 === 0) throw new RangeError(`no ${x}`);
      return x;
    });
    const runtime = new LocalRuntime(tasks, { logger: silentLogger });
    try {
      const xs = Array.from({ length: 2000 }, (_, i) => i);
      const out = (await runtime.submit(
        inParallel(
          xs.map((x) => picky.send(x)),
          { returnExceptions: true },
        ),
      )) as unknown[];
      expect(out.map((v, i) => (typeof v === 'number' ? v : i % 97 === 0 ? 'error' : 'wrong'))).toEqual(xs.map((x) => (x % 97 === 0 ? 'error' : x)));
      await expect(runtime.submit(inParallel(xs.map((x) => picky.send(x))))).rejects.toMatchObject({
        errorType: 'GroupFailed',
        message: expect.stringContaining('21 of 2000 branches failed'),
      });
    } finally {
      await runtime.close();
    }
  });
});
