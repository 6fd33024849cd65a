/**
 * An application on the LocalRuntime, bundled by bundle.test.ts with esbuild
 * and run from a directory without node_modules. Prints one JSON line.
 * No top-level await, so that it bundles to CommonJS as well as to ESM.
 */
import { inParallel, LocalRuntime, PipelineError, TaskError, silentLogger } from 'flink-tasks';
import { double, fail, flaky, movePoint, norm, Point, sum, tasks, where } from './tasks.js';

async function main(): Promise<void> {
  const runtime = new LocalRuntime(tasks, { logger: silentLogger });
  try {
    const total = await runtime.submit(inParallel([1, 2, 3].map((x) => double.send(x))).continueWith(sum));
    const failed = await runtime.submit(fail.send('no')).then(
      () => undefined,
      (e: unknown) => (e instanceof TaskError ? { name: e.name, errorType: e.errorType, taskName: e.taskName, message: e.message } : { other: String(e) }),
    );
    const retried = await runtime.submit(flaky.send());
    const length = await runtime.submit(movePoint.send(new Point(0, 4), 3).continueWith(norm));
    const ran = await runtime.submit(where.send());
    let refused = '';
    try {
      inParallel(null as unknown as []);
    } catch (e) {
      refused = e instanceof PipelineError ? e.name : String(e);
    }
    console.log(JSON.stringify({ total, failed, retried, length, ran, refused, stats: runtime.stats.invocations > 0 }));
  } finally {
    await runtime.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
