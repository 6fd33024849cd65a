/**
 * The dashboard in a real browser: Debian's Chromium, headless, driven by
 * playwright-core. Install it with `apt-get install -y chromium` (.ci/run does).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDashboard, type Dashboard } from '../../src/dashboard/server.js';
import { inParallel } from '../../src/index.js';
import { tasks } from '../../examples/stock/tasks.js';
import { created, status } from '../observe/events.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser.js';
import { scenario, type Scenario } from './scenario.js';

// The page's globals, as far as these tests use them inside the browser (the project compiles without the DOM lib).
interface PageElement {
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
}
declare const document: { querySelectorAll(selector: string): Iterable<PageElement>; querySelector(selector: string): PageElement | null };
declare const window: { __pwned?: number };
declare function getComputedStyle(element: unknown): { fill: string };

let s: Scenario;
let dashboard: Dashboard;
let browser: Browser;
let page: Page;

const rgb = {
  succeeded: 'rgb(211, 249, 216)',
  failed: 'rgb(255, 227, 227)',
  running: 'rgb(208, 235, 255)',
  pending: 'rgb(241, 243, 245)',
  skipped: 'rgb(255, 243, 191)',
};
const fillOf = (node: string) => page.locator(`svg g[data-node="${node}"] rect.box`).evaluate((r) => getComputedStyle(r).fill);
const open = async (path: string) => {
  await page.goto(new URL(path, dashboard.url).href);
};

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`no browser at ${CHROMIUM_PATH}: install Debian's Chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  s = await scenario();
  dashboard = await serveDashboard(s.client, { allowActions: true, refreshMs: 50 });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  s?.release();
  await s?.client.close();
});

describe('the dashboard in Chromium', () => {
  it('lists the pipelines with status, task counts and errors; filters by status', async () => {
    await open('/');
    await page.waitForSelector('table.pipelines tbody tr');
    const row = (id: string) => page.locator(`tr[data-id="${id}"]`);
    await expect(row(s.ids.stock).locator('.badge').textContent()).resolves.toBe('completed');
    await expect(row(s.ids.failing).locator('.badge').textContent()).resolves.toBe('failed');
    await expect(row(s.ids.failing).locator('td.err').textContent()).resolves.toBe('TypeError: order B-2 has no "amount"');
    await expect(row(s.ids.big).locator('td.num').first().textContent()).resolves.toBe('300,000/500,001');
    await page.click('button.chip[data-status="FAILED"]');
    await page.waitForFunction(() => [...document.querySelectorAll('tr[data-status]')].every((r) => r.getAttribute('data-status') === 'FAILED'));
    expect(page.url()).toMatch(/\?status=FAILED$/);
    await expect(page.locator('tr[data-status]').count()).resolves.toBe(1);
  });

  it('colours the stock example’s picture by status', async () => {
    await open(`/pipelines/${encodeURIComponent(`${s.ids.stock}/1.0`)}`);
    await page.waitForSelector('svg g[data-node="t1"][data-status="succeeded"]');
    expect(await page.locator('svg g[data-node]').count()).toBe(9);
    expect(await fillOf('t1')).toBe(rgb.succeeded);
    expect(await fillOf('t9')).toBe(rgb.succeeded);
    expect(await page.locator('svg [data-group="g0"] text').textContent()).toBe('4 branches');
  });

  it('shows a failed pipeline’s error with its stack, the failed node red and skipped ones yellow', async () => {
    await open(`/pipelines/${encodeURIComponent(s.ids.failing)}`);
    await page.waitForSelector('svg g[data-node="t0"][data-status="failed"]');
    expect(await fillOf('t0')).toBe(rgb.failed);
    expect(await fillOf('t1')).toBe(rgb.skipped);
    expect(await page.locator('.error .what').textContent()).toBe('failed: TypeError: order B-2 has no "amount"');
    expect(await page.locator('.error pre.stack').textContent()).toMatch(/^TypeError: order B-2 has no "amount"\n\s+at /);
  });

  it('a cancel click reaches the client and the page follows the pipeline live', async () => {
    await open(`/pipelines/${encodeURIComponent(s.ids.running)}`);
    await page.waitForSelector('svg g[data-node="t2"][data-status="running"]');
    expect(await fillOf('t2')).toBe(rgb.running);
    expect(await page.locator('tr[data-node="t2"]').textContent()).toContain('40% reading rows');
    page.once('dialog', (d) => void d.accept());
    await page.click('button[data-action="cancel"]');
    await page.waitForFunction(() => /cancel sent/.test(document.querySelector('.message')?.textContent ?? ''));
    expect(s.client.actions).toContain(`cancel ${s.ids.running}`);
    s.release();
    await page.waitForFunction(() => document.querySelector('h1 + span .badge')?.textContent === 'cancelled', undefined, { timeout: 10_000 });
    expect(await page.locator('.live').textContent()).toBe('finished');
  });

  it('draws a 250,000-branch pipeline collapsed, in well under a second', async () => {
    const t0 = Date.now();
    await open(`/pipelines/${encodeURIComponent(s.ids.big)}`);
    await page.waitForSelector('svg g[data-node="t1"][data-status="running"]');
    const ms = Date.now() - t0;
    console.log(`250,000-branch pipeline page: picture drawn ${ms} ms after navigation`);
    expect(ms).toBeLessThan(1000);
    expect(await page.locator('svg [data-group="g0"] text').textContent()).toBe('× 250,000');
    expect(await page.locator('svg g[data-node="t1"] text.sub').textContent()).toBe('× 250,000 · 180,000 done');
  });

  it('draws a 10,000-branch pipeline run on the local runtime', async () => {
    const square = tasks.bind('squareForDashboard', (x: number) => x * x);
    const p = inParallel(Array.from({ length: 10_000 }, (_, i) => square.send(i)));
    await s.client.submit(p);
    const t0 = Date.now();
    await open(`/pipelines/${encodeURIComponent(p.id)}`);
    await page.waitForSelector('svg g[data-node="t1"][data-status="succeeded"]');
    const ms = Date.now() - t0;
    console.log(`10,000-branch pipeline page: picture drawn ${ms} ms after navigation`);
    expect(ms).toBeLessThan(1000);
    expect(await page.locator('svg g[data-node="t1"] text.sub').textContent()).toBe('× 10,000 · 10,000 done');
  });

  it('unknown ids get a 404 page; hostile names stay text', async () => {
    const r = await page.goto(new URL('/pipelines/no-such-id', dashboard.url).href);
    expect(r?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('404 · unknown pipeline');
    const evil = '<img src=x onerror="window.__pwned=1">';
    s.client.publish(created({ pipelineId: evil }, { entries: [{ kind: 'task', uid: 0, taskName: evil, displayName: evil, role: 'task' }] }));
    s.client.publish(status({ pipelineId: evil }, 'FAILED', { errorType: '<b>x</b>', message: evil, stack: evil }));
    await open(`/pipelines/${encodeURIComponent(evil)}`);
    await page.waitForSelector('svg g[data-node="t0"]');
    expect(await page.locator('svg g[data-node="t0"] text.name').textContent()).toBe('<img src=x onerror=…');
    expect(await page.locator('.error .what').textContent()).toBe(`failed: <b>x</b>: ${evil}`);
    await open('/');
    await page.waitForSelector('table.pipelines');
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  });
});
