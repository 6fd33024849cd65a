#!/usr/bin/env node
/**
 * Type-checking cost of the flink-tasks DSL, measured with the repo's own
 * TypeScript (`node_modules/.bin/tsc --extendedDiagnostics --noEmit`) against
 * the built typings (`dist/index.d.ts`; run `npm run build` first).
 *
 * Cases:
 *   baseline       a file that only imports the library
 *   canary         test-d/canary/*.test-d.ts (500-step chain + 64-branch tuple group)
 *   chain-N        a generated N-step continueWith chain, N = 10, 50, 100, 200, 500, that
 *                  cycles through 5 tasks (the usual case: tasks are reused, so
 *                  the checker's caches absorb most of the per-step work)
 *   distinct-N     an N-step chain where every step is its own task with its own
 *                  types ({ v0 } -> { v1 } -> …), so nothing is cached
 *   binds-N        the N bind() calls of distinct-N without the chain; the
 *                  difference distinct-N − binds-N is the cost of the chain itself
 *   value-*        the worst value types for the serialisability check at bind()
 *                  (issue 12, item 3): a recursive type with 4 self-typed fields, a
 *                  plain object 6 wide and 6 deep, a family-tree Person; each bound
 *                  as a parameter and as a result. No realistic value type may cost
 *                  more than ~50k instantiations or hit TS2589.
 *
 * Generated sources and tsconfigs go to `.tsperf/` (gitignored). Prints a table
 * of instantiations, types, check time and memory per case, and the per-added-
 * chain-step cost (slope of instantiations / types between consecutive N).
 * Exits non-zero if any case does not type-check (e.g. TS2589).
 *
 * Usage: npm run types:perf [-- --runs 5 --keep]
 *   --keep     leave the generated files in .tsperf/type-perf/ (to rerun one case:
 *              node_modules/.bin/tsc -p .tsperf/type-perf/tsconfig.chain-100.json --extendedDiagnostics)
 *   --runs K   run each case K times (default 3); times are the fastest run (the
 *              least disturbed by other load), memory the median. Instantiation
 *              and type counts are deterministic: compare those across machines.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
const typings = path.join(root, 'dist', 'index.d.ts');
const outDir = path.join(root, '.tsperf', 'type-perf');
const CHAIN_SIZES = [10, 50, 100, 200, 500];

const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 3;
if (!Number.isInteger(runs) || runs < 1) fail('--runs expects a whole number >= 1');

if (!existsSync(tsc)) fail(`no TypeScript at ${path.relative(root, tsc)}: run npm install`);
if (!existsSync(typings)) fail('dist/index.d.ts is missing: run `npm run build` first');

// ---------------------------------------------------------------- sources

/**
 * Tasks the chains cycle through. Every step changes the result type, so each
 * ContinueCheck compares real types (and every other step takes an extra):
 *   { len, s } -lenOf-> number -isEven(_, flag)-> boolean -fromBool-> number -toStr-> string -measure(_, pad)-> { len, s }
 */
const CHAIN_PRELUDE = `import { FlinkTasks, type Pipeline } from 'flink-tasks';
const tasks = new FlinkTasks({ namespace: 'perf', workerName: 'worker' });
const seed = tasks.bind('seed', (s: string) => ({ len: s.length, s }));
const lenOf = tasks.bind('lenOf', (m: { len: number; s: string }) => m.len);
const isEven = tasks.bind('isEven', (n: number, flag: boolean) => flag && n % 2 === 0);
const fromBool = tasks.bind('fromBool', (b: boolean) => (b ? 1 : 0));
const toStr = tasks.bind('toStr', (n: number) => String(n));
const measure = tasks.bind('measure', (s: string, pad: number) => ({ len: s.length + pad, s }));
`;
const CYCLE = [
  { call: 'lenOf', result: 'number' },
  { call: 'isEven, true', result: 'boolean' },
  { call: 'fromBool', result: 'number' },
  { call: 'toStr', result: 'string' },
  { call: 'measure, 2', result: '{ len: number; s: string }' },
];

function chainSource(n) {
  const steps = Array.from({ length: n }, (_, i) => `  .continueWith(${CYCLE[i % CYCLE.length].call})`);
  const result = n === 0 ? '{ len: number; s: string }' : CYCLE[(n - 1) % CYCLE.length].result;
  return `${CHAIN_PRELUDE}
export const chain: Pipeline<${result}> = seed.send('start')
${steps.join('\n')};
`;
}

/** N tasks, step i: ({ v<i-1> }, k) => { v<i> }, each with its own types. */
function distinctBinds(n) {
  const lines = [
    `import { FlinkTasks, type Pipeline } from 'flink-tasks';`,
    `const tasks = new FlinkTasks({ namespace: 'perf', workerName: 'worker' });`,
    `const seed = tasks.bind('seed', (n: number) => ({ v0: n }));`,
  ];
  for (let i = 1; i <= n; i++) {
    lines.push(`const t${i} = tasks.bind('t${i}', (x: { v${i - 1}: number }, k: number) => ({ v${i}: x.v${i - 1} + k }));`);
  }
  return `${lines.join('\n')}\nexport { seed, ${Array.from({ length: n }, (_, i) => `t${i + 1}`).join(', ')} };\nexport type { Pipeline };\n`;
}

function distinctChainSource(n) {
  const steps = Array.from({ length: n }, (_, i) => `  .continueWith(t${i + 1}, ${i})`);
  return `${distinctBinds(n).replace(/export \{[^}]*\};\nexport type \{ Pipeline \};\n$/, '')}
export const chain: Pipeline<{ v${n}: number }> = seed.send(0)
${steps.join('\n')};
`;
}

/** The worst value types of issue 12 item 3, each bound as parameter and result. */
function wideDeep(width, depth) {
  // named levels: L0 = number, L<d> = { f0: L<d-1>; …; f<width-1>: L<d-1> } (an anonymous
  // literal of the same shape would spell out width^depth fields in the source)
  const levels = ['type L0 = number;'];
  for (let d = 1; d <= depth; d++) {
    levels.push(`interface L${d} { ${Array.from({ length: width }, (_, i) => `f${i}: L${d - 1}`).join('; ')} }`);
  }
  return `${levels.join('\n')}\ntype Wide = L${depth};`;
}
const VALUE_CASES = {
  'value-recursive-4': `interface Tree { value: number; left: Tree | null; right: Tree | null; children: Tree[]; byName: Map<string, Tree> }
declare const tree: Tree;
export const p = tasks.bind('grow', (t: Tree): Tree => t).send(tree);`,
  'value-wide-deep-6x6': `${wideDeep(6, 6)}
declare const wide: Wide;
export const p = tasks.bind('wide', (w: Wide): Wide => w).send(wide);`,
  'value-person': `interface Person {
  name: string; born: Date; died?: Date; tags: Set<string>;
  mother?: Person; father?: Person; spouse?: Person; children: Person[]; siblings: Person[];
  addresses: Array<{ street: string; city: string; since: Date; residents: Person[] }>;
}
declare const person: Person;
export const p = tasks.bind('family', (x: Person): Person[] => x.children).send(person);`,
};
function valueSource(body) {
  return `import { FlinkTasks } from 'flink-tasks';
const tasks = new FlinkTasks({ namespace: 'perf', workerName: 'worker' });
${body}
`;
}

const BASELINE = `import * as flink from 'flink-tasks';
export type Library = typeof flink;
`;

// ---------------------------------------------------------------- runs

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

function tsconfigFor(name, files) {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2022'],
      types: ['node'],
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
      // the files live inside the package, so 'flink-tasks' also resolves as a
      // self-reference; the mapping makes the target explicit.
      paths: { 'flink-tasks': [path.relative(outDir, typings)] },
    },
    files: files.map((f) => path.relative(outDir, f)),
  };
  const file = path.join(outDir, `tsconfig.${name}.json`);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

const cases = [];
{
  const src = path.join(outDir, 'baseline.ts');
  writeFileSync(src, BASELINE);
  cases.push({ name: 'baseline (import only)', project: tsconfigFor('baseline', [src]) });
}
{
  const canaryDir = path.join(root, 'test-d', 'canary');
  const files = existsSync(canaryDir)
    ? readdirSync(canaryDir)
        .filter((f) => f.endsWith('.test-d.ts'))
        .map((f) => path.join(canaryDir, f))
    : [];
  if (files.length === 0) fail('no test-d/canary/*.test-d.ts found');
  cases.push({ name: 'canary (500 steps + 64 branches)', project: tsconfigFor('canary', files) });
}
for (const n of CHAIN_SIZES) {
  const src = path.join(outDir, `chain-${n}.ts`);
  writeFileSync(src, chainSource(n));
  cases.push({ name: `chain-${n}`, project: tsconfigFor(`chain-${n}`, [src]), steps: n, series: 'chain' });
}
for (const [name, body] of Object.entries(VALUE_CASES)) {
  const src = path.join(outDir, `${name}.ts`);
  writeFileSync(src, valueSource(body));
  cases.push({ name, project: tsconfigFor(name, [src]) });
}
for (const n of CHAIN_SIZES) {
  const binds = path.join(outDir, `binds-${n}.ts`);
  writeFileSync(binds, distinctBinds(n));
  cases.push({ name: `binds-${n}`, project: tsconfigFor(`binds-${n}`, [binds]), steps: n, series: 'binds' });
  const src = path.join(outDir, `distinct-${n}.ts`);
  writeFileSync(src, distinctChainSource(n));
  cases.push({ name: `distinct-${n}`, project: tsconfigFor(`distinct-${n}`, [src]), steps: n, series: 'distinct' });
}

function parseDiagnostics(text) {
  const num = (label) => {
    const m = new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(text);
    return m ? Number(m[1]) : NaN;
  };
  return {
    instantiations: num('Instantiations'),
    types: num('Types'),
    checkTime: num('Check time'),
    totalTime: num('Total time'),
    memoryKB: num('Memory used'),
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

let failed = false;
for (const c of cases) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(tsc, ['-p', c.project, '--extendedDiagnostics', '--noEmit'], { cwd: root, encoding: 'utf8' });
    const out = `${r.stdout}${r.stderr}`;
    const errors = out.split('\n').filter((l) => /error TS\d+/.test(l));
    if (r.status !== 0 || errors.length > 0) {
      failed = true;
      c.error = errors.length ? errors.slice(0, 5).join('\n') : out.slice(0, 2000);
      break;
    }
    samples.push(parseDiagnostics(out));
  }
  if (c.error) continue;
  c.instantiations = samples[0].instantiations; // deterministic
  c.types = samples[0].types;
  c.checkTime = Math.min(...samples.map((s) => s.checkTime));
  c.totalTime = Math.min(...samples.map((s) => s.totalTime));
  c.memoryKB = median(samples.map((s) => s.memoryKB));
}

// ---------------------------------------------------------------- report

const cpus = os.cpus();
console.log('flink-tasks type performance');
console.log(`  date:       ${new Date().toISOString()}`);
console.log(
  `  machine:    ${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}`,
);
console.log(`  node:       ${process.version}`);
console.log(`  typescript: ${spawnSync(tsc, ['--version'], { encoding: 'utf8' }).stdout.trim()}`);
console.log(`  typings:    ${path.relative(root, typings)}; runs per case: ${runs} (times: fastest run; memory: median)`);
console.log('');

const fmt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const rows = [['case', 'instantiations', 'types', 'check time', 'total time', 'memory']];
for (const c of cases) {
  rows.push(
    c.error
      ? [c.name, 'FAILED', '', '', '', '']
      : [c.name, fmt(c.instantiations), fmt(c.types), `${c.checkTime.toFixed(2)} s`, `${c.totalTime.toFixed(2)} s`, `${fmt(c.memoryKB / 1024)} MB`],
  );
}
printTable(rows, [false, true, true, true, true, true]);

const ok = (series) => cases.filter((c) => c.series === series && !c.error);
/** Per-step slope of `value` between consecutive sizes of a series. */
function slopes(series, value) {
  const xs = ok(series);
  return xs.slice(1).map((b, i) => ({ from: xs[i].steps, to: b.steps, perStep: (value(b) - value(xs[i])) / (b.steps - xs[i].steps) }));
}
const chainOnly = (field) => (d) => d[field] - (cases.find((c) => c.series === 'binds' && c.steps === d.steps && !c.error)?.[field] ?? NaN);
const slopeRows = [['per added continueWith step', 'series', 'instantiations / step', 'types / step', 'check ms / step']];
for (const [label, series, inst, types, time] of [
  ['reused tasks (chain-N)', 'chain', (c) => c.instantiations, (c) => c.types, (c) => c.checkTime],
  ['new task per step, chain + bind (distinct-N)', 'distinct', (c) => c.instantiations, (c) => c.types, (c) => c.checkTime],
  ['new task per step, chain only (distinct-N − binds-N)', 'distinct', chainOnly('instantiations'), chainOnly('types'), chainOnly('checkTime')],
  ['new task per step, bind only (binds-N)', 'binds', (c) => c.instantiations, (c) => c.types, (c) => c.checkTime],
]) {
  const i = slopes(series, inst);
  const t = slopes(series, types);
  const ms = slopes(series, time);
  i.forEach((s, k) =>
    slopeRows.push([k === 0 ? label : '', `${s.from} -> ${s.to}`, s.perStep.toFixed(1), t[k].perStep.toFixed(1), (ms[k].perStep * 1000).toFixed(2)]),
  );
}
if (slopeRows.length > 1) {
  console.log('');
  printTable(slopeRows, [false, false, true, true, true]);
}

for (const c of cases.filter((x) => x.error)) {
  console.error(`\n${c.name} did not type-check:\n${c.error}`);
}
if (!args.includes('--keep')) rmSync(outDir, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;

function printTable(table, rightAlign) {
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
  const line = (r) => r.map((v, i) => (rightAlign[i] ? String(v).padStart(widths[i]) : String(v).padEnd(widths[i]))).join('  ');
  console.log(line(table[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table.slice(1)) console.log(line(r));
}

function fail(message) {
  console.error(`type-perf: ${message}`);
  process.exit(2);
}
