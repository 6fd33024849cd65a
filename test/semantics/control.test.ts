import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  inParallel,
  LocalRuntime,
  TaskError,
  silentLogger,
  withPausePipeline,
  type PipelineEvent,
  type PipelineStatus,
  type TaskContext,
} from '../../src/index.js';
import { forgetGate, gate, makeTasks } from '../fixtures.js';

const t = makeTasks();
const waitAt = t.tasks.bind('waitAt', async (name: string) => {
  const g = gate(name);
  g.entered();
  await g.opened;
  return name;
});
const pauseAfter = t.tasks.bind('pauseAfter', (x: number) => withPausePipeline(x + 1));
const events: PipelineEvent[] = [];
const statusWaiters: Array<{ match: (e: PipelineEvent) => boolean; resolve: () => void }> = [];
const runtime = new LocalRuntime(t.tasks, {
  logger: silentLogger,
  onEvent: (e) => {
    events.push(e);
    for (const w of [...statusWaiters]) {
      if (w.match(e)) {
        statusWaiters.splice(statusWaiters.indexOf(w), 1);
        w.resolve();
      }
    }
  },
});
/** Resolves when a pipeline other than the root one, under root `rootId`, reaches `status`. */
const childReaches = (rootId: string, status: PipelineStatus): Promise<void> =>
  new Promise((resolve) =>
    statusWaiters.push({
      match: (e) => e.rootPipelineId === rootId && e.pipelineId !== rootId && e.kind === 'statusChanged' && e.status === status,
      resolve,
    }),
  );
afterAll(() => runtime.close());
beforeEach(() => {
  t.calls.length = 0;
});

describe('status, request, result', () => {
  it('reports RUNNING while running, COMPLETED with the result after', async () => {
    const p = waitAt.send('status').continueWith(t.then, 'done');
    const done = runtime.submit(p);
    await gate('status').reached;
    expect(await runtime.status(p)).toBe('RUNNING');
    await expect(runtime.result(p)).rejects.toMatchObject({ errorType: 'PipelineNotFinished' });
    gate('status').open();
    await done;
    expect(await runtime.status(p)).toBe('COMPLETED');
    expect(await runtime.result(p)).toBeUndefined();
    const request = await runtime.request(p);
    expect(request.entries.map((e) => (e.kind === 'TaskEntry' ? e.taskName : 'group'))).toEqual(['waitAt', 'then']);
  });

  it('result of a failed pipeline rejects with its error; status is FAILED', async () => {
    const p = t.divide.send(1, 0);
    await runtime.submit(p).catch(() => undefined);
    expect(await runtime.status(p)).toBe('FAILED');
    await expect(runtime.result(p)).rejects.toMatchObject({ errorType: 'RangeError' });
  });

  it('actions on an unknown pipeline are errors', async () => {
    await expect(runtime.status('no-such-pipeline')).rejects.toMatchObject({ errorType: 'PipelineNotFound' });
  });
});

describe('pause and unpause', () => {
  it('holds back new dispatches, records running results, and resumes on unpause', async () => {
    const p = waitAt.send('pause').continueWith(t.then, 'after pause');
    const done = runtime.submit(p);
    await gate('pause').reached;
    await runtime.pause(p);
    expect(await runtime.status(p)).toBe('PAUSED');
    gate('pause').open();
    await runtime.idle();
    expect(t.calls).toEqual([]);
    expect(await runtime.status(p)).toBe('PAUSED');
    await runtime.unpause(p);
    await done;
    expect(t.calls).toEqual(['after pause']);
  });

  it('pausing a finished pipeline or unpausing a running one is an error and changes nothing', async () => {
    const p = t.add.send(1, 1);
    await runtime.submit(p);
    await expect(runtime.pause(p)).rejects.toMatchObject({ errorType: 'InvalidAction' });
    await expect(runtime.cancel(p)).rejects.toMatchObject({ errorType: 'InvalidAction' });
    expect(await runtime.status(p)).toBe('COMPLETED');
    const q = waitAt.send('unpause-running');
    const done = runtime.submit(q);
    await gate('unpause-running').reached;
    await expect(runtime.unpause(q)).rejects.toMatchObject({ errorType: 'InvalidAction' });
    expect(await runtime.status(q)).toBe('RUNNING');
    gate('unpause-running').open();
    await done;
  });

  it('a task returning withPausePipeline pauses the pipeline after it', async () => {
    const p = pauseAfter.send(1).continueWith(t.add, 10);
    const done = runtime.submit(p);
    await runtime.idle();
    expect(await runtime.status(p)).toBe('PAUSED');
    await runtime.unpause(p);
    expect(await done).toBe(12);
  });

  it('pause cascades to child pipelines', async () => {
    const parent = t.tasks.bind('parentOfWaiter', () => waitAt.send('child-pause').continueWith(t.then, 'child continued'));
    const p = parent.send().continueWith(t.then, 'parent continued');
    const done = runtime.submit(p);
    await gate('child-pause').reached;
    const childPaused = childReaches(p.id, 'PAUSED');
    await runtime.pause(p);
    await childPaused;
    gate('child-pause').open();
    await runtime.idle();
    expect(t.calls).toEqual([]);
    await runtime.unpause(p);
    await done;
    expect(t.calls).toEqual(['child continued', 'parent continued']);
  });
});

describe('cancel', () => {
  it('dispatches nothing new, ignores running results, still runs finallyDo, and ends CANCELLED with a cancellation error', async () => {
    const p = waitAt.send('cancel').continueWith(t.then, 'after cancel').finallyDo(t.record, 'finally');
    const done = runtime.submit(p).catch((e: unknown) => e);
    await gate('cancel').reached;
    await runtime.cancel(p);
    const outcome = await done;
    expect(TaskError.isCancellation(outcome)).toBe(true);
    expect(await runtime.status(p)).toBe('CANCELLED');
    gate('cancel').open();
    await runtime.idle();
    expect(t.calls).toEqual(['finally']);
    await expect(runtime.cancel(p)).rejects.toMatchObject({ errorType: 'InvalidAction' });
  });
});

describe('resubmission', () => {
  it('a running pipeline id is refused without harming the running one; a finished one starts afresh', async () => {
    const p = waitAt.send('resubmit').continueWith(t.then, 'ran');
    const first = runtime.submit(p);
    await gate('resubmit').reached;
    await expect(runtime.submit(p)).rejects.toMatchObject({ errorType: 'PipelineAlreadyRunning' });
    gate('resubmit').open();
    await first;
    expect(t.calls).toEqual(['ran']);
    await runtime.submit(p);
    expect(t.calls).toEqual(['ran', 'ran']);
  });

  it('a late result of a cancelled run does not touch the next run', async () => {
    const p = waitAt.send('stale').continueWith(t.then, 'continued');
    const first = runtime.submit(p).catch((e: unknown) => e);
    await gate('stale').reached;
    const staleGate = gate('stale');
    await runtime.cancel(p);
    expect(TaskError.isCancellation(await first)).toBe(true);
    forgetGate('stale');
    const second = runtime.submit(p);
    await gate('stale').reached;
    gate('stale').open();
    await second;
    expect(t.calls).toEqual(['continued']);
    staleGate.open();
    await runtime.idle();
    expect(t.calls).toEqual(['continued']);
    expect(await runtime.status(p)).toBe('COMPLETED');
  });
});

describe('events', () => {
  it('publishes pipeline created (with its shape), status changes, task starts and ends, and skipped tasks', async () => {
    events.length = 0;
    const p = t.divide.send(1, 0).continueWith(t.add, 1).exceptionally(t.recover, 0);
    const before = Date.now();
    await runtime.submit(p);
    const mine = events.filter((e) => e.pipelineId === p.id);
    const created = mine.find((e) => e.kind === 'pipelineCreated');
    expect(created).toMatchObject({ kind: 'pipelineCreated', origin: 'submitted', taskCount: 3, rootPipelineId: p.id });
    expect(created?.kind === 'pipelineCreated' && created.shape.entries.map((e) => (e.kind === 'task' ? `${e.taskName}:${e.role}` : 'group'))).toEqual([
      'divide:task',
      'add:task',
      'recover:exceptionally',
    ]);
    expect(mine.every((e) => e.time >= before && e.time <= Date.now())).toBe(true);
    expect(mine.flatMap((e) => (e.kind === 'statusChanged' ? [e.status] : []))).toEqual(['RUNNING', 'COMPLETED']);
    expect(mine.flatMap((e) => (e.kind === 'taskStarted' || e.kind === 'taskFinished' ? [`${e.kind} ${e.taskName} #${e.uid}`] : []))).toEqual([
      'taskStarted divide #0',
      'taskFinished divide #0',
      'taskStarted recover #2',
      'taskFinished recover #2',
    ]);
    expect(mine.find((e) => e.kind === 'taskFinished' && e.taskName === 'divide')).toMatchObject({ outcome: 'failed', error: { errorType: 'RangeError' } });
    expect(mine.find((e) => e.kind === 'tasksSkipped')).toMatchObject({ uids: [1] });
  });

  it('reports the error a pipeline failed with, and group branches by index', async () => {
    events.length = 0;
    const p = inParallel([t.add.send(1, 1), t.divide.send(1, 0)]);
    await expect(runtime.submit(p)).rejects.toMatchObject({ errorType: 'GroupFailed' });
    const mine = events.filter((e) => e.pipelineId === p.id);
    expect(
      mine
        .filter((e) => e.kind === 'taskFinished')
        .map((e) => (e.kind === 'taskFinished' ? [e.branch, e.outcome] : []))
        .sort(),
    ).toEqual([
      [0, 'succeeded'],
      [1, 'failed'],
    ]);
    expect(mine.find((e) => e.kind === 'statusChanged' && e.status === 'FAILED')).toMatchObject({ error: { errorType: 'GroupFailed' } });
  });
});

describe('subscriptions and egress', () => {
  it('onEvent subscribes and unsubscribes; without events it is a clear error', async () => {
    const withEvents = new LocalRuntime(t.tasks, { logger: silentLogger });
    const seen: PipelineEvent[] = [];
    const stop = withEvents.onEvent((e) => seen.push(e));
    await withEvents.submit(t.add.send(1, 1));
    expect(seen.some((e) => e.kind === 'pipelineCreated')).toBe(true);
    stop();
    const count = seen.length;
    await withEvents.submit(t.add.send(1, 1));
    expect(seen.length).toBe(count);
    await withEvents.close();
    const quiet = new LocalRuntime(t.tasks, { logger: silentLogger, events: false });
    expect(() => quiet.onEvent(() => undefined)).toThrow(/events are off/);
    await quiet.close();
  });

  it('a context task can publish to an egress', async () => {
    const records: Array<{ egress: string; topic: string; key: string; value: string }> = [];
    const audit = t.tasks.bind({ name: 'audit', withContext: true }, (ctx: TaskContext, what: string) => {
      ctx.sendEgress('example/audit', 'audit-log', ctx.pipelineId, { what });
      return what;
    });
    const withEgress = new LocalRuntime(t.tasks, {
      logger: silentLogger,
      routes: { egresses: ['example/audit'] },
      onEgress: (r) => records.push({ egress: r.egress, topic: r.topic, key: r.key, value: new TextDecoder().decode(r.value) }),
    });
    const p = audit.send('deployed');
    expect(await withEgress.submit(p)).toBe('deployed');
    expect(records).toEqual([{ egress: 'example/audit', topic: 'audit-log', key: p.id, value: '{"json":{"what":"deployed"}}' }]);
    await withEgress.close();
  });
});

describe('worker hooks', () => {
  it('are called for received, started, retry, finished and emitted; a throwing hook does not fail the task', async () => {
    const seen: string[] = [];
    const watched = new LocalRuntime(t.tasks, {
      logger: silentLogger,
      hooks: {
        taskReceived: (i) => void seen.push(`received ${i.taskName}`),
        taskStarted: () => {
          throw new Error('hook failure');
        },
        taskRetry: (i) => void seen.push(`retry ${i.retryCount}`),
        taskFinished: (i) => void seen.push(`finished ${i.taskName} ${i.error ? 'error' : 'ok'} ${i.returnedPipeline}`),
        resultEmitted: async (i) => void seen.push(`emitted ${i.failed}`),
      },
    });
    expect(await watched.submit(t.flaky.send('hooks', 1))).toBe(2);
    expect(seen).toEqual(['received flaky', 'retry 1', 'received flaky', 'finished flaky ok false', 'emitted false']);
    seen.length = 0;
    await watched.submit(t.countdown.send(1));
    // countdown(1) returns the pipeline countdown(0), which returns 0: two calls, each finished and emitted, in order.
    expect(seen.filter((line) => !line.startsWith('received'))).toEqual([
      'finished countdown ok true',
      'emitted false',
      'finished countdown ok false',
      'emitted false',
    ]);
    await watched.close();
  });
});
