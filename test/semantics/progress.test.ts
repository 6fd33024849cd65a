/**
 * Progress from tasks: `ctx.progress(fraction, message)` becomes a
 * `taskProgress` event, live while the task runs, throttled per call, and a
 * bad fraction fails the call with a clear error.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  FlinkTasks,
  inParallel,
  LocalRuntime,
  ManualClock,
  silentLogger,
  TaskError,
  type PipelineEvent,
  type TaskContext,
  type TaskProgressEvent,
} from '../../src/index.js';
import { DEFAULT_LIMITS } from '../../src/core/limits.js';
import { Routes } from '../../src/core/routes.js';
import { Effects, openSession } from '../../src/executor/effects.js';
import { PipelineExecutor } from '../../src/executor/executor.js';
import { codecs, Typenames } from '../../src/wire/codec.js';
import { encodeJson } from '../../src/wire/values.js';
import { TaskWorker } from '../../src/worker/task-worker.js';
import { gate } from '../fixtures.js';
import { submission } from '../support/submission.js';

const tasks = new FlinkTasks({ namespace: 'progress', workerName: 'worker' });
const crunch = tasks.bind({ name: 'crunch', withContext: true }, async (ctx: TaskContext, name: string, items: number) => {
  for (let i = 0; i < items; i++) ctx.progress(i / items, `item ${i}`);
  gate(name).entered();
  await gate(name).opened;
  return items;
});
const report = tasks.bind({ name: 'report', withContext: true }, (ctx: TaskContext, fraction: unknown, message: unknown = undefined) => {
  ctx.progress(fraction as number, message as string | undefined);
  return 'reported';
});
const twoStages = tasks.bind({ name: 'twoStages', withContext: true }, async (ctx: TaskContext, name: string) => {
  gate(`${name}-1`).entered();
  await gate(`${name}-1`).opened;
  ctx.progress(0.7, 'in the background');
  gate(`${name}-2`).entered();
  await gate(`${name}-2`).opened;
  return 'done';
});

const clock = new ManualClock(1_000_000);
const runtime = new LocalRuntime(tasks, { logger: silentLogger, clock, limits: { callBudgetMs: 60_000, backgroundLeaseMs: 90_000 } });
afterAll(() => runtime.close());

const progressOf = (events: readonly PipelineEvent[], id: string): TaskProgressEvent[] =>
  events.filter((e): e is TaskProgressEvent => e.kind === 'taskProgress' && e.pipelineId === id);

/** Resolves with the first event of `runtime` matching `match`. */
function nextEvent(match: (e: PipelineEvent) => boolean): Promise<PipelineEvent> {
  return new Promise((resolve) => {
    const stop = runtime.onEvent((e) => {
      if (!match(e)) return;
      stop();
      resolve(e);
    });
  });
}

describe('ctx.progress', () => {
  it('publishes a taskProgress event while the task runs, at most one per 500 ms, then the latest of the burst', async () => {
    const events: PipelineEvent[] = [];
    const stop = runtime.onEvent((e) => events.push(e));
    const p = crunch.send('tight-loop', 1000).withId('progress-throttled');
    const first = nextEvent((e) => e.kind === 'taskProgress' && e.pipelineId === p.id);
    const result = runtime.submit(p);
    await gate('tight-loop').reached;
    // Live: the task is still running (held at its gate) and its first report has arrived.
    expect(await first).toMatchObject({ kind: 'taskProgress', taskName: 'crunch', uid: 0, attempt: 0, fraction: 0, message: 'item 0' });
    expect(progressOf(events, p.id)).toHaveLength(1);
    // 999 more reports within the same 500 ms: only the latest goes out, when the interval ends.
    const latest = nextEvent((e) => e.kind === 'taskProgress' && e.pipelineId === p.id && e.fraction > 0);
    await clock.advance(500);
    expect(await latest).toMatchObject({ fraction: 0.999, message: 'item 999' });
    expect(progressOf(events, p.id)).toHaveLength(2);
    const view = await runtime.inspect(p.id);
    expect(view?.entries.get(0)).toMatchObject({ status: 'running', progress: { fraction: 0.999, message: 'item 999' } });
    gate('tight-loop').open();
    expect(await result).toBe(1000);
    await clock.advance(5_000);
    await runtime.idle();
    expect(progressOf(events, p.id)).toHaveLength(2);
    stop();
  });

  it('reports per branch in a group', async () => {
    const events: PipelineEvent[] = [];
    const stop = runtime.onEvent((e) => events.push(e));
    const p = inParallel([crunch.send('branch-a', 4), crunch.send('branch-b', 2)]).withId('progress-branches');
    const both = new Promise<void>((resolve) => {
      const off = runtime.onEvent(() => {
        if (progressOf(events, p.id).length < 2) return;
        off();
        resolve();
      });
    });
    const result = runtime.submit(p);
    await both;
    expect(
      progressOf(events, p.id)
        .map((e) => [e.branch, e.fraction, e.message])
        .sort(),
    ).toEqual([
      [0, 0, 'item 0'],
      [1, 0, 'item 0'],
    ]);
    gate('branch-a').open();
    gate('branch-b').open();
    expect(await result).toEqual([4, 2]);
    stop();
  });

  it('still reports once the task has gone on in the background', async () => {
    const budget = new LocalRuntime(tasks, { logger: silentLogger, clock, limits: { callBudgetMs: 1_000, backgroundLeaseMs: 3_000 } });
    try {
      const p = twoStages.send('bg').withId('progress-background');
      const result = budget.submit(p);
      await gate('bg-1').reached;
      await clock.advance(1_000); // past the call budget: the task goes on in the background
      await budget.idle();
      const progress = new Promise<PipelineEvent>((resolve) => {
        const off = budget.onEvent((e) => {
          if (e.kind !== 'taskProgress') return;
          off();
          resolve(e);
        });
      });
      gate('bg-1').open();
      expect(await progress).toMatchObject({ pipelineId: p.id, fraction: 0.7, message: 'in the background' });
      gate('bg-2').open();
      expect(await result).toBe('done');
    } finally {
      await budget.close();
    }
  });

  it.each([
    [Number.NaN, 'NaN'],
    [-0.1, '-0.1'],
    [1.5, '1.5'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['0.5', 'string'],
  ])('refuses fraction %s with a RangeError that says what it takes', async (fraction, shown) => {
    const error = await runtime.submit(report.send(fraction)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    expect(error).toMatchObject({ errorType: 'RangeError' });
    expect((error as TaskError).message).toBe(`task 'report': ctx.progress(fraction) takes a number from 0 to 1 (0.25 for a quarter done), got ${shown}`);
  });

  it('refuses a message that is not a string, and cuts a long one', async () => {
    const error = await runtime.submit(report.send(0.5, { html: true })).catch((e: unknown) => e);
    expect((error as TaskError).message).toBe("task 'report': ctx.progress(fraction, message) takes a string message, got object");
    const events: PipelineEvent[] = [];
    const stop = runtime.onEvent((e) => events.push(e));
    const p = report.send(1, 'x'.repeat(10_000)).withId('progress-long-message');
    expect(await runtime.submit(p)).toBe('reported');
    await runtime.idle();
    stop();
    const [e] = progressOf(events, p.id);
    expect(e?.fraction).toBe(1);
    expect(e?.message).toHaveLength(500);
  });
});

describe('progress without a result sink', () => {
  it("travels in the call's response, as a heartbeat to the pipeline, which publishes the event", async () => {
    const routes = new Routes(['progress/pipeline', 'progress/worker'], ['flinktasks/replies', 'flinktasks/events']);
    const worker = new TaskWorker(tasks, { limits: DEFAULT_LIMITS, routes });
    const executor = new PipelineExecutor({
      groupSplitThreshold: 512,
      repliesEgress: 'flinktasks/replies',
      limits: DEFAULT_LIMITS,
      routes,
      events: { egress: 'flinktasks/events', topic: 'events' },
    });
    const self = { namespace: 'progress', name: 'pipeline', id: 'no-sink' };
    const session = openSession(undefined, undefined);
    const submitted = new Effects(1);
    executor.apply(session, self, submission(self.id, report.send(0.25, 'a quarter').toIR(), 'r1'), submitted);
    const dispatched = submitted.outgoing.find((m) => m.typename === Typenames.taskRequest);
    expect(dispatched).toBeDefined();
    const request = codecs.taskRequest.decode(dispatched!.payload);
    expect(request.args).toEqual(encodeJson([0.25, 'a quarter']));

    const response = new Effects(2);
    const prepared = worker.prepare(dispatched!.target, { typename: Typenames.taskRequest, payload: dispatched!.payload }, response);
    let state: Uint8Array | undefined;
    await worker.execute(dispatched!.target, prepared!, { get: () => state, set: (b) => (state = b) }, response);
    // The heartbeat comes before the result, both addressed to the pipeline.
    expect(response.outgoing.map((m) => [m.typename, m.target.id])).toEqual([
      [Typenames.pipelineCommand, self.id],
      [Typenames.taskResult, self.id],
    ]);

    const beat = new Effects(3);
    executor.apply(session, self, { typename: Typenames.pipelineCommand, payload: response.outgoing[0]!.payload, caller: dispatched!.target }, beat);
    const events = beat.egress.map((r) => codecs.event.decode(r.value).event);
    expect(events).toEqual([{ $case: 'taskProgress', value: expect.objectContaining({ uid: 0, taskName: 'report', fraction: 0.25, message: 'a quarter' }) }]);

    // After the result, a late heartbeat reports nothing.
    const done = new Effects(4);
    executor.apply(session, self, { typename: Typenames.taskResult, payload: response.outgoing[1]!.payload, caller: dispatched!.target }, done);
    const late = new Effects(5);
    executor.apply(session, self, { typename: Typenames.pipelineCommand, payload: response.outgoing[0]!.payload, caller: dispatched!.target }, late);
    expect(late.egress).toEqual([]);
  });
});
