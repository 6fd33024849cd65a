/**
 * The guides' samples that need Apache Flink (```ts flink blocks) run here,
 * against this suite's StateFun + Kafka: the page serves its own worker on
 * the worker port that module.yaml names, so the suite's worker steps aside
 * meanwhile and comes back after.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { e2e } from './support/env.js';
import { recordedWorkerPid, REPO_ROOT, startWorker, stopWorker } from './support/worker-process.js';

beforeAll(async () => {
  const pid = recordedWorkerPid(e2e().runDir);
  if (pid !== undefined) await stopWorker(pid);
}, 60_000);

afterAll(async () => {
  const { runDir, workerPort } = e2e();
  await startWorker(runDir, workerPort);
}, 120_000);

it('every ```ts flink sample of the guides compiles and runs on Flink', () => {
  const run = spawnSync(process.execPath, ['scripts/docs-samples.mjs', '--flink'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 240_000 });
  console.log(`[e2e] ${run.stdout.trim().split('\n').at(-1) ?? ''}`);
  expect(run.status, run.stderr + run.stdout).toBe(0);
  expect(run.stdout).toMatch(/[1-9]\d* pages? with Flink samples run/);
}, 300_000);
