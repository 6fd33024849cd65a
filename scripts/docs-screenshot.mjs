// Screenshots of the docs site as a visitor sees it: the landing page, a guide
// and the API of the main entry point, in the system's headless Chromium
// (Debian's `chromium` package: `apt-get install -y chromium`; playwright-core
// downloads no browser). Serves docs/api on a loopback port for the duration.
//
//   npm run docs && npm run docs:screenshot      PNGs in .tsperf/screenshots/
//   CHROMIUM=/path/to/chrome npm run docs:screenshot
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const site = join(root, 'docs', 'api');
const out = join(root, '.tsperf', 'screenshots');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(join(site, 'index.html'))) {
  console.error('docs-screenshot: docs/api/index.html is missing; run `npm run docs` first');
  process.exit(1);
}
if (!existsSync(executablePath)) {
  console.error(`docs-screenshot: no Chromium at ${executablePath}; install Debian's (apt-get install -y chromium) or set CHROMIUM`);
  process.exit(1);
}
mkdirSync(out, { recursive: true });
const typedocConfig = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8'));
const guideTitles = typedocConfig.projectDocuments.map((doc) => {
  const title = /^---\n[\s\S]*?^title: (.*)$[\s\S]*?^---$/m.exec(readFileSync(join(root, doc), 'utf8'));
  if (!title) throw new Error(`${doc} has no front-matter title; the site would name it after the file`);
  return title[1].trim();
});

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(site, path.endsWith('/') ? `${path}index.html` : path);
  if (!file.startsWith(site) || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const shots = [
  { name: 'landing', path: '/index.html', fullPage: false },
  { name: 'landing-full', path: '/index.html', fullPage: true },
  { name: 'guide', path: '/documents/Getting_started.html', fullPage: false },
  { name: 'api', path: '/modules/flink-tasks.html', fullPage: true },
  { name: 'landing-narrow', path: '/index.html', fullPage: false, width: 420, height: 860 },
];
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
try {
  const errors = [];
  for (const shot of shots) {
    const page = await browser.newPage({ viewport: { width: shot.width ?? 1366, height: shot.height ?? 900 } });
    page.on('pageerror', (e) => errors.push(`${shot.path}: ${e.message}`));
    const response = await page.goto(`${base}${shot.path}`, { waitUntil: 'networkidle' });
    if (!response?.ok()) throw new Error(`${shot.path}: HTTP ${response?.status()}`);
    if (shot.name === 'landing') {
      // The front door must show every guide in the navigation, without a click.
      for (const title of guideTitles) {
        const link = page.locator('.site-menu a', { hasText: title }).first();
        if (!(await link.isVisible())) errors.push(`${shot.path}: the navigation does not show the guide "${title}"`);
      }
    }
    const file = join(out, `${shot.name}.png`);
    await page.screenshot({ path: file, fullPage: shot.fullPage });
    console.log(`docs-screenshot: ${file}`);
    await page.close();
  }
  if (errors.length > 0) throw new Error(`script errors on the site:\n  ${errors.join('\n  ')}`);
} finally {
  await browser.close();
  server.close();
}
