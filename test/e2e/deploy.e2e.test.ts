/**
 * The production module.yaml (deploy/) must stay the module this suite runs
 * on (flink/module.yaml) with cluster addresses: deploy/check-module.sh
 * compares them with comments and addresses blanked out.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from './support/worker-process.js';

it('deploy/module.yaml differs from flink/module.yaml only in addresses', () => {
  const run = spawnSync('bash', [join(REPO_ROOT, 'deploy/check-module.sh')], { encoding: 'utf8' });
  expect(run.stderr + run.stdout).toContain('differ only in addresses');
  expect(run.status).toBe(0);
});
