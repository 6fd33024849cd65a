/**
 * End-to-end suite on a real Apache Flink StateFun + Kafka (flink/): the
 * global setup runs flink/bin/up.sh and the worker process, the teardown stops
 * both. Run with `npm run test:e2e`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (file: string): string => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

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
    testTimeout: 180_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    // A failing e2e test is not retried: a flaky result is a finding.
    retry: 0,
  },
});
