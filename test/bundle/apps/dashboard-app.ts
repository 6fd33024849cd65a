/**
 * The dashboard over a LocalRuntime, bundled by bundle.test.ts and run from a
 * directory without node_modules: fetches the page and its browser files from
 * itself and prints one JSON line with what it got.
 */
import { LocalRuntime, silentLogger } from 'flink-tasks';
import { serveDashboard } from 'flink-tasks/observe';
import { double, tasks } from './tasks.js';

async function main(): Promise<void> {
  const runtime = new LocalRuntime(tasks, { logger: silentLogger });
  const dashboard = await serveDashboard(runtime, { port: 0, logger: silentLogger });
  try {
    await runtime.submit(double.send(21));
    const got: Record<string, { status: number; bytes: number; type: string }> = {};
    for (const path of ['/', '/static/app.js', '/static/style.css']) {
      const res = await fetch(new URL(path, dashboard.url));
      got[path] = { status: res.status, bytes: (await res.arrayBuffer()).byteLength, type: res.headers.get('content-type') ?? '' };
    }
    console.log(JSON.stringify(got));
  } finally {
    await dashboard.close();
    await runtime.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
