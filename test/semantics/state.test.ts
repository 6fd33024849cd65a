import { afterAll, describe, expect, it } from 'vitest';
import { inParallel } from '../../src/index.js';
import { makeTasks, runtimeFor } from '../fixtures.js';

const t = makeTasks();
const runtime = runtimeFor(t.tasks);
afterAll(() => runtime.close());

describe('pipeline state', () => {
  it('withInitial sets the starting state; withState tasks read and replace it; other tasks pass it on untouched', async () => {
    const p = t.setKey
      .send('a', 1)
      .continueWith(t.identity)
      .continueWith(t.readState)
      .withInitial({ state: { start: true } });
    expect(await runtime.submit(p)).toEqual({ start: true, a: 1 });
  });

  it('after a group, object states are shallow-merged in declaration order, the first writer of a key winning', async () => {
    const p = inParallel([t.setKey.send('x', 'first'), t.setKey.send('x', 'second'), t.setKey.send('y', 2)]).continueWith(t.readState);
    expect(await runtime.submit(p.withInitial({ state: {} }))).toEqual({ x: 'first', y: 2 });
  });

  it('if any branch state is not a plain object, the first branch state wins', async () => {
    const p = inParallel([t.replaceState.send('one'), t.setKey.send('k', 1)]).continueWith(t.readState);
    expect(await runtime.submit(p.withInitial({ state: {} }))).toBe('one');
  });

  it('a group with branches that do not touch state keeps the state', async () => {
    const p = inParallel([t.add.send(1, 1), t.add.send(2, 2)]).continueWith(t.readState);
    expect(await runtime.submit(p.withInitial({ state: { keep: 1 } }))).toEqual({ keep: 1 });
  });

  it('exceptionally receives the state that the failing task received', async () => {
    const p = t.setKey.send('before', 1).continueWith(t.failWithState).exceptionally(t.recoverWithState);
    expect(await runtime.submit(p.withInitial({ state: {} }))).toEqual({ before: 1 });
  });

  it('state changes made by finallyDo are discarded', async () => {
    const p = t.setKey.send('a', 1).continueWith(t.readState).finallyDo(t.setKey, 'finally', true);
    expect(await runtime.submit(p.withInitial({ state: {} }))).toEqual({ a: 1 });
  });

  it('a child pipeline is isolated unless inline; an inline child shares and hands back the state', async () => {
    const isolated = t.tasks.bind('isolatedChild', () => t.setKey.send('child', true));
    const inline = t.tasks.bind('inlineChild', () => t.setKey.send('child', true).inline());
    expect(
      await runtime.submit(
        isolated
          .send()
          .continueWith(t.readState)
          .withInitial({ state: { parent: 1 } }),
      ),
    ).toEqual({ parent: 1 });
    expect(
      await runtime.submit(
        inline
          .send()
          .continueWith(t.readState)
          .withInitial({ state: { parent: 1 } }),
      ),
    ).toEqual({ parent: 1, child: true });
  });
});

describe('stateful tasks and context', () => {
  it('a task bound with a fixed taskId keeps its function state across calls', async () => {
    expect(await runtime.submit(t.memo.send(1))).toBe(0);
    expect(await runtime.submit(t.memo.send(2))).toBe(1);
    expect(await runtime.submit(t.memo.send(3))).toBe(2);
  });

  it('without a fixed taskId every call gets fresh state', async () => {
    expect(await runtime.submit(t.fresh.send(1))).toBe(0);
    expect(await runtime.submit(t.fresh.send(2))).toBe(0);
  });

  it('a fixed taskId can be set per entry', async () => {
    expect(await runtime.submit(t.fresh.send(1).set({ taskId: 'shared' }))).toBe(0);
    expect(await runtime.submit(t.fresh.send(2).set({ taskId: 'shared' }))).toBe(1);
  });

  it('the context tells the task who it is and which pipeline runs it', async () => {
    const p = t.whoAmI.send();
    const info = await runtime.submit(p);
    expect(info).toMatchObject({ taskName: 'whoAmI', pipelineId: p.id, rootPipelineId: p.id });
    expect(info.taskId).toContain(p.id);
  });

  it('a child pipeline knows its root pipeline', async () => {
    const outer = t.tasks.bind('outer', () => t.whoAmI.send());
    const p = outer.send();
    const info = await runtime.submit(p);
    expect(info.rootPipelineId).toBe(p.id);
    expect(info.pipelineId).not.toBe(p.id);
  });
});
