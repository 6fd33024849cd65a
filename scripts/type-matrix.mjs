#!/usr/bin/env node
/**
 * The TypeScript version matrix: for each supported compiler — the lowest
 * supported 5.x, 5.9, 6.x and the native 7.x (`typescript@latest`) — installs
 * it from the npm registry (cached in `.tsperf/ts-matrix/`), then
 *   1. runs the type tests (`scripts/check-type-errors.mjs`: every test-d line
 *      compiles, every advertised error message appears), and
 *   2. type-checks a consumer project that installs the packed library like a
 *      user would: strict, no `@types/node`, once with `skipLibCheck: true`
 *      (must be clean) and once with `skipLibCheck: false` (clean too, but for
 *      the modules the kafka and server entry points take from their
 *      surroundings: kafkajs, their optional peer, and Node's types). The
 *      project lives outside the repository, so nothing of it is found there.
 * Prints one line per compiler and exits non-zero if any fails.
 *
 * Usage: npm run test:types:matrix [-- --only 5.6,latest]   (builds first)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = path.join(root, '.tsperf', 'ts-matrix');
/** The supported range; keep in sync with package.json (peerDependencies) and the README. */
const COMPILERS = ['5.6', '5.9', '6', 'latest'];
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : COMPILERS;

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const started = Date.now();

function install(dir, specs) {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dir, 'package.json'))) writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--no-save', '--silent', '--prefix', dir, ...specs], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function compilerFor(spec) {
  const dir = path.join(cache, `typescript-${spec}`);
  const tsc = path.join(dir, 'node_modules', '.bin', 'tsc');
  const stamp = path.join(dir, 'installed-on');
  // `latest` moves: reinstall daily; pinned ranges stay.
  const fresh = existsSync(stamp) && (spec !== 'latest' || readFileSync(stamp, 'utf8') === new Date().toISOString().slice(0, 10));
  if (!fresh || !existsSync(tsc)) {
    install(dir, [`typescript@${spec}`]);
    writeFileSync(stamp, new Date().toISOString().slice(0, 10));
  }
  const version = spawnSync(tsc, ['--version'], { encoding: 'utf8' })
    .stdout.trim()
    .replace(/^Version /, '');
  return { tsc, version };
}

/** The packed library installed into a consumer project (once per run). */
function consumerProject() {
  // Outside the repository: from inside it, module resolution would walk up
  // to the repository's own node_modules and find @types/node there.
  const dir = path.join(tmpdir(), `flink-tasks-type-matrix-consumer-${process.getuid?.() ?? 0}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const packed = execFileSync(npm, ['pack', '--silent', '--pack-destination', dir], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
  writeFileSync(path.join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
  install(dir, [path.join(dir, packed)]);
  writeFileSync(path.join(dir, 'consumer.ts'), CONSUMER_SOURCE);
  return dir;
}

/** What a user writes: every DSL construct, typed end to end. Must compile without errors. */
const CONSUMER_SOURCE = `import { FlinkTasks, inParallel, LocalRuntime, RetryPolicy, TaskError, type Pipeline, type TaskContext } from 'flink-tasks';
import type { KafkaTasksClient, kafkaResultSink } from 'flink-tasks/kafka';
import type { PipelineIndex, serveDashboard, toMermaid } from 'flink-tasks/observe';
import type { FunctionServer, serve } from 'flink-tasks/server';

/** Every entry point's public types load. */
export type Entries = [KafkaTasksClient, typeof kafkaResultSink, PipelineIndex, typeof serveDashboard, typeof toMermaid, FunctionServer, typeof serve];

const tasks = new FlinkTasks({ namespace: 'example', workerName: 'worker' });
const multiply = tasks.bind('multiply', (x: number, y: number) => x * y);
const greet = tasks.bind('greet', async (name: string) => \`hello \${name}\`);
const sum = tasks.bind('sum', (xs: number[]) => xs.reduce((a, b) => a + b, 0));
const withDefault = tasks.bind('withDefault', (x: number, factor = 2) => x * factor);
const fallback = tasks.bind('fallback', (error: TaskError, value: number) => (error.message ? value : 0));
const count = tasks.bind({ name: 'count', withState: true }, (state: { calls: number }, x: number) => ({ state: { calls: state.calls + 1 }, result: x }));
const memo = tasks.bind({ name: 'memo', withContext: true, taskId: 'memo', retry: new RetryPolicy({ maxRetries: 1 }) }, (ctx: TaskContext, n: number) => ctx.taskId.length + n);
const factorial = tasks.bind('factorial', (n: number, acc: number): number | Pipeline<number> => (n <= 1 ? acc : factorial.send(n - 1, acc * n)));
const stamp = tasks.bind('stamp', (at: Date, tags: Map<string, Set<bigint>>) => ({ at, size: tags.size }));
// ctx.signal and ctx.defer without Node's types or the DOM lib: AbortSignalLike, Deferred<T>
const approve = tasks.bind({ name: 'approve', withContext: true, timeoutMs: 60_000 }, (ctx: TaskContext, order: string) => {
  ctx.signal.addEventListener('abort', () => undefined);
  if (ctx.signal.aborted || order === '') ctx.signal.throwIfAborted();
  return ctx.defer<boolean>();
});
const approved: Pipeline<boolean> = approve.send('order-1').pauseAfter().withId('order-1');

const chain: Pipeline<number> = multiply.send(3, 2).continueWith(withDefault).continueWith(factorial, 1).exceptionally(fallback, 0);
const group = inParallel([multiply.send(1, 2), greet.send('a'), inParallel([1, 2].map((x) => memo.send(x)))]);
const pair: Pipeline<[number, string, number[]]> = group;
const counted = count.send(1).continueWith(count).withInitial({ state: { calls: 0 } });
const summed = inParallel([1, 2, 3].map((x) => multiply.send(x, x))).continueWith(sum).finallyDo(stamp, new Date(0), new Map());

export async function approveLater(runtime: LocalRuntime): Promise<boolean> {
  return runtime.submit(approved, { ifRunning: 'attach', delayMs: 10 });
}

export async function run(): Promise<[number, [number, string, number[]], number, number]> {
  const runtime = new LocalRuntime(tasks);
  try {
    return [await runtime.submit(chain), await runtime.submit(pair), await runtime.submit(counted), await runtime.submit(summed)];
  } finally {
    await runtime.close();
  }
}
`;

function checkConsumer(dir, tsc, skipLibCheck) {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2022'],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
    },
    files: ['consumer.ts'],
  };
  const file = path.join(dir, `tsconfig.${skipLibCheck ? 'skip' : 'full'}.json`);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  const r = spawnSync(tsc, ['-p', file, '--pretty', 'false'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  const errors = `${r.stdout}${r.stderr}`.split('\n').filter((l) => /error TS\d+/.test(l));
  // What a consumer of flink-tasks/kafka or flink-tasks/server has anyway: kafkajs (the optional
  // peer it installs) and Node's types (a worker process). Any other error fails.
  const expected = (l) =>
    /error TS(2307: Cannot find module|2591: Cannot find name) '(kafkajs|node:http)'/.test(l) && /flink-tasks\/dist\/(client\/kafka-|statefun\/serve)/.test(l);
  const ours = errors.filter((l) => !expected(l));
  return { errors, ours };
}

const results = [];
let failed = false;
let consumerDir;
for (const spec of only) {
  const t0 = Date.now();
  const { tsc, version } = compilerFor(spec);
  const tests = spawnSync(process.execPath, [path.join(root, 'scripts', 'check-type-errors.mjs'), '--tsc', tsc], { cwd: root, encoding: 'utf8' });
  consumerDir ??= consumerProject();
  const skip = checkConsumer(consumerDir, tsc, true);
  const full = checkConsumer(consumerDir, tsc, false);
  const ok = tests.status === 0 && skip.errors.length === 0 && full.ours.length === 0;
  failed ||= !ok;
  results.push({ spec, version, ok, seconds: (Date.now() - t0) / 1000 });
  const others = full.errors.length - full.ours.length;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} typescript@${spec} (${version}): type tests ${tests.status === 0 ? 'pass' : 'FAIL'}; consumer, skipLibCheck: ${skip.errors.length} errors; ` +
      `consumer, full lib check: ${full.ours.length} errors, ${others} expected (kafkajs and node:http, for the kafka and server entry points)` +
      `; ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (tests.status !== 0)
    console.log(
      `${tests.stdout}${tests.stderr}`
        .split('\n')
        .slice(0, 40)
        .map((l) => `      ${l}`)
        .join('\n'),
    );
  for (const l of [...skip.errors, ...full.ours].slice(0, 20)) console.log(`      ${l}`);
}
console.log(
  `type matrix: ${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`,
);
process.exitCode = failed ? 1 : 0;
