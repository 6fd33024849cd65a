/**
 * Seeing pipelines on a real StateFun + Kafka: the `flink-tasks` command line
 * (the built bin, dist/cli/main.js, run as a user runs it) and the dashboard
 * in Debian's Chromium, both reading the events topic through a
 * KafkaTasksClient; progress from `ctx.progress` reaches both live. Tasks
 * that must be running are held at the test's HTTP gate. Also measures the
 * dashboard's page weight and how long a 10,000-branch pipeline run on Flink
 * takes to draw.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inParallel, TaskError } from 'flink-tasks';
import { KafkaTasksClient } from 'flink-tasks/kafka';
import { serveDashboard, type Dashboard } from '../../src/dashboard/server.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../dashboard/browser.js';
import * as t from './fixtures/tasks.js';
import { connectClient, e2e } from './support/env.js';
import { GateServer } from './support/gate.js';

// The page's globals, as far as these tests use them inside the browser (the project compiles without the DOM lib).
interface PageElement {
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
}
declare const document: { querySelector(selector: string): PageElement | null };
declare function getComputedStyle(element: unknown): { fill: string };
declare const window: {
  performance: { getEntriesByType(type: string): Array<{ name: string; encodedBodySize: number; decodedBodySize: number; responseEnd: number }> };
};

const BIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

let flink: KafkaTasksClient;
let gates: GateServer;

/** Runs the bin with `args` against the test broker; resolves with its exit code and output. `onLine` sees stdout as it comes. */
function cli(args: string[], onOutput?: (stdout: string) => void, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', FLINK_TASKS_BROKERS: e2e().brokers.join(','), FLINK_TASKS_TIMEOUT_MS: '60000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onOutput?.(stdout);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`flink-tasks ${args.join(' ')} did not end within ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Settles `promise` into its TaskError. */
async function taskErrorOf(promise: Promise<unknown>): Promise<TaskError> {
  try {
    const value = await promise;
    throw new Error(`expected a TaskError, got ${JSON.stringify(value)}`);
  } catch (err) {
    if (!(err instanceof TaskError)) throw err;
    return err;
  }
}

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` before the e2e suite (npm run test:all does)`);
  [flink, gates] = await Promise.all([connectClient(), new GateServer().start()]);
});
afterAll(async () => {
  await gates?.close();
  await flink?.close();
});

describe('the flink-tasks command line against Flink', () => {
  const stock = t.averageStdDev.send(['BT.L', 'BP.L', 'VOD.L']);
  const failing = t.add.send(1, 2).continueWith(t.divide, 0);
  const watchedGate = `cli-watch-${randomUUID()}`;
  const cancelledGate = `cli-cancel-${randomUUID()}`;
  /** Ids of the held pipelines (built once the gate server runs). */
  const watched = { id: `cli-watched-${randomUUID()}` };
  const cancelled = { id: `cli-cancelled-${randomUUID()}` };
  let watchedOutcome: Promise<unknown>;
  let cancelledOutcome: Promise<TaskError>;

  beforeAll(async () => {
    await flink.submit(stock);
    await taskErrorOf(flink.submit(failing));
    watchedOutcome = flink.submit(t.progressGate.send(gates.url, watchedGate, 0.5, 'half way').continueWith(t.add, 1).withId(watched.id));
    cancelledOutcome = taskErrorOf(flink.submit(t.gate.send(gates.url, cancelledGate, 7).continueWith(t.add, 1).withId(cancelled.id)));
    await Promise.all([gates.arrived(watchedGate), gates.arrived(cancelledGate)]);
  });
  afterAll(() => {
    gates.open(watchedGate);
    gates.open(cancelledGate);
  });

  it('list shows pipelines submitted by another process, with their status', async () => {
    // Events are published by Flink's exactly-once egress: readable once the checkpoint after them (1 s apart) completes.
    type Row = { id: string; status: string; error?: { errorType: string } };
    let byId = new Map<string, Row>();
    for (let tries = 0; tries < 10; tries++) {
      const r = await cli(['list', '--limit', '1000', '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      byId = new Map((JSON.parse(r.stdout) as Row[]).map((row) => [row.id, row]));
      if (byId.has(watched.id) && byId.has(cancelled.id)) break;
    }
    expect(byId.get(stock.id)?.status).toBe('COMPLETED');
    expect(byId.get(failing.id)).toMatchObject({ status: 'FAILED', error: { errorType: 'RangeError' } });
    expect(byId.get(watched.id)?.status).toBe('RUNNING');
    expect(byId.get(cancelled.id)?.status).toBe('RUNNING');
    const table = await cli(['list', '--status', 'FAILED', '--limit', '1000']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(failing.id);
    expect(table.stdout).not.toContain(stock.id);
  });

  it("status reports a pipeline's steps and errors; an unknown id exits 3", async () => {
    const ok = await cli(['status', stock.id]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('COMPLETED');
    expect(ok.stdout).toContain('averageStdDev');
    const bad = await cli(['status', failing.id]);
    expect(bad.code).toBe(0);
    expect(bad.stdout).toContain('FAILED');
    expect(bad.stdout).toContain('cannot divide 3 by zero');
    const unknown = `no-such-pipeline-${randomUUID()}`;
    const missing = await cli(['status', unknown]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(`no pipeline with id '${unknown}'`);
    const result = await cli(['result', stock.id, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toBeCloseTo(await flink.result(stock), 10);
  });

  it('watch shows ctx.progress from the worker live, then the end', async () => {
    let sawProgress: () => void = () => undefined;
    const progressShown = new Promise<void>((resolve) => (sawProgress = resolve));
    const watching = cli(['watch', watched.id], (stdout) => {
      if (stdout.includes('progressGate 50% half way')) sawProgress();
    });
    await progressShown;
    gates.open(watchedGate);
    const r = await watching;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^RUNNING .*· progressGate 50% half way$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`pipeline ${watched.id} COMPLETED in `));
    expect(await watchedOutcome).toBe(1.5);
  });

  it('cancel cancels a running pipeline; the submitter sees the cancellation', async () => {
    const r = await cli(['cancel', cancelled.id]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^cancelled ${cancelled.id} \\(status now (CANCELLING|CANCELLED)\\)\\n$`));
    gates.open(cancelledGate); // the running task ends; its result is ignored
    expect(TaskError.isCancellation(await cancelledOutcome)).toBe(true);
    expect(await flink.status(cancelled.id)).toBe('CANCELLED');
    const again = await cli(['cancel', cancelled.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('cancel refused');
  });
});

describe('the dashboard against Flink, in Chromium', () => {
  let observer: KafkaTasksClient;
  let dashboard: Dashboard;
  let browser: Browser;
  let page: Page;
  const rgb = { succeeded: 'rgb(211, 249, 216)', failed: 'rgb(255, 227, 227)', running: 'rgb(208, 235, 255)', skipped: 'rgb(255, 243, 191)' };
  const fillOf = (node: string) => page.locator(`svg g[data-node="${node}"] rect.box`).evaluate((r) => getComputedStyle(r).fill);
  const open = (path: string) => page.goto(new URL(path, dashboard.url).href);

  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH))
      throw new Error(`no browser at ${CHROMIUM_PATH}: install Debian's Chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
    observer = await KafkaTasksClient.connect({ brokers: e2e().brokers, history: true, timeoutMs: 60_000, createTopics: false });
    dashboard = await serveDashboard(observer, { allowActions: true, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await observer?.close();
  });

  it("lists pipelines run on Flink, shows a failure's error and colours, and a cancel click takes effect", async () => {
    const failing = t.add.send(2, 3).continueWith(t.divide, 0).continueWith(t.square);
    await taskErrorOf(flink.submit(failing));
    const gateName = `dash-${randomUUID()}`;
    const held = t.progressGate.send(gates.url, gateName, 0.4, 'reading rows').continueWith(t.add, 1);
    const outcome = taskErrorOf(flink.submit(held));
    await gates.arrived(gateName);

    await open('/');
    await page.waitForSelector(`tr[data-id="${failing.id}"] .badge`);
    expect(await page.locator(`tr[data-id="${failing.id}"] .badge`).textContent()).toBe('failed');
    expect(await page.locator(`tr[data-id="${failing.id}"] td.err`).textContent()).toBe('RangeError: cannot divide 5 by zero');

    await open(`/pipelines/${encodeURIComponent(failing.id)}`);
    await page.waitForSelector('svg g[data-node="t1"][data-status="failed"]');
    expect(await fillOf('t0')).toBe(rgb.succeeded);
    expect(await fillOf('t1')).toBe(rgb.failed);
    expect(await fillOf('t2')).toBe(rgb.skipped);
    expect(await page.locator('.error .what').textContent()).toBe('failed: RangeError: cannot divide 5 by zero');

    // ctx.progress in the worker, through Kafka, to the dashboard's client (once the checkpoint after it completes) …
    const deadline = Date.now() + 30_000;
    while ((await observer.inspect(held.id))?.entries.get(0)?.progress === undefined) {
      if (Date.now() > deadline) throw new Error("the dashboard's client never saw the progress report");
      await new Promise((r) => setTimeout(r, 100));
    }
    // … and to the page.
    await open(`/pipelines/${encodeURIComponent(held.id)}`);
    await page
      .waitForFunction(() => /40% reading rows/.test(document.querySelector('tr[data-node="t0"]')?.textContent ?? ''), undefined, { timeout: 30_000 })
      .catch(async (e: unknown) => {
        const view = await observer.inspect(held.id);
        throw new Error(
          `${String(e)}\nheld ${held.id}, failing ${failing.id}, page at ${page.url()}\nthe page shows: ${await page.locator('main').innerText()}\nthe client has: ${JSON.stringify({ summary: view?.summary, entries: [...(view?.entries ?? [])] })}`,
        );
      });
    expect(await fillOf('t0')).toBe(rgb.running);
    page.once('dialog', (d) => void d.accept());
    await page.click('button[data-action="cancel"]');
    await page.waitForFunction(() => /cancel sent/.test(document.querySelector('.message')?.textContent ?? ''), undefined, { timeout: 30_000 });
    gates.open(gateName);
    expect(TaskError.isCancellation(await outcome)).toBe(true);
    await page.waitForFunction(() => document.querySelector('h1 + span .badge')?.textContent === 'cancelled', undefined, { timeout: 30_000 });
  });

  it('draws a 10,000-branch pipeline run on Flink; its weight and time to draw are printed', async () => {
    const p = inParallel(Array.from({ length: 10_000 }, (_, i) => t.square.send(i))).withId(`dash-10k-${randomUUID()}`);
    const t0 = performance.now();
    await flink.submit(p);
    const ranMs = performance.now() - t0;
    // Until the dashboard's client has read every event of it.
    const deadline = Date.now() + 60_000;
    while ((await observer.inspect(p.id))?.summary.tasks.done !== 10_000) {
      if (Date.now() > deadline) throw new Error(`the dashboard saw ${(await observer.inspect(p.id))?.summary.tasks.done} of 10,000 tasks done`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // A fresh browser context: nothing cached, every byte of the page counted.
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const cold = await fresh.newPage();
    const n0 = Date.now();
    await cold.goto(new URL(`/pipelines/${encodeURIComponent(p.id)}`, dashboard.url).href);
    await cold.waitForSelector('svg g[data-node="t1"][data-status="succeeded"]');
    const drawnMs = Date.now() - n0;
    expect(await cold.locator('svg g[data-node="t1"] text.sub').textContent()).toBe('× 10,000 · 10,000 done');
    const entries = [
      ...(await cold.evaluate(() => window.performance.getEntriesByType('navigation'))),
      ...(await cold.evaluate(() => window.performance.getEntriesByType('resource'))),
    ].filter((e) => e.responseEnd > 0 && !e.name.endsWith('/events'));
    await fresh.close();
    const bytes = entries.reduce((sum, e) => sum + e.decodedBodySize, 0);
    const byName = entries.map((e) => `${new URL(e.name).pathname.replace(p.id, '<id>')} ${(e.decodedBodySize / 1024).toFixed(1)} KB`);
    console.log(
      `10,000-branch pipeline on Flink: ran in ${(ranMs / 1000).toFixed(1)} s; page drawn ${drawnMs} ms after navigation; page weight ${(bytes / 1024).toFixed(1)} KB (${byName.join(', ')})`,
    );
    expect(drawnMs).toBeLessThan(2_000);
    expect(bytes).toBeLessThan(200 * 1024);
  });
});
