/**
 * toMermaid's output rendered by Mermaid itself (the `mermaid` package, in
 * Debian's Chromium): every node kind parses and draws, statuses become
 * classes, and hostile names come out as plain text.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlinkTasks, inParallel, type TaskError } from '../../src/index.js';
import { toMermaid } from '../../src/observe/mermaid.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../dashboard/browser.js';
import { bigGroup } from './events.js';

interface Drawn {
  nodes: string[];
  classes: string[];
  images: number;
  links: number;
  scripts: number;
}
declare const document: {
  body: {
    innerHTML: string;
    querySelector(s: string): { querySelectorAll(s: string): Iterable<{ textContent: string | null; getAttribute(n: string): string | null }> } | null;
    querySelectorAll(s: string): { length: number };
  };
};
declare const mermaid: { initialize(o: object): void; render(id: string, text: string): Promise<{ svg: string }> };

const tasks = new FlinkTasks({ namespace: 'render', workerName: 'worker' });
const load = tasks.bind('load', (s: string) => s.length);
const square = tasks.bind('square', (x: number) => x * x);
const sum = tasks.bind('sum', (xs: number[]) => xs.reduce((a, b) => a + b, 0));
const recover = tasks.bind('recover', (_e: TaskError) => 0);
const cleanup = tasks.bind('cleanup', () => undefined);

let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`no browser at ${CHROMIUM_PATH}: install Debian's Chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  page = await browser.newPage();
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js') });
  await page.evaluate(() => mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }));
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

let n = 0;
async function draw(text: string): Promise<Drawn> {
  return page.evaluate(
    async ([t, id]) => {
      const { svg } = await mermaid.render(id, t);
      document.body.innerHTML = svg;
      const root = document.body.querySelector('svg');
      const nodes = [...(root?.querySelectorAll('g.node') ?? [])];
      return {
        nodes: nodes.map((g) => (g.textContent ?? '').trim()),
        classes: nodes.map((g) => g.getAttribute('class') ?? ''),
        images: document.body.querySelectorAll('img').length,
        links: document.body.querySelectorAll('a').length,
        scripts: document.body.querySelectorAll('script').length,
      };
    },
    [text, `chart${++n}`] as const,
  );
}

describe('Mermaid renders what toMermaid writes', () => {
  it('every node kind: chains, groups, nested groups, exceptionally, finally, collapsed groups and runs', async () => {
    let run = load.send('a').continueWith(square);
    for (let i = 0; i < 20; i++) run = run.continueWith(square);
    const p = inParallel([load.send('a').continueWith(square).exceptionally(recover), inParallel([square.send(1), square.send(2)]).continueWith(sum), run])
      .continueWith(sum)
      .finallyDo(cleanup);
    const drawn = await draw(toMermaid(p));
    expect(drawn.nodes).toEqual(['load', 'square', 'recover', 'square', 'square', 'sum', 'load', 'square × 21', 'sum', 'cleanup']);
    const mixed = inParallel(Array.from({ length: 30 }, (_, i) => (i % 2 ? load.send('x') : square.send(i))));
    expect((await draw(toMermaid(mixed))).nodes).toEqual(['square', 'load', 'square', '… 27 more branches']);
    expect((await draw(toMermaid(bigGroup(250_000)))).nodes).toEqual(['a', 'b', 'sum']);
    expect((await draw(toMermaid({ entries: [] }))).nodes).toEqual(['(empty pipeline)']);
  });

  it('statuses become classes', async () => {
    const drawn = await draw(
      toMermaid(load.send('a').continueWith(square).continueWith(square).set({ displayName: 'square again' }), { status: { 0: 'succeeded', 1: 'failed' } }),
    );
    expect(drawn.classes.map((c) => c.split(' ').find((x) => ['succeeded', 'failed', 'pending'].includes(x)))).toEqual(['succeeded', 'failed', 'pending']);
  });

  it('hostile names are drawn as the text they are', async () => {
    const names = [
      'a"];click x "https://evil.example"',
      '<img src=x onerror=alert(1)>',
      'b"] --> evil["x',
      '%%{init: {"theme":"dark"}}%%',
      '`**md**` #quot; & &amp;',
      'end',
    ];
    for (const name of names) {
      const drawn = await draw(toMermaid(load.send('a').set({ displayName: name }).continueWith(square)));
      expect(drawn.nodes).toEqual([name, 'square']);
      expect([drawn.images, drawn.links, drawn.scripts]).toEqual([0, 0, 0]);
    }
  });
});
