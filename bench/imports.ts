/**
 * What importing flink-tasks costs: for each entry point of the package
 * (package.json "exports"), the cold-import time in a fresh node process
 * (median of `--runs`), what the import loads (packages, node:http), and the
 * size of an esbuild bundle of everything it exports (minified; gzip).
 * Then a few applications as users write them: a bundle per app, and the
 * time from a cold start to a first result on the LocalRuntime.
 *
 *   npm run bench:imports                       this checkout (builds first)
 *   npx tsx bench/imports.ts --root DIR         another built checkout (e.g. an older commit), for before/after
 *   npx tsx bench/imports.ts --runs 21          more runs per figure (default 11)
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
const root = resolve(option('root') ?? new URL('..', import.meta.url).pathname);
const runs = Number(option('runs') ?? 11);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number >= 1, got ${option('runs')}`);

interface PackageJson {
  readonly exports: Record<string, string | { default: string }>;
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
/** Entry point name → absolute path of its JavaScript. */
const entries = new Map<string, string>();
for (const [key, target] of Object.entries(pkg.exports)) {
  if (key === './package.json') continue;
  const file = typeof target === 'string' ? target : target.default;
  entries.set(key === '.' ? 'flink-tasks' : `flink-tasks/${key.slice(2)}`, join(root, file));
}

const scratch = mkdtempSync(join(tmpdir(), 'flink-tasks-bench-imports-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** Runs a module (source text) in a fresh node process; returns its stdout. */
function runModule(source: string): string {
  const file = join(scratch, `run-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, source);
  return execFileSync(process.execPath, [file], { encoding: 'utf8', cwd: scratch });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

interface Timing {
  /** Wall-clock milliseconds: median and minimum over the runs. */
  readonly median: number;
  readonly min: number;
  /** CPU milliseconds (user + system) of the process meanwhile, median: steadier than wall time on a busy machine. */
  readonly cpu: number;
}

/** What `body` (module source, may await) takes in a fresh process, over `runs` runs. */
function coldTime(body: string): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = runModule(
      `const __t0 = performance.now(); const __c0 = process.cpuUsage();\n${body}\n` +
        'const __c = process.cpuUsage(__c0);\nprocess.stdout.write(`\\n${performance.now() - __t0} ${(__c.user + __c.system) / 1000}`);\n',
    );
    const [w, c] = (out.trim().split('\n').pop() ?? '').split(' ').map(Number);
    wall.push(w as number);
    cpu.push(c as number);
  }
  return { median: median(wall), min: Math.min(...wall), cpu: median(cpu) };
}

/** What importing `file` loads: CommonJS packages (the module cache) and whether node:http is loaded. ES module packages (superjson) are listed by the bundle. */
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
async function bundleSize(source: string): Promise<{ bytes: number; gzip: number; packages: string[] }> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js' },
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
  return { bytes: code.byteLength, gzip: gzipSync(code).byteLength, packages: [...packages].sort() };
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`;
const ms = (t: Timing): string => `${t.median.toFixed(0)} ms (min ${t.min.toFixed(0)}; CPU ${t.cpu.toFixed(0)} ms)`;

/** Which entry point exports `name` (the first that does). */
async function entryOf(name: string): Promise<string> {
  for (const [entry, file] of entries) {
    const m = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    if (name in m) return file;
  }
  throw new Error(`no entry point of ${root} exports ${name}`);
}
const importLine = async (names: string[]): Promise<string> => {
  const byFile = new Map<string, string[]>();
  for (const n of names) {
    const f = await entryOf(n);
    byFile.set(f, [...(byFile.get(f) ?? []), n]);
  }
  return [...byFile].map(([f, ns]) => `import { ${ns.join(', ')} } from ${JSON.stringify(f)};`).join('\n');
};

const TASKS = `
const tasks = new FlinkTasks({ namespace: 'bench', workerName: 'worker' });
const double = tasks.bind('double', (x) => x * 2);
const sum = tasks.bind('sum', (xs) => xs.reduce((a, b) => a + b, 0));
const pipeline = inParallel([1, 2, 3].map((x) => double.send(x))).continueWith(sum);`;

console.log(`imports of ${root}`);
console.log(machine());
console.log(`node, fresh process per run; ${runs} runs per time; bundles: esbuild, platform node, ESM, minified\n`);

console.log('| entry point | cold import: wall median (min; CPU median) | loads (CommonJS packages, node:http) | bundle of all its exports (min / gzip) |');
console.log('| --- | --- | --- | --- |');
for (const [entry, file] of entries) {
  const url = JSON.stringify(pathToFileURL(file).href);
  const time = coldTime(`await import(${url});`);
  const size = await bundleSize(`export * from ${JSON.stringify(file)};`);
  console.log(`| \`${entry}\` | ${ms(time)} | ${loads(file)} | ${kb(size.bytes)} / ${kb(size.gzip)} |`);
}

const apps: { name: string; imports: string[]; body: string; timed: boolean }[] = [
  { name: 'define tasks, build a pipeline', imports: ['FlinkTasks', 'inParallel'], body: `${TASKS}\nconsole.log(pipeline.toIR().entries.length);`, timed: true },
  {
    name: 'README sample: a first result on the LocalRuntime',
    imports: ['FlinkTasks', 'inParallel', 'LocalRuntime'],
    body: `${TASKS}\nconst runtime = new LocalRuntime(tasks);\nconsole.log(await runtime.submit(pipeline));\nawait runtime.close();`,
    timed: true,
  },
  { name: 'a worker: serve()', imports: ['FlinkTasks', 'serve'], body: `${TASKS.split('\n').slice(0, 4).join('\n')}\nconst s = await serve(tasks, { port: 0 });\nawait s.close();`, timed: true },
  { name: 'a Kafka client', imports: ['KafkaTasksClient'], body: 'console.log(typeof KafkaTasksClient.connect);', timed: false },
];
console.log('\n| application | from a cold start to its end: wall median (min; CPU median) | bundle (min / gzip) | packages in the bundle |');
console.log('| --- | --- | --- | --- |');
for (const app of apps) {
  const source = `${await importLine(app.imports)}\n${app.body}`;
  const time = app.timed ? ms(coldTime(`${(await importLine(app.imports)).replace(/^import \{ ([^}]*) \} from ("[^"]*");$/gm, 'const { $1 } = await import($2);')}\n${app.body.replace(/console\.log/g, 'void')}`)) : '–';
  const size = await bundleSize(source);
  console.log(`| ${app.name} | ${time} | ${kb(size.bytes)} / ${kb(size.gzip)} | ${size.packages.join(', ') || '–'} |`);
}
