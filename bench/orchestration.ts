/**
 * Orchestration throughput on the embedded runtime, one process, no-op
 * tasks: one inParallel group of N tasks (ordered and unordered, with and
 * without pipeline events) and a chain of steps. Each scenario runs in a
 * fresh child process, so its peak memory (max RSS) is its own: a plain
 * `node` process with default flags, as applications run (this file is
 * compiled to JavaScript with esbuild for it), and for comparison the 250k
 * group once more under the `tsx` loader. Peak RSS is the child's
 * `process.resourceUsage().maxRSS`: its whole life, warm-up and building
 * the pipeline included. The floor
 * set by the StateFun SDK (CPU µs per invocation of a no-op function in a
 * batch of 100, see bench/sdk-floor.ts) is measured in the same run, before
 * and after the scenarios, and every scenario's CPU µs per task is printed
 * as a multiple of it.
 *
 *   npm run bench:orchestration                 # 1k, 10k, 25k, 100k, 250k groups (+ unordered, + events) and a 10k chain
 *   npm run bench:orchestration -- group 50000  # one scenario (also: unordered, events, chain)
 */
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlinkTasks, inParallel, LocalRuntime, silentLogger, type Pipeline } from '../dist/index.js';
import { machine } from './machine.js';
import { sdkFloor } from './sdk-floor.js';

interface Result {
  scenario: string;
  n: number;
  ms: number;
  cpuMs: number;
  maxRssMiB: number;
  /** The peak before the run: after warming up and building the pipeline. */
  builtRssMiB: number;
  baseRssMiB: number;
  requests: number;
  invocations: number;
  ok: boolean;
}

async function runOne(kind: string, n: number): Promise<Result> {
  const tasks = new FlinkTasks({ namespace: 'bench', workerName: 'worker' });
  const noop = tasks.bind('noop', (x: number) => x);
  const runtime = new LocalRuntime(tasks, { logger: silentLogger, events: kind === 'events' });
  // warm up the code paths (JIT) on a small pipeline first
  await runtime.submit(inParallel(Array.from({ length: 2000 }, (_, i) => noop.send(i))));
  const baseRssMiB = process.memoryUsage().rss / 2 ** 20;
  let pipeline: Pipeline<unknown>;
  if (kind === 'chain') {
    let p: Pipeline<number> = noop.send(0);
    for (let i = 1; i < n; i++) p = p.continueWith(noop);
    pipeline = p;
  } else {
    pipeline = inParallel(
      Array.from({ length: n }, (_, i) => noop.send(i)),
      { ordered: kind !== 'unordered' },
    );
  }
  const builtRssMiB = process.resourceUsage().maxRSS / 1024;
  const before = runtime.stats;
  const [requests0, invocations0] = [before.requests, before.invocations];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await runtime.submit(pipeline);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const ok =
    kind === 'chain'
      ? result === 0
      : Array.isArray(result) && result.length === n && (kind === 'unordered' ? new Set(result).size === n : result.every((v, i) => v === i));
  await runtime.close();
  return {
    scenario: kind,
    n,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    builtRssMiB,
    baseRssMiB,
    requests: runtime.stats.requests - requests0,
    invocations: runtime.stats.invocations - invocations0,
    ok,
  };
}

const self = fileURLToPath(import.meta.url);
let compiled: string | undefined;

/** Compiles this file to JavaScript for a plain `node` (the library stays `dist/`, packages stay in node_modules). */
async function compilePlain(): Promise<string> {
  const root = resolve(dirname(self), '..');
  const outfile = join(root, 'node_modules', '.cache', 'flink-tasks-bench', 'orchestration.mjs');
  // Imported here, so that the children do not load it.
  const { build } = await import('esbuild');
  await build({
    entryPoints: [self],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
    plugins: [
      {
        name: 'dist-as-is',
        setup(b) {
          b.onResolve({ filter: /\/dist\// }, (a) => ({ path: resolve(a.resolveDir, a.path), external: true }));
        },
      },
    ],
  });
  return outfile;
}

/** Runs a scenario in a fresh process: plain `node` (default flags), or with the `tsx` loader. */
function child(args: string[], loader: 'node' | 'tsx' = 'node'): string {
  if (loader === 'node' && !compiled) throw new Error('the plain-node script is not compiled yet');
  const argv = loader === 'tsx' ? ['--import', 'tsx', self, ...args] : [compiled as string, ...args];
  return execFileSync(process.execPath, argv, { env: { ...process.env, BENCH_CHILD: '1' }, encoding: 'utf8' });
}

function runChild(kind: string, n: number, loader: 'node' | 'tsx' = 'node'): Result {
  return JSON.parse(
    child([kind, String(n)], loader)
      .trim()
      .split('\n')
      .pop() as string,
  ) as Result;
}

/** CPU µs per invocation of the SDK alone, in batches of 100, in a fresh process. */
function floor(): number {
  return Number(child(['floor']).trim().split('\n').pop());
}

const [kind, size] = process.argv.slice(2);
if (process.env.BENCH_CHILD === '1') {
  if (kind === 'floor') console.log(String(await sdkFloor(100, 20000)));
  else console.log(JSON.stringify(await runOne(kind ?? 'group', Number(size))));
} else {
  const scenarios: Array<[string, number]> = kind
    ? [[kind, Number(size ?? 10000)]]
    : [
        ['group', 1000],
        ['group', 10000],
        ['group', 25000],
        ['group', 100000],
        ['group', 250000],
        ['unordered', 250000],
        ['events', 250000],
        ['chain', 10000],
      ];
  compiled = await compilePlain();
  console.log(`orchestration on the local runtime — ${machine()}`);
  const floorBefore = floor();
  console.log(`SDK floor (no-op function, batches of 100): ${floorBefore.toFixed(2)} µs CPU per invocation`);
  console.log("peak RSS: the child process's maxRSS (plain node, default flags), warm-up and building the pipeline included");
  console.log('scenario        tasks   wall ms   tasks/s  µs/task wall  µs/task CPU  ÷SDK floor  requests  invocations  peak RSS MiB  before run  bytes/task');
  const results: Result[] = [];
  for (const [k, n] of scenarios) {
    const r = runChild(k, n);
    results.push(r);
    const perTask = (r.cpuMs * 1000) / r.n;
    console.log(
      `${r.scenario.padEnd(11)} ${String(r.n).padStart(8)} ${r.ms.toFixed(0).padStart(9)} ${((r.n / r.ms) * 1000).toFixed(0).padStart(9)} ${((r.ms * 1000) / r.n).toFixed(1).padStart(13)}` +
        ` ${perTask.toFixed(1).padStart(12)} ${(perTask / floorBefore).toFixed(1).padStart(11)} ${String(r.requests).padStart(9)} ${String(r.invocations).padStart(12)}` +
        ` ${r.maxRssMiB.toFixed(0).padStart(13)} ${r.builtRssMiB.toFixed(0).padStart(11)} ${(((r.maxRssMiB - r.baseRssMiB) * 2 ** 20) / r.n).toFixed(0).padStart(11)}${r.ok ? '' : '  WRONG RESULT'}`,
    );
  }
  const floorAfter = floor();
  const sdk = (floorBefore + floorAfter) / 2;
  console.log(`SDK floor again: ${floorAfter.toFixed(2)} µs; mean ${sdk.toFixed(2)} µs per invocation`);
  const t = (s: string, n: number) => results.find((r) => r.scenario === s && r.n === n);
  const big = t('group', 250000);
  const small = t('group', 25000);
  if (big && small) console.log(`linearity: time(250k)/time(25k) = ${(big.ms / small.ms).toFixed(2)} (target ≤ 11)`);
  for (const s of ['group', 'unordered', 'events']) {
    const r = t(s, 250000);
    if (r)
      console.log(
        `250k ${s}: ${((r.cpuMs * 1000) / r.n / sdk).toFixed(1)}× the SDK floor (target ≤ 6), peak RSS ${r.maxRssMiB.toFixed(0)} MiB (target ≤ 400; ${r.builtRssMiB.toFixed(0)} MiB of it reached before the run, building the pipeline), ${(((r.maxRssMiB - r.baseRssMiB) * 2 ** 20) / r.n).toFixed(0)} bytes per task above the warmed-up process`,
      );
  }
  if (big) {
    const tsx = runChild('group', 250000, 'tsx');
    if (!tsx.ok) results.push(tsx);
    console.log(
      `250k group under the tsx loader (for comparison): peak RSS ${tsx.maxRssMiB.toFixed(0)} MiB, ${((tsx.n / tsx.ms) * 1000).toFixed(0)} tasks/s, ${((tsx.cpuMs * 1000) / tsx.n).toFixed(1)} µs CPU per task`,
    );
  }
  const on = t('events', 250000);
  if (on && big)
    console.log(`events cost: ${(((on.cpuMs - big.cpuMs) * 1000) / big.n).toFixed(1)} µs CPU per task (${(on.cpuMs / big.cpuMs).toFixed(2)}× without events)`);
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}
