#!/usr/bin/env node
/**
 * Checks the compile errors the type tests advertise. tsd's `expectError`
 * passes on any error; here every `expectError(…)` of `test-d/` must carry a
 * `// error: <fragment>` comment, and the compiler must report, inside that
 * call, an error whose message (with its whole elaboration chain) contains
 * the fragment. Any error outside an `expectError` fails too.
 *
 * It runs a compiler's command line (`tsc --pretty false`), not its API, so
 * the same check runs on every TypeScript version, the native 7.x compiler
 * included (`scripts/type-matrix.mjs`). `tsd` is replaced by a small
 * declaration file: identity checks stay tsd's job (`npm run test:types`).
 *
 * Usage: node scripts/check-type-errors.mjs [--tsc path/to/tsc] [--typings dist/index.d.ts] [--quiet]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const tsc = path.resolve(option('--tsc', path.join(root, 'node_modules', '.bin', 'tsc')));
const typings = path.resolve(option('--typings', path.join(root, 'dist', 'index.d.ts')));
const quiet = args.includes('--quiet');
const testDir = path.join(root, 'test-d');
const outDir = path.join(root, '.tsperf', `type-errors-${process.pid}`);

/** Every `*.test-d.ts` under test-d/. */
function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(path.join(dir, e.name)) : e.name.endsWith('.test-d.ts') ? [path.join(dir, e.name)] : [],
  );
}

/**
 * The `expectError(` calls of a source: first and last line (1-based) and
 * the fragment of the `// error:` comment that follows the call.
 */
export function expectErrors(text) {
  const calls = [];
  const lineAt = (offset) => text.slice(0, offset).split('\n').length;
  const re = /\bexpectError\s*\(/g;
  let m;
  while ((m = re.exec(text)) !== null) {
    const before = text.slice(text.lastIndexOf('\n', m.index) + 1, m.index);
    if (before.includes('//') || /^\s*(\*|\/\*)/.test(before)) continue; // inside a comment
    let depth = 0;
    let i = m.index + m[0].length - 1;
    let quote = null;
    for (; i < text.length; i++) {
      const c = text[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
        continue;
      }
      if (c === '"' || c === "'" || c === '`') quote = c;
      else if (c === '/' && text[i + 1] === '/') i = text.indexOf('\n', i) - 1;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) break;
    }
    const endOfLine = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
    const rest = text.slice(i + 1, endOfLine);
    const fragment = /\/\/\s*error:\s*(.+?)\s*$/.exec(rest)?.[1];
    calls.push({ start: lineAt(m.index), end: lineAt(i), fragment });
    re.lastIndex = i;
  }
  return calls;
}

/** Diagnostics of `tsc --pretty false`: file, line, code, and the message with its chain. */
export function parseDiagnostics(output, cwd) {
  const diagnostics = [];
  for (const line of output.split(/\r?\n/)) {
    const head = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (head) {
      diagnostics.push({ file: path.resolve(cwd, head[1]), line: Number(head[2]), code: head[4], message: head[5] });
    } else if (/^\s+\S/.test(line) && diagnostics.length > 0) {
      diagnostics[diagnostics.length - 1].message += `\n${line.trim()}`;
    } else if (/error TS\d+/.test(line)) {
      diagnostics.push({ file: '', line: 0, code: 'TS', message: line.trim() });
    }
  }
  return diagnostics;
}

const normalise = (s) => s.replace(/\s+/g, ' ').replace(/[“”]/g, '"');

function main() {
  const files = testFiles(testDir);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  // tsd's assertions, as plain declarations: the compiler checks the calls as ordinary code.
  writeFileSync(
    path.join(outDir, 'tsd.d.ts'),
    [
      'export declare function expectType<T>(value: T): void;',
      'export declare function expectNotType<T>(value: unknown): void;',
      'export declare function expectAssignable<T>(value: T): void;',
      'export declare function expectNotAssignable<T>(value: unknown): void;',
      'export declare function expectError<T = unknown>(value: T): void;',
      'export declare function expectDeprecated(value: unknown): void;',
      'export declare function expectNotDeprecated(value: unknown): void;',
      'export declare function printType(value: unknown): void;',
      '',
    ].join('\n'),
  );
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2022'],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      noUnusedLocals: false,
      noUnusedParameters: false,
      paths: { 'flink-tasks': [path.relative(outDir, typings)], tsd: ['./tsd.d.ts'] },
    },
    files: files.map((f) => path.relative(outDir, f)),
  };
  const version = spawnSync(tsc, ['--version'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(path.join(outDir, 'tsconfig.json'), `${JSON.stringify(config, null, 2)}\n`);
  const run = spawnSync(tsc, ['-p', path.join(outDir, 'tsconfig.json'), '--pretty', 'false'], { cwd: outDir, encoding: 'utf8', maxBuffer: 64 << 20 });
  const output = `${run.stdout}${run.stderr}`;
  const diagnostics = parseDiagnostics(output, outDir);
  if (run.status !== 0 && diagnostics.length === 0) {
    console.error(`type errors: ${version} failed without diagnostics:\n${output.slice(0, 3000)}`);
    process.exit(2);
  }

  const problems = [];
  let checked = 0;
  for (const file of files) {
    const calls = expectErrors(readFileSync(file, 'utf8'));
    const mine = diagnostics.filter((d) => d.file === file);
    const rel = path.relative(root, file);
    for (const call of calls) {
      if (call.fragment === undefined) {
        problems.push(`${rel}:${call.start}: expectError without a '// error: <fragment>' comment`);
        continue;
      }
      checked++;
      const inside = mine.filter((d) => d.line >= call.start && d.line <= call.end);
      if (inside.length === 0) {
        problems.push(`${rel}:${call.start}: no error, expected one containing: ${call.fragment}`);
      } else if (!inside.some((d) => normalise(d.message).includes(normalise(call.fragment)))) {
        problems.push(
          `${rel}:${call.start}: expected an error containing: ${call.fragment}\n    got: ${inside.map((d) => normalise(d.message).slice(0, 600)).join('\n    and: ')}`,
        );
      }
    }
    for (const d of mine) {
      if (!calls.some((c) => d.line >= c.start && d.line <= c.end)) {
        problems.push(`${rel}:${d.line}: unexpected error ${d.code}: ${normalise(d.message).slice(0, 600)}`);
      }
    }
  }
  for (const d of diagnostics.filter((x) => !files.includes(x.file))) {
    problems.push(`${d.file ? path.relative(root, d.file) : '(global)'}:${d.line}: error outside the tests ${d.code}: ${normalise(d.message).slice(0, 600)}`);
  }
  rmSync(outDir, { recursive: true, force: true });
  if (problems.length > 0) {
    console.error(`type errors (${version}): ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  if (!quiet) console.log(`type errors (${version}): ${checked} advertised error messages found, no unexpected error, in ${files.length} files`);
}

main();
