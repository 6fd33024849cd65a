import { describe, expect, it } from 'vitest';
import { FlinkTasks, inParallel, ir, PipelineError, RetryPolicy, TaskError, type PipelineLike, type RunnablePipeline } from '../src/index.js';
import { decodePipeline, encodePipeline } from '../src/wire/pipeline.js';

const tasks = new FlinkTasks({ namespace: 'ns', workerName: 'w' });
const add = tasks.bind('add', (x: number, y: number) => x + y);
const sum = tasks.bind('sum', (xs: number[]) => xs.reduce((a, b) => a + b, 0));
const count = tasks.bind('count', (xs: unknown[]) => xs.length);
const recover = tasks.bind('recover', (_e: TaskError, d: number) => d);
const cleanup = tasks.bind('cleanup', (tag: string) => tag);
const retried = tasks.bind(
  {
    name: 'retried',
    retry: new RetryPolicy({ maxRetries: 2, delayMs: 5, exponentialBackoff: true, maxDelayMs: 50, retryFor: [RangeError, 'Custom'] }),
    displayName: 'Retried',
    taskId: 'fixed',
    workerName: 'gpu',
    namespace: 'other',
  },
  (x: number) => x,
);

const roundTrip = (p: PipelineLike<unknown>) => {
  const node = p.toIR();
  return { node, back: decodePipeline(encodePipeline(node)) };
};

describe('IR', () => {
  it('DSL -> IR -> bytes -> IR gives an equal pipeline, for every node kind and option', () => {
    const pipelines: PipelineLike<unknown>[] = [
      add.send(1, 2),
      add.send(1, 2).continueWith(add, 3).exceptionally(recover, 0).finallyDo(cleanup, 'x'),
      inParallel([add.send(1, 2), inParallel([retried.send(1)]), add.send(3, 4).continueWith(add, 1)], {
        maxParallelism: 2,
        ordered: false,
        returnExceptions: true,
      }).continueWith(count),
      inParallel([]),
      retried.send(1).set({ displayName: 'override', workerName: 'w2' }),
      add
        .send(1, 2)
        .withInitial({ state: { a: new Date(0), b: new Map([[1, 2]]) } })
        .inline(),
    ];
    for (const p of pipelines) {
      const { node, back } = roundTrip(p);
      expect(back).toEqual(node);
      expect(ir.validatePipeline(back)).toBe(back);
    }
  });

  it('nodes are frozen and entries numbered in pre-order', () => {
    const node = inParallel([add.send(1, 2), add.send(3, 4)])
      .continueWith(sum)
      .toIR();
    expect(Object.isFrozen(node)).toBe(true);
    expect(Object.isFrozen(node.entries)).toBe(true);
    const uids: number[] = [];
    ir.visitPipeline(node, { TaskEntry: (e) => void uids.push(e.uid), GroupEntry: (e) => void uids.push(e.uid) });
    expect(uids).toEqual([0, 1, 2, 3]);
  });

  it('options of bind and retry policies reach the IR', () => {
    const entry = retried.send(1).toIR().entries[0];
    expect(entry).toMatchObject({
      kind: 'TaskEntry',
      taskName: 'retried',
      namespace: 'other',
      workerName: 'gpu',
      taskId: 'fixed',
      displayName: 'Retried',
      retry: { retryFor: ['RangeError', 'Custom'], maxRetries: 2, delayMs: 5, exponentialBackoff: true, maxDelayMs: 50 },
    });
  });

  it('validation rejects duplicate uids, misplaced finallyDo, a leading exceptionally and empty chains, saying where', () => {
    const base = add.send(1, 2).continueWith(add, 3).toIR();
    const [a, b] = base.entries as [ir.EntryNode, ir.EntryNode];
    const dup = ir.PipelineNode.cloneWith(base, { entries: [a, { ...b, uid: a.uid }] });
    expect(() => ir.validatePipeline(dup)).toThrow(/uid 0 is used twice/);
    const finallyFirst = ir.PipelineNode.cloneWith(base, { entries: [{ ...(a as ir.TaskEntryNode), isFinally: true }, b] });
    expect(() => ir.validatePipeline(finallyFirst)).toThrow(/finallyDo must be the last step/);
    const leading = ir.PipelineNode.cloneWith(base, { entries: [{ ...(a as ir.TaskEntryNode), isExceptionally: true }, b] });
    expect(() => ir.validatePipeline(leading)).toThrow(/cannot start with exceptionally/);
    expect(() => ir.validatePipeline(ir.PipelineNode.cloneWith(base, { entries: [] }))).toThrow(PipelineError);
    const group = inParallel([add.send(1, 1)]).toIR();
    const badBranch = ir.PipelineNode.cloneWith(group, {
      entries: [
        ir.GroupEntryNode.cloneWith(group.entries[0] as ir.GroupEntryNode, {
          branches: [ir.PipelineNode.create({ entries: [], inline: false, initialState: undefined })],
        }),
      ],
    });
    expect(() => ir.validatePipeline(badBranch)).toThrow(/entry 0, branch 0 has no entries/);
  });

  it('untyped callers get clear errors when building', () => {
    const untyped = add.send(1, 2) as unknown as { continueWith(t: unknown): unknown };
    expect(() => untyped.continueWith((x: number) => x)).toThrow(/continueWith expects a task bound with tasks.bind/);
    expect(() => inParallel([1 as unknown as RunnablePipeline<number>])).toThrow(/branch 0 is not a pipeline/);
    expect(() => inParallel([add.send(1, 2)], { maxParallelism: -1 })).toThrow(/maxParallelism/);
    expect(() => new RetryPolicy({ maxRetries: 1.5 })).toThrow(/maxRetries/);
  });

  it('splitting large groups keeps every branch, in order, in sub-groups no larger than the threshold', () => {
    const xs = Array.from({ length: 23 }, (_, i) => i);
    const node = inParallel(xs.map((x) => add.send(x, 0)))
      .continueWith(sum)
      .toIR();
    const split = ir.splitLargeGroups(node, 4);
    const leaves: number[] = [];
    let largest = 0;
    ir.visitPipeline(split, {
      GroupEntry: (g) => void (largest = Math.max(largest, g.branches.length)),
      TaskEntry: (t) => {
        if (t.taskName === 'add') leaves.push(t.uid);
      },
    });
    expect(largest).toBeLessThanOrEqual(4);
    expect(leaves).toEqual(xs.map((x) => x + 1));
    const uids = new Set<number>();
    ir.visitPipeline(split, { TaskEntry: (e) => void uids.add(e.uid), GroupEntry: (e) => void uids.add(e.uid) });
    expect(ir.validatePipeline(split)).toBe(split);
    expect(ir.splitLargeGroups(node, 100)).toBe(node);
  });

  it('a transform that changes nothing returns the same nodes', () => {
    const node = add.send(1, 2).continueWith(add, 1).toIR();
    expect(ir.transformPipeline(node, {})).toBe(node);
    const renamed = ir.transformPipeline(node, { TaskEntry: (e) => ir.TaskEntryNode.cloneWith(e, { displayName: `#${e.uid}` }) });
    expect(renamed.entries.map((e) => (e.kind === 'TaskEntry' ? e.displayName : ''))).toEqual(['#0', '#1']);
  });
});
