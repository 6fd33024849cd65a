/**
 * Orchestration throughput on the embedded runtime, one process, no-op
 * tasks: one inParallel group of N tasks (ordered and unordered) and a chain
 * of steps. Each scenario runs in a fresh child process, so its peak memory
 * (max RSS) is its own.
 *
 *   npm run bench:orchestration                 # 1k, 10k, 25k, 100k, 250k groups + a 10k chain
 *   npm run bench:orchestration -- group 50000  # one scenario
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FlinkTasks, inParallel, LocalRuntime, silentLogger, type Pipeline } from '../dist/index.js';
import { machine } from './machine.js';

interface Result { scenario: string; n: number; ms: number; cpuMs: number; maxRssMiB: number; requests: number }

async function runOne(kind: string, n: number): Promise<Result> {
  const tasks = new FlinkTasks({ namespace: 'bench', workerName: 'worker' });
  const noop = tasks.bind('noop', (x: number) => x);
  const runtime = new LocalRuntime(tasks, { logger: silentLogger, events: false });
  // warm up the code paths (JIT) on a small pipeline first
  await runtime.submit(inParallel(Array.from({ length: 2000 }, (_, i) => noop.send(i))));
  let pipeline: Pipeline<unknown>;
  if (kind === 'chain') {
    let p: Pipeline<number> = noop.send(0);
    for (let i = 1; i < n; i++) p = p.continueWith(noop);
    pipeline = p;
  } else {
    pipeline = inParallel(Array.from({ length: n }, (_, i) => noop.send(i)), { ordered: kind !== 'unordered' });
  }
  const before = runtime.stats.requests;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await runtime.submit(pipeline);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await runtime.close();
  return { scenario: kind, n, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMiB: process.resourceUsage().maxRSS / 1024, requests: runtime.stats.requests - before };
}

const [kind, size] = process.argv.slice(2);
if (process.env.BENCH_CHILD === '1') {
  console.log(JSON.stringify(await runOne(kind ?? 'group', Number(size))));
} else {
  const self = fileURLToPath(import.meta.url);
  const scenarios: Array<[string, number]> = kind
    ? [[kind, Number(size ?? 10000)]]
    : [['group', 1000], ['group', 10000], ['group', 25000], ['group', 100000], ['group', 250000], ['unordered', 250000], ['chain', 10000]];
  console.log(`orchestration on the local runtime — ${machine()}`);
  console.log('scenario        tasks     wall ms   tasks/s   µs/task(wall)  µs/task(cpu)  requests   peak RSS MiB');
  const results: Result[] = [];
  for (const [k, n] of scenarios) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--max-old-space-size=8192', self, k, String(n)], { env: { ...process.env, BENCH_CHILD: '1' }, encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop() as string) as Result;
    results.push(r);
    console.log(`${r.scenario.padEnd(12)} ${String(r.n).padStart(8)} ${r.ms.toFixed(0).padStart(11)} ${(r.n / r.ms * 1000).toFixed(0).padStart(9)} ${(r.ms * 1000 / r.n).toFixed(1).padStart(14)} ${(r.cpuMs * 1000 / r.n).toFixed(1).padStart(13)} ${String(r.requests).padStart(9)} ${r.maxRssMiB.toFixed(0).padStart(14)}`);
  }
  const t = (n: number) => results.find((r) => r.scenario === 'group' && r.n === n);
  const big = t(250000);
  const small = t(25000);
  if (big && small) console.log(`linearity: time(250k)/time(25k) = ${(big.ms / small.ms).toFixed(2)} (target ≤ 11)`);
}
