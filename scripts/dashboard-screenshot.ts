// Writes PNGs of the dashboard (list page and pipeline pages) to docs/images/,
// driving Debian's Chromium headless. Run: npm run dashboard:screenshot
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { serveDashboard } from '../src/dashboard/server.js';
import { scenario } from '../test/dashboard/scenario.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/dashboard/browser.js';

const out = new URL('../docs/images/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const s = await scenario();
const dashboard = await serveDashboard(s.client, { allowActions: true });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const shots: Array<[string, string, string]> = [
    ['dashboard-list.png', '/', 'table.pipelines'],
    ['dashboard-pipeline.png', `/pipelines/${encodeURIComponent(`${s.ids.stock}/1.0`)}`, 'svg .node'],
    ['dashboard-failed.png', `/pipelines/${encodeURIComponent(s.ids.failing)}`, 'svg .node'],
    ['dashboard-running.png', `/pipelines/${encodeURIComponent(s.ids.running)}`, 'svg .node'],
    ['dashboard-large.png', `/pipelines/${encodeURIComponent(s.ids.big)}`, 'svg .node'],
  ];
  for (const [file, path, selector] of shots) {
    await page.goto(new URL(path, dashboard.url).href);
    await page.waitForSelector(selector);
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${out}${file}`, fullPage: true });
    console.log(`wrote docs/images/${file}`);
  }
} finally {
  await browser.close();
  await dashboard.close();
  s.release();
  await s.client.close();
}
