/**
 * End-to-end suite on a real Apache Flink StateFun + Kafka (flink/): the
 * global setup runs flink/bin/up.sh and the worker process, the teardown stops
 * both. Run with `npm run test:e2e`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const src = (file: string): string => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

/**
 * The usual order, but the hostile suite last: it leaves ~70 MiB of finished
 * pipelines in Flink state (retained for an hour), which every later
 * checkpoint would write and the restart test would restore.
 */
class HostileLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const last = (f: TestSpecification): boolean => f.moduleId.endsWith('/hostile.e2e.test.ts');
    return [...sorted.filter((f) => !last(f)), ...sorted.filter(last)];
  }
}

export default defineConfig({
  resolve: {
    // The tsconfig `paths` of the package's own name (vitest does not read them).
    alias: [
      { find: /^flink-tasks\/kafka$/, replacement: src('kafka.ts') },
      { find: /^flink-tasks\/server$/, replacement: src('server.ts') },
      { find: /^flink-tasks$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    // One Flink, one worker: files run one after another (one of them kills
    // and restarts the worker); tests inside a file run in order.
    fileParallelism: false,
    sequence: { sequencer: HostileLast },
    testTimeout: 180_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    // A failing e2e test is not retried: a flaky result is a finding.
    retry: 0,
  },
});
