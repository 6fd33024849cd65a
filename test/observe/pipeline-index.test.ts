import { describe, expect, it } from 'vitest';
import type { PipelineEvent } from '../../src/observe/pipeline-events.js';
import { PipelineIndex } from '../../src/observe/pipeline-index.js';
import { bigGroup, boom, created, finished, g, progress, retried, shape, skipped, started, status, t, tick } from './events.js';

const stock = shape(
  g(0, [
    [t(1, 'load'), t(2, 'std')],
    [t(3, 'load'), t(4, 'std')],
  ]),
  t(5, 'avg'),
);

describe('PipelineIndex: summaries and entry states', () => {
  it('follows a pipeline from creation to completion', () => {
    const index = new PipelineIndex();
    const p = { pipelineId: 'p1' };
    index.apply(created(p, stock));
    index.apply(status(p, 'RUNNING'));
    index.apply(started(p, 1, 'load'));
    index.apply(started(p, 3, 'load'));
    index.apply(progress(p, 1, 'load', 0.5, 'half'));
    let view = index.inspectNow('p1');
    expect(view?.summary).toMatchObject({ id: 'p1', rootId: 'p1', origin: 'submitted', status: 'RUNNING', tasks: { done: 0, failed: 0, total: 5 } });
    expect(view?.entries.get(1)).toMatchObject({ status: 'running', started: 1, progress: { fraction: 0.5, message: 'half' } });
    expect(view?.entries.get(5)?.status).toBe('pending');
    index.apply(finished(p, 1, 'load'));
    index.apply(finished(p, 3, 'load'));
    for (const uid of [2, 4, 5]) {
      index.apply(started(p, uid));
      index.apply(finished(p, uid));
    }
    index.apply(status(p, 'COMPLETED'));
    view = index.inspectNow('p1');
    expect(view?.summary.status).toBe('COMPLETED');
    expect(view?.summary.tasks).toEqual({ done: 5, failed: 0, total: 5 });
    expect(view?.summary.finishedAt).toBeGreaterThan(view?.summary.submittedAt ?? Infinity);
    expect([...(view?.entries.values() ?? [])].every((s) => s.status === 'succeeded' && s.progress === undefined)).toBe(true);
    expect(view?.shape).toBe(stock);
  });

  it('a failed task carries its error; retries are counted; skipped steps show', () => {
    const index = new PipelineIndex();
    const p = { pipelineId: 'f' };
    index.apply(created(p, shape(t(0, 'a'), t(1, 'b'), t(2, 'c'))));
    index.apply(started(p, 0, 'a'));
    index.apply(retried(p, 0, 'a', boom('first try')));
    index.apply(started(p, 0, 'a', 1));
    index.apply(finished(p, 0, 'a', boom('for good')));
    index.apply(skipped(p, [1, 2]));
    index.apply(status(p, 'FAILED'));
    const view = index.inspectNow('f');
    expect(view?.entries.get(0)).toMatchObject({ status: 'failed', started: 1, failed: 1, retries: 1, error: { message: 'for good' } });
    expect(view?.entries.get(1)?.status).toBe('skipped');
    expect(view?.summary).toMatchObject({ status: 'FAILED', tasks: { done: 0, failed: 1, total: 3 }, error: { message: 'for good' } });
  });

  it('the status event error wins over task errors', () => {
    const index = new PipelineIndex();
    index.apply(created({ pipelineId: 'x' }, shape(t(0))));
    index.apply(finished({ pipelineId: 'x' }, 0, 'task', boom('task error')));
    index.apply(status({ pipelineId: 'x' }, 'CANCELLED', { errorType: 'Cancelled', message: 'cancelled by a client' }));
    expect(index.inspectNow('x')?.summary.error?.message).toBe('cancelled by a client');
  });
});

describe('PipelineIndex: events out of order or missing', () => {
  it('task events before pipelineCreated are placed once the shape arrives', () => {
    const index = new PipelineIndex();
    const p = { pipelineId: 'late' };
    index.apply(finished(p, 1, 'load'));
    index.apply(started(p, 1, 'load'));
    expect(index.inspectNow('late')?.summary).toMatchObject({ origin: 'submitted', status: 'PENDING', tasks: { done: 1, total: 1 } });
    expect(index.inspectNow('late')?.shape.entries).toEqual([]);
    index.apply(created(p, stock));
    const view = index.inspectNow('late');
    expect(view?.entries.get(1)).toMatchObject({ status: 'succeeded', started: 1, done: 1 });
    expect(view?.summary.tasks).toEqual({ done: 1, failed: 0, total: 5 });
  });

  it('a finish before its start still counts as one call', () => {
    const index = new PipelineIndex();
    const p = { pipelineId: 'q' };
    index.apply(created(p, shape(t(0))));
    index.apply(finished(p, 0));
    expect(index.inspectNow('q')?.entries.get(0)).toMatchObject({ status: 'succeeded', started: 1, done: 1 });
    index.apply(started(p, 0));
    expect(index.inspectNow('q')?.entries.get(0)).toMatchObject({ status: 'succeeded', started: 1, done: 1 });
  });

  it('an older status arriving late does not undo a newer one', () => {
    const index = new PipelineIndex();
    const p = { pipelineId: 's' };
    const t0 = tick();
    index.apply(status(p, 'COMPLETED', undefined, t0 + 5));
    index.apply(status(p, 'RUNNING', undefined, t0 + 1));
    expect(index.inspectNow('s')?.summary.status).toBe('COMPLETED');
    index.apply(status({ pipelineId: 'u' }, 'COMPLETED', undefined, t0));
    index.apply(status({ pipelineId: 'u' }, 'RUNNING', undefined, t0));
    expect(index.inspectNow('u')?.summary.status).toBe('COMPLETED');
    index.apply(status({ pipelineId: 'v' }, 'RUNNING', undefined, t0));
    index.apply(status({ pipelineId: 'v' }, 'PAUSED', undefined, t0 + 1));
    index.apply(status({ pipelineId: 'v' }, 'RUNNING', undefined, t0 + 2));
    expect(index.inspectNow('v')?.summary.status).toBe('RUNNING');
  });

  it('branches count in their nearest visible ancestor, even when their parent shows up last', () => {
    const index = new PipelineIndex();
    const root = { pipelineId: 'r' };
    const b0 = { pipelineId: 'r/1.0.0', rootPipelineId: 'r', parentPipelineId: 'r' };
    const b1 = { pipelineId: 'r/1.0.1', rootPipelineId: 'r', parentPipelineId: 'r' };
    index.apply(created(b0, shape(t(1, 'load'), t(2, 'std')), 'branch'));
    index.apply(started(b0, 1, 'load'));
    index.apply(finished(b0, 1, 'load'));
    index.apply(started(b1, 3, 'load'));
    index.apply(finished(b1, 3, 'load', boom()));
    index.apply(created(b1, shape(t(3, 'load'), t(4, 'std')), 'branch'));
    expect(index.listNow().map((s) => s.id)).toEqual(['r']);
    expect(index.inspectNow('r')?.summary.origin).toBe('submitted');
    index.apply(created(root, stock));
    const view = index.inspectNow('r');
    expect(view?.entries.get(1)?.status).toBe('succeeded');
    expect(view?.entries.get(3)?.status).toBe('failed');
    expect(view?.entries.get(4)?.status).toBe('pending');
    expect(view?.summary.tasks).toEqual({ done: 1, failed: 1, total: 5 });
    const branches = index.listNow({ includeBranches: true }).filter((s) => s.origin === 'branch');
    expect(branches.map((s) => [s.id, s.tasks.done, s.tasks.failed])).toEqual(
      expect.arrayContaining([
        ['r/1.0.0', 1, 0],
        ['r/1.0.1', 0, 1],
      ]),
    );
  });

  it('a child whose parent was never seen gets a stand-in parent', () => {
    const index = new PipelineIndex();
    const child = { pipelineId: 'gone/1.0.0', rootPipelineId: 'gone', parentPipelineId: 'gone' };
    index.apply(created(child, shape(t(7, 'x')), 'branch'));
    index.apply(finished(child, 7, 'x'));
    expect(index.inspectNow('gone')?.entries.get(7)?.done).toBe(1);
    expect(index.listNow()[0]).toMatchObject({ id: 'gone', status: 'PENDING', tasks: { done: 1 } });
  });

  it('malformed events are ignored and counted', () => {
    const index = new PipelineIndex();
    const bad = [
      null,
      {},
      { kind: 'nope', pipelineId: 'a', rootPipelineId: 'a', time: 1 },
      { kind: 'statusChanged', pipelineId: '', rootPipelineId: '', time: 1, status: 'RUNNING' },
      { kind: 'statusChanged', pipelineId: 'a', rootPipelineId: 'a', time: 1, status: 'WEIRD' },
      { kind: 'taskStarted', pipelineId: 'a', rootPipelineId: 'a', time: Number.NaN, uid: 0, attempt: 0, taskName: 't' },
      { kind: 'taskStarted', pipelineId: 'a', rootPipelineId: 'a', time: 1, uid: 1.5, attempt: 0, taskName: 't' },
      { kind: 'pipelineCreated', pipelineId: 'a', rootPipelineId: 'a', time: 1, origin: 'submitted', shape: null, taskCount: 1 },
    ];
    for (const e of bad) expect(index.apply(e as unknown as PipelineEvent)).toBe(false);
    expect(index.ignored).toBe(bad.length);
    expect(index.size).toBe(0);
  });
});

describe('PipelineIndex: large groups fold onto their first branch', () => {
  it('a 250,000-branch group keeps a small view and counts every branch', () => {
    const index = new PipelineIndex();
    const p = { pipelineId: 'big' };
    const n = 250_000;
    index.apply(created(p, bigGroup(n)));
    for (let i = 0; i < n; i++) index.apply(started(p, 1 + 2 * i, 'a'));
    let view = index.inspectNow('big');
    expect(view?.entries.size).toBe(129);
    expect(view?.entries.get(1)).toMatchObject({ status: 'running', started: n - 63 });
    for (let i = 0; i < n; i++) index.apply(finished(p, 1 + 2 * i, 'a'));
    view = index.inspectNow('big');
    expect(view?.entries.get(1)).toMatchObject({ status: 'succeeded', done: n - 63 });
    expect(view?.entries.get(127)).toMatchObject({ status: 'succeeded', done: 1 });
    expect(view?.summary.tasks).toEqual({ done: n, failed: 0, total: 2 * n + 1 });
    // the second step: half done, nothing in flight: still running until every branch is done
    for (let i = 0; i < n / 2; i++) index.apply(finished(p, 2 + 2 * i, 'b'));
    expect(index.inspectNow('big')?.entries.get(2)?.status).toBe('running');
    index.apply(finished(p, 1 + 2 * n, 'sum'));
    expect(index.inspectNow('big')?.entries.get(1 + 2 * n)?.status).toBe('succeeded');
  });

  it('a failed branch among thousands shows the group step failed once all settle', () => {
    const index = new PipelineIndex();
    const p = { pipelineId: 'bf' };
    index.apply(created(p, bigGroup(1000)));
    for (let i = 0; i < 1000; i++) index.apply(started(p, 1 + 2 * i, 'a'));
    index.apply(finished(p, 1 + 2 * 500, 'a', boom('branch 500')));
    expect(index.inspectNow('bf')?.entries.get(1)?.status).toBe('running');
    for (let i = 0; i < 1000; i++) if (i !== 500) index.apply(finished(p, 1 + 2 * i, 'a'));
    expect(index.inspectNow('bf')?.entries.get(1)).toMatchObject({ status: 'failed', error: { message: 'branch 500' } });
  });

  it('mixed left-out branches count under the group itself', () => {
    const index = new PipelineIndex();
    const p = { pipelineId: 'mixed' };
    index.apply(created(p, shape(g(0, [[t(1, 'a')], [t(2, 'b'), t(3, 'c')]], 10), t(99, 'after'))));
    index.apply(finished(p, 50, 'z'));
    index.apply(finished(p, 99, 'after'));
    const view = index.inspectNow('mixed');
    expect(view?.entries.get(0)?.done).toBe(1);
    expect(view?.entries.get(99)?.done).toBe(1);
  });

  it('nested large groups fold level by level', () => {
    // group 0 of 100 branches, each: group of 10 branches [x]
    const inner = (first: number) =>
      g(
        first,
        Array.from({ length: 2 }, (_, j) => [t(first + 1 + j, 'x')]),
        10,
      );
    const outer = shape(g(0, [[inner(1)], [inner(12)]], 100));
    const index = new PipelineIndex();
    const p = { pipelineId: 'nest' };
    index.apply(created(p, outer));
    for (let i = 0; i < 100; i++) for (let j = 0; j < 10; j++) index.apply(finished(p, 1 + i * 11 + 1 + j, 'x'));
    const view = index.inspectNow('nest');
    // uid 2: outer branches 0 and 2..99 (99) × inner branches 0 and 2..9 (9)
    expect(view?.entries.get(2)).toMatchObject({ done: 99 * 9, status: 'succeeded' });
    expect(view?.entries.get(3)).toMatchObject({ done: 99, status: 'succeeded' });
    expect(view?.entries.get(13)).toMatchObject({ done: 9, status: 'succeeded' });
    expect(view?.entries.get(14)).toMatchObject({ done: 1 });
    expect(view?.summary.tasks.done).toBe(1000);
  });

  it('an event naming a group and a branch lands on that branch', () => {
    const index = new PipelineIndex();
    const p = { pipelineId: 'gb' };
    index.apply(created(p, shape(g(0, [[t(1)], [t(2)]], 500))));
    const withBranch = (branch: number): PipelineEvent => ({ ...finished(p, 0), branch }) as PipelineEvent;
    index.apply(withBranch(1));
    index.apply(withBranch(300));
    expect(index.inspectNow('gb')?.entries.get(2)?.done).toBe(1);
    expect(index.inspectNow('gb')?.entries.get(1)?.done).toBe(1);
  });
});

describe('PipelineIndex: orchestrator children', () => {
  it('are listed on their own and linked from the task that returned them', () => {
    const index = new PipelineIndex();
    index.apply(created({ pipelineId: 'o' }, shape(t(0, 'averageStdDev'))));
    index.apply(created({ pipelineId: 'o/1.0', rootPipelineId: 'o', parentPipelineId: 'o' }, stock, 'orchestrator'));
    index.apply(created({ pipelineId: 'o/anything', rootPipelineId: 'o', parentPipelineId: 'o' }, stock, 'orchestrator', tick(), { callerUid: 0 }));
    index.apply(created({ pipelineId: 'o/who', rootPipelineId: 'o', parentPipelineId: 'o' }, stock, 'orchestrator'));
    expect(index.inspectNow('o')?.children).toEqual(
      new Map([
        [0, ['o/1.0', 'o/anything']],
        [-1, ['o/who']],
      ]),
    );
    expect(index.listNow().map((s) => s.id)).toEqual(['o/who', 'o/anything', 'o/1.0', 'o']);
    index.apply(finished({ pipelineId: 'o/1.0', rootPipelineId: 'o', parentPipelineId: 'o' }, 5, 'avg'));
    expect(index.inspectNow('o')?.summary.tasks.done).toBe(0);
    expect(index.inspectNow('o/1.0')?.summary.tasks.done).toBe(1);
  });
});

describe('PipelineIndex: list', () => {
  const index = new PipelineIndex();
  const t0 = tick();
  for (let i = 0; i < 5; i++) index.apply(created({ pipelineId: `p${i}` }, shape(t(0)), 'submitted', t0 + i));
  index.apply(status({ pipelineId: 'p1' }, 'FAILED'));
  index.apply(status({ pipelineId: 'p3' }, 'COMPLETED'));

  it('newest first, filtered by status, limited', () => {
    expect(index.listNow().map((s) => s.id)).toEqual(['p4', 'p3', 'p2', 'p1', 'p0']);
    expect(index.listNow({ status: 'FAILED' }).map((s) => s.id)).toEqual(['p1']);
    expect(index.listNow({ status: ['FAILED', 'COMPLETED'] }).map((s) => s.id)).toEqual(['p3', 'p1']);
    expect(index.listNow({ limit: 2 }).map((s) => s.id)).toEqual(['p4', 'p3']);
  });

  it('rejects bad options with a clear error', async () => {
    expect(() => index.listNow({ limit: 0 })).toThrow(/limit must be a positive integer, got 0/);
    expect(() => index.listNow({ status: 'DONE' as 'COMPLETED' })).toThrow(/unknown pipeline status 'DONE'/);
    await expect(index.list({ limit: -1 })).rejects.toThrow(/limit/);
    expect(() => new PipelineIndex({ maxPipelines: 0 })).toThrow(/maxPipelines must be a positive integer/);
  });

  it('inspect of an unknown id is undefined', async () => {
    expect(await index.inspect('nope')).toBeUndefined();
  });
});

describe('PipelineIndex: bounded memory', () => {
  it('keeps at most maxPipelines, dropping finished branches, then the oldest finished, then the oldest', () => {
    const index = new PipelineIndex({ maxPipelines: 3 });
    index.apply(created({ pipelineId: 'a' }, shape(t(0))));
    index.apply(created({ pipelineId: 'b' }, shape(t(0))));
    index.apply(created({ pipelineId: 'a/1.0.0', rootPipelineId: 'a', parentPipelineId: 'a' }, shape(t(0)), 'branch'));
    index.apply(status({ pipelineId: 'a/1.0.0', rootPipelineId: 'a', parentPipelineId: 'a' }, 'COMPLETED'));
    index.apply(status({ pipelineId: 'b' }, 'COMPLETED'));
    index.apply(created({ pipelineId: 'c' }, shape(t(0))));
    expect(index.size).toBe(3);
    expect(index.inspectNow('a/1.0.0')).toBeUndefined();
    index.apply(created({ pipelineId: 'd' }, shape(t(0))));
    expect(index.inspectNow('b')).toBeUndefined();
    index.apply(created({ pipelineId: 'e' }, shape(t(0))));
    expect(index.inspectNow('a')).toBeUndefined();
    expect(index.listNow().map((s) => s.id)).toEqual(['e', 'd', 'c']);
  });
});

describe('PipelineIndex: watch and onEvent', () => {
  it('watch yields the pipeline’s and its children’s events and ends with its final status', async () => {
    const index = new PipelineIndex();
    const p = { pipelineId: 'w' };
    index.apply(created(p, stock));
    const seen: string[] = [];
    const done = (async () => {
      for await (const e of index.watch('w')) seen.push(`${e.pipelineId}:${e.kind}`);
    })();
    index.apply(created({ pipelineId: 'other' }, stock));
    index.apply(started({ pipelineId: 'w/1.0.0', rootPipelineId: 'w', parentPipelineId: 'w' }, 1));
    index.apply(status(p, 'COMPLETED'));
    index.apply(status(p, 'COMPLETED'));
    await done;
    expect(seen).toEqual(['w/1.0.0:taskStarted', 'w:statusChanged']);
    expect(index.watching).toBe(0);
  });

  it('a watch of a finished pipeline ends at once; leaving the loop unregisters', async () => {
    const index = new PipelineIndex();
    index.apply(status({ pipelineId: 'fin' }, 'FAILED'));
    const events: PipelineEvent[] = [];
    for await (const e of index.watch('fin')) events.push(e);
    expect(events).toEqual([]);
    index.apply(created({ pipelineId: 'run' }, stock));
    const it = index.watch('run')[Symbol.asyncIterator]();
    const pending = it.next();
    expect(index.watching).toBe(1);
    await it.return?.();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(index.watching).toBe(0);
    const loop = (async () => {
      for await (const e of index.watch('run')) {
        events.push(e);
        break;
      }
    })();
    expect(index.watching).toBe(1);
    index.apply(started({ pipelineId: 'run' }, 1));
    await loop;
    expect(events.map((e) => e.kind)).toEqual(['taskStarted']);
    expect(index.watching).toBe(0);
  });

  it('a slow reader keeps at most watchBuffer events, the newest', async () => {
    const index = new PipelineIndex({ watchBuffer: 3 });
    index.apply(created({ pipelineId: 'slow' }, stock));
    const it = index.watch('slow')[Symbol.asyncIterator]();
    for (let uid = 1; uid <= 5; uid++) index.apply(started({ pipelineId: 'slow' }, uid));
    const uids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await it.next();
      if (!r.done && r.value.kind === 'taskStarted') uids.push(r.value.uid);
    }
    expect(uids).toEqual([3, 4, 5]);
    await it.return?.();
  });

  it('onEvent sees every applied event; a throwing listener hurts no one', () => {
    const index = new PipelineIndex();
    const kinds: string[] = [];
    index.onEvent(() => {
      throw new Error('bad listener');
    });
    const off = index.onEvent((e) => kinds.push(e.kind));
    index.apply(created({ pipelineId: 'l' }, stock));
    off();
    index.apply(status({ pipelineId: 'l' }, 'RUNNING'));
    expect(kinds).toEqual(['pipelineCreated']);
    expect(index.inspectNow('l')?.summary.status).toBe('RUNNING');
  });
});
