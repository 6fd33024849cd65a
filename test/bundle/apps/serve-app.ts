/**
 * A worker process, bundled by bundle.test.ts with esbuild and run from a
 * directory without node_modules: serves the tasks over HTTP on a free port
 * and prints one JSON line with its URL. SIGTERM closes it.
 */
import { silentLogger } from 'flink-tasks';
import { serve } from 'flink-tasks/server';
import { tasks } from './tasks.js';

serve(tasks, { port: 0, logger: silentLogger }).then(
  (served) => {
    console.log(JSON.stringify({ url: served.url, functionTypes: served.functions.functionTypes }));
    process.once('SIGTERM', () => void served.close().then(() => process.exit(0)));
  },
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
