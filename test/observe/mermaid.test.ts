import { describe, expect, it } from 'vitest';
import { FlinkTasks, inParallel, type TaskError } from '../../src/index.js';
import { shapeOf, type PipelineShape } from '../../src/ir/shape.js';
import { mermaidText, toMermaid } from '../../src/observe/mermaid.js';
import { bigGroup } from './events.js';

const tasks = new FlinkTasks({ namespace: 'pic', workerName: 'worker' });
const load = tasks.bind('load', (s: string) => s.length);
const square = tasks.bind('square', (x: number) => x * x);
const sum = tasks.bind('sum', (xs: number[]) => xs.reduce((a, b) => a + b, 0));
const recover = tasks.bind('recover', (_e: TaskError) => 0);
const cleanup = tasks.bind('cleanup', () => undefined);
const named = tasks.bind('named', (x: number) => x);

describe('toMermaid draws every kind of node', () => {
  it('a single task', () => {
    expect(toMermaid(load.send('a'))).toMatchInlineSnapshot(`
      "flowchart TD
        t0("load")
      "
    `);
  });

  it('a chain, by display name', () => {
    expect(toMermaid(load.send('a').continueWith(square).set({ displayName: 'square it' }))).toMatchInlineSnapshot(`
      "flowchart TD
        t0("load")
        t1("square it")
        t0 --> t1
      "
    `);
  });

  it('a group as a subgraph with fan-out and fan-in', () => {
    const p = load.send('x').continueWith(square);
    const q = inParallel([load.send('a').continueWith(square), load.send('b')]).continueWith(sum);
    expect(toMermaid(inParallel([p]).continueWith(sum))).toContain('subgraph g0["1 branch"]');
    expect(toMermaid(q)).toMatchInlineSnapshot(`
      "flowchart TD
        subgraph g0["2 branches"]
          t1("load")
          t2("square")
          t3("load")
        end
        t4("sum")
        t1 --> t2
        t2 --> t4
        t3 --> t4
      "
    `);
  });

  it('a group after a task fans out from it; options are in the title', () => {
    const q = load.send('a').continueWith(square).continueWith(named);
    const p = square.send(2);
    const g = inParallel([p, q], { ordered: false, maxParallelism: 1, returnExceptions: true });
    expect(toMermaid(g)).toMatchInlineSnapshot(`
      "flowchart TD
        subgraph g0["2 branches #183; #8804; 1 at a time #183; unordered #183; errors as results"]
          t1("square")
          t2("load")
          t3("square")
          t4("named")
        end
        t2 --> t3
        t3 --> t4
      "
    `);
  });

  it('nested groups as nested subgraphs', () => {
    const p = load.send('a').continueWith(square);
    const nested = inParallel([inParallel([square.send(1), square.send(2)]).continueWith(sum), p]);
    expect(toMermaid(load.send('x').continueWith(named).continueWith(square).continueWith(named))).toContain('t2 --> t3');
    expect(toMermaid(nested)).toMatchInlineSnapshot(`
      "flowchart TD
        subgraph g0["2 branches"]
          subgraph g1["2 branches"]
            t2("square")
            t3("square")
          end
          t4("sum")
          t5("load")
          t6("square")
        end
        t2 --> t4
        t3 --> t4
        t5 --> t6
      "
    `);
  });

  it('exceptionally: a hexagon reached on error, skipped on success', () => {
    expect(toMermaid(load.send('a').exceptionally(recover).continueWith(square))).toMatchInlineSnapshot(`
      "flowchart TD
        t0("load")
        t1{{"recover"}}
        t2("square")
        t0 -. on error .-> t1
        t0 --> t2
        t1 --> t2
      "
    `);
  });

  it('finallyDo: a stadium reached by a thick arrow from every path', () => {
    expect(toMermaid(load.send('a').exceptionally(recover).finallyDo(cleanup))).toMatchInlineSnapshot(`
      "flowchart TD
        t0("load")
        t1{{"recover"}}
        t2(["cleanup"])
        t0 -. on error .-> t1
        t0 == finally ==> t2
        t1 == finally ==> t2
      "
    `);
  });

  it('a large uniform group collapses to one branch titled × count', () => {
    // the shape a 250,000-branch group has (building its IR takes seconds; the 1,000-branch one below is built for real)
    const text = toMermaid(bigGroup(250_000));
    const real = inParallel(Array.from({ length: 1_000 }, (_, i) => load.send(`s${i}`).continueWith(square))).continueWith(sum);
    expect(toMermaid(real)).toBe(toMermaid(bigGroup(1_000)).replace(/"a"/g, '"load"').replace(/"b"/g, '"square"').replace(/"sum"/, '"sum"'));
    expect(text).toMatchInlineSnapshot(`
      "flowchart TD
        subgraph g0["#215; 250,000"]
          t1("a")
          t2("b")
        end
        t500001("sum")
        t1 --> t2
        t2 --> t500001
      "
    `);
  });

  it('a large mixed group shows its first branches and the rest as one node', () => {
    const mixed = inParallel(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? load.send(`s${i}`) : square.send(i))));
    expect(toMermaid(mixed)).toMatchInlineSnapshot(`
      "flowchart TD
        subgraph g0["#215; 100"]
          t1("load")
          t2("square")
          t3("load")
          m0[/"#8230; 97 more branches"/]
        end
      "
    `);
  });

  it('runs of one task collapse to name × n', () => {
    let p = load.send('a').continueWith(square);
    for (let i = 0; i < 9_999; i++) p = p.continueWith(square);
    expect(toMermaid(p)).toMatchInlineSnapshot(`
      "flowchart TD
        t0("load")
        t1("square #215; 10,000")
        t0 --> t1
      "
    `);
    expect(toMermaid(p, { minRun: 0 }).split('\n').length).toBeGreaterThan(10_000);
  });

  it('an empty shape and an empty group still draw', () => {
    expect(toMermaid({ entries: [] })).toBe('flowchart TD\n  x0[/"(empty pipeline)"/]\n');
    const shape: PipelineShape = {
      entries: [{ kind: 'group', uid: 0, branchCount: 0, branches: [], ordered: true, returnExceptions: false, maxParallelism: 0 }],
    };
    expect(toMermaid(shape)).toContain('e0[/"(no branches)"/]');
  });

  it('accepts a pipeline, its IR or its shape alike, and LR', () => {
    const p = load.send('a').continueWith(square);
    expect(toMermaid(p.toIR())).toBe(toMermaid(p));
    expect(toMermaid(shapeOf(p.toIR()))).toBe(toMermaid(p));
    expect(toMermaid(p, { direction: 'LR' }).startsWith('flowchart LR\n')).toBe(true);
  });

  it('rejects what it cannot draw, with a clear error', () => {
    expect(() => toMermaid({} as PipelineShape)).toThrow(/takes a pipeline, a PipelineNode/);
    expect(() => toMermaid(load.send('a'), { maxBranches: 0 })).toThrow(/maxBranches must be an integer ≥ 1, got 0/);
    expect(() => toMermaid(load.send('a'), { direction: 'RL' as 'LR' })).toThrow(/direction/);
  });
});

describe('toMermaid colours nodes by status', () => {
  const p = inParallel([load.send('a').continueWith(square), load.send('b').continueWith(square)]).continueWith(sum);

  it('classes by entry status; missing entries are pending', () => {
    const text = toMermaid(p, { status: { 1: 'succeeded', 2: 'running', 3: 'failed', 4: 'skipped' } });
    expect(text).toContain('class t1 succeeded');
    expect(text).toContain('class t2 running');
    expect(text).toContain('class t3 failed');
    expect(text).toContain('class t4 skipped');
    expect(text).toContain('class t5 pending');
    expect(text).toContain('classDef failed fill:#ffe3e3,stroke:#e03131,color:#6b0f0f');
  });

  it('a collapsed group node merges its branches: running while any runs, failed if any failed', () => {
    const big = inParallel(Array.from({ length: 20 }, (_, i) => load.send(`s${i}`))).continueWith(sum);
    const done = new Map(Array.from({ length: 20 }, (_, i) => [i + 1, 'succeeded' as const]));
    expect(toMermaid(big, { status: done })).toContain('class t1 succeeded');
    expect(toMermaid(big, { status: new Map([...done, [7, 'running' as const]]) })).toContain('class t1 running');
    expect(toMermaid(big, { status: new Map([...done, [7, 'failed' as const]]) })).toContain('class t1 failed');
    expect(toMermaid(big, { status: new Map([[1, 'succeeded' as const]]) })).toContain('class t1 running');
  });
});

describe('names cannot break or inject into the chart', () => {
  const hostile = [
    'a"];click x',
    'b"] --> evil["x',
    '<img src=x onerror=alert(1)>',
    'end',
    '%%{init: {"theme":"dark"}}%%',
    'line\nbreak',
    '`**md**`',
    '#quot;',
    'subgraph',
  ];

  it.each(hostile)('%j is entity-escaped', (name) => {
    const t = tasks.bind(`h${hostile.indexOf(name)}`, (x: number) => x);
    const text = toMermaid(t.send(1).set({ displayName: name }));
    const label = text.split('\n')[1] as string;
    expect(label).toMatch(/^ {2}t0\("[A-Za-z0-9 _.,:/()#;-]*"\)$/);
    expect(text.split('\n')).toHaveLength(3);
  });

  it('mermaidText keeps plain names readable', () => {
    expect(mermaidText('load prices: BT.L/2024-01')).toBe('load prices: BT.L/2024-01');
    expect(mermaidText('a"b')).toBe('a#34;b');
    expect(mermaidText('😀')).toBe('#128512;');
  });

  it('long names are cut with an ellipsis', () => {
    const t = tasks.bind('longName', (x: number) => x);
    const text = toMermaid(t.send(1).set({ displayName: 'x'.repeat(100) }), { maxLabel: 10 });
    expect(text).toContain(`t0("${'x'.repeat(9)}#8230;")`);
  });
});

describe('the getting-started guide', () => {
  it('shows the picture toMermaid draws of the stock example', async () => {
    const { averageStdDev } = await import('../../examples/stock/tasks.js');
    const { readFileSync } = await import('node:fs');
    const page = readFileSync(new URL('../../docs/getting-started.md', import.meta.url), 'utf8');
    const shown = /```mermaid\n([\s\S]*?)```/.exec(page)?.[1];
    expect(shown).toBe(toMermaid(averageStdDev(['BT.L', 'BP.L', 'VOD.L'])));
  });
});
