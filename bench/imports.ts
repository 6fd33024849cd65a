/**
 * What importing flink-tasks costs: for each entry point of the package
 * (package.json "exports"), the cold-import time in a fresh node process
 * (median of `--runs`), what the import loads (packages, node:http), and the
 * size of an esbuild bundle of everything it exports (minified; gzip).
 * Then a few applications as users write them: a bundle per app, and the
 * time from a cold start to its end (e.g. a first result on the LocalRuntime).
 *
 *   npm run bench:imports                          this checkout (builds first)
 *   npx tsx bench/imports.ts --before DIR          also another built checkout (e.g. main), for before/after;
 *                                                  runs alternate between the two, so both see the same load
 *   npx tsx bench/imports.ts --root DIR            another checkout instead of this one
 *   npx tsx bench/imports.ts --runs 21             runs per time (default 11)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { machine } from './machine.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(option('runs') ?? 11);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number >= 1, got ${option('runs')}`);
const roots = [option('before'), option('root') ?? new URL('..', import.meta.url).pathname].filter((r): r is string => r !== undefined).map((r) => resolve(r));

const scratch = mkdtempSync(join(tmpdir(), 'flink-tasks-bench-imports-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** Runs a module (source text) in a fresh node process; returns its stdout. */
function runModule(source: string): string {
  const file = join(scratch, `run-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, source);
  try {
    return execFileSync(process.execPath, [file], { encoding: 'utf8', cwd: scratch });
  } finally {
    rmSync(file, { force: true });
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** One run of `body` (module source, may await) in a fresh process: wall-clock and CPU (user + system) milliseconds. */
function timeOnce(body: string): { wall: number; cpu: number } {
  const out = runModule(
    `const __t0 = performance.now(); const __c0 = process.cpuUsage();\n${body}\n` +
      'const __c = process.cpuUsage(__c0);\nprocess.stdout.write(`\\n${performance.now() - __t0} ${(__c.user + __c.system) / 1000}`);\n',
  );
  const [wall, cpu] = (out.trim().split('\n').pop() ?? '').split(' ').map(Number);
  if (!Number.isFinite(wall) || !Number.isFinite(cpu)) throw new Error(`a timed run printed no time:\n${out}`);
  return { wall: wall as number, cpu: cpu as number };
}

/** What importing `file` loads: CommonJS packages (the module cache) and whether node:http is loaded. ES module packages (superjson) show in the bundles. */
function loads(file: string): string {
  const out = runModule(`
import { createRequire } from 'node:module';
await import(${JSON.stringify(pathToFileURL(file).href)});
const require = createRequire(import.meta.url);
const names = new Set(Object.keys(require.cache).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f)?.[1]).filter(Boolean));
if (process.moduleLoadList.includes('NativeModule http')) names.add('node:http');
process.stdout.write([...names].sort().join(', '));
`);
  return out.trim() || '–';
}

/** Size of the minified esbuild bundle of `source` (an ES module), and of it gzipped; the packages that put code into it. */
async function bundleSize(source: string, resolveDir: string): Promise<string[]> {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: 'js' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array(0);
  const packages = new Set<string>();
  for (const o of Object.values(result.metafile.outputs)) {
    for (const [f, i] of Object.entries(o.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f);
      if (m?.[1] && i.bytesInOutput > 0) packages.add(m[1]);
    }
  }
  return [`${kb(code.byteLength)} / ${kb(gzipSync(code).byteLength)}`, [...packages].sort().join(', ') || '–'];
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`;

interface PackageJson {
  readonly exports: Record<string, string | { default: string }>;
}
/** Entry point name → absolute path of its JavaScript, for the checkout at `root`. */
function entriesOf(root: string): Map<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  const entries = new Map<string, string>();
  for (const [key, target] of Object.entries(pkg.exports)) {
    if (key === './package.json') continue;
    const file = typeof target === 'string' ? target : target.default;
    entries.set(key === '.' ? 'flink-tasks' : `flink-tasks/${key.slice(2)}`, join(root, file));
  }
  return entries;
}

/** Import statements for `names`, each from the first entry point that exports it (entry points differ between checkouts). */
async function importsOf(entries: ReadonlyMap<string, string>, names: readonly string[]): Promise<{ file: string; names: string[] }[]> {
  const byFile = new Map<string, string[]>();
  for (const name of names) {
    let found: string | undefined;
    for (const file of entries.values()) {
      if (name in ((await import(pathToFileURL(file).href)) as Record<string, unknown>)) {
        found = file;
        break;
      }
    }
    if (found === undefined) throw new Error(`no entry point exports ${name}`);
    byFile.set(found, [...(byFile.get(found) ?? []), name]);
  }
  return [...byFile].map(([file, ns]) => ({ file, names: ns }));
}

const TASKS = `
const tasks = new FlinkTasks({ namespace: 'bench', workerName: 'worker' });
const double = tasks.bind('double', (x) => x * 2);
const sum = tasks.bind('sum', (xs) => xs.reduce((a, b) => a + b, 0));
const pipeline = inParallel([1, 2, 3].map((x) => double.send(x))).continueWith(sum);`;
const APPS: readonly { name: string; imports: string[]; body: string; timed: boolean }[] = [
  {
    name: 'define tasks, build a pipeline',
    imports: ['FlinkTasks', 'inParallel'],
    body: `${TASKS}\nconsole.log(pipeline.toIR().entries.length);`,
    timed: true,
  },
  {
    name: 'README sample: a first result on the LocalRuntime',
    imports: ['FlinkTasks', 'inParallel', 'LocalRuntime'],
    body: `${TASKS}\nconst runtime = new LocalRuntime(tasks);\nconsole.log(await runtime.submit(pipeline));\nawait runtime.close();`,
    timed: true,
  },
  {
    name: 'a worker: serve()',
    imports: ['FlinkTasks', 'serve'],
    body: `${TASKS.split('\n').slice(0, 4).join('\n')}\nconst s = await serve(tasks, { port: 0 });\nawait s.close();`,
    timed: true,
  },
  { name: 'a Kafka client', imports: ['KafkaTasksClient'], body: 'console.log(typeof KafkaTasksClient.connect);', timed: false },
];

/** A row of a table: its fixed cells, and the body to time (if any). */
interface Row {
  readonly table: 'entries' | 'apps';
  readonly label: string;
  readonly timed?: string;
  readonly cells: string[];
  readonly wall: number[];
  readonly cpu: number[];
}

const rowsByRoot = new Map<string, Row[]>();
for (const root of roots) {
  const rows: Row[] = [];
  const entries = entriesOf(root);
  for (const [entry, file] of entries) {
    const [size] = await bundleSize(`export * from ${JSON.stringify(file)};`, root);
    rows.push({
      table: 'entries',
      label: `\`${entry}\``,
      timed: `await import(${JSON.stringify(pathToFileURL(file).href)});`,
      cells: [loads(file), size as string],
      wall: [],
      cpu: [],
    });
  }
  for (const app of APPS) {
    const imports = await importsOf(entries, app.imports);
    const source = `${imports.map((i) => `import { ${i.names.join(', ')} } from ${JSON.stringify(i.file)};`).join('\n')}\n${app.body}`;
    const timed = `${imports.map((i) => `const { ${i.names.join(', ')} } = await import(${JSON.stringify(pathToFileURL(i.file).href)});`).join('\n')}\n${app.body.replace(/console\.log/g, 'void')}`;
    rows.push({ table: 'apps', label: app.name, ...(app.timed ? { timed } : {}), cells: await bundleSize(source, root), wall: [], cpu: [] });
  }
  rowsByRoot.set(root, rows);
}

// Round robin: run i of every row of every checkout before run i + 1, so that a change of load hits all alike.
for (let i = 0; i < runs; i++) {
  for (const rows of rowsByRoot.values()) {
    for (const row of rows) {
      if (row.timed === undefined) continue;
      const t = timeOnce(row.timed);
      row.wall.push(t.wall);
      row.cpu.push(t.cpu);
    }
  }
}

const time = (row: Row): string =>
  row.timed === undefined ? '–' : `${median(row.wall).toFixed(0)} ms (min ${Math.min(...row.wall).toFixed(0)}; CPU ${median(row.cpu).toFixed(0)} ms)`;

console.log(machine());
console.log(`node, a fresh process per run; ${runs} runs per time, alternating between checkouts; bundles: esbuild, platform node, ESM, minified`);
for (const [root, rows] of rowsByRoot) {
  console.log(`\n### ${root}\n`);
  console.log('| entry point | cold import: wall median (min; CPU median) | loads (CommonJS packages, node:http) | bundle of all its exports (min / gzip) |');
  console.log('| --- | --- | --- | --- |');
  for (const row of rows.filter((r) => r.table === 'entries')) console.log(`| ${row.label} | ${time(row)} | ${row.cells.join(' | ')} |`);
  console.log('\n| application | from a cold start to its end: wall median (min; CPU median) | bundle (min / gzip) | packages in the bundle |');
  console.log('| --- | --- | --- | --- |');
  for (const row of rows.filter((r) => r.table === 'apps')) console.log(`| ${row.label} | ${time(row)} | ${row.cells.join(' | ')} |`);
}
