import { defineConfig } from 'vitest/config';

const src = (file: string): string => new URL(`./src/${file}`, import.meta.url).pathname;

export default defineConfig({
  resolve: {
    // The examples import the package by name: run them against the sources, like the tests (as tsconfig's paths do).
    alias: [
      { find: /^flink-tasks$/, replacement: src('index.ts') },
      { find: /^flink-tasks\/kafka$/, replacement: src('kafka.ts') },
      { find: /^flink-tasks\/observe$/, replacement: src('observe.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
