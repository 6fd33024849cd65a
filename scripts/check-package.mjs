// Checks the package as a consumer gets it from the registry: packs it once
// (`npm pack`, so `files` and `exports` are what is tested), lints the tarball
// with publint and @arethetypeswrong/cli, checks LICENSE and CHANGELOG, then
// installs the tarball into scratch projects and runs the consumers in
// test/consumers/ there: a CommonJS app (require of the ES module, Node >= 20.19)
// and TypeScript CommonJS consumers under module nodenext (compiles, runs) and
// node16 (TS1479, the documented limitation); what each entry point loads
// (lean-imports.mjs); a project without the optional peer kafkajs
// (no-kafkajs.mjs) and a broken one without the StateFun SDK (no-statefun.mjs).
//
//   npm run check:package        (needs `npm run build` first)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const failures = [];
const fail = (what) => failures.push(what);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
/** Runs a command that must succeed; returns its output or records the failure with its output. */
const mustPass = (label, cmd, args, opts) => {
  try {
    return run(cmd, args, opts);
  } catch (e) {
    fail(`${label} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    return '';
  }
};

if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.error('check-package: dist/ is missing; run `npm run build` first');
  process.exit(1);
}

// --- files every published package needs ------------------------------------
const license = readFileSync(join(root, 'LICENSE'), 'utf8');
if (pkg.license !== 'Apache-2.0' || !license.includes('Apache License') || !license.includes('Version 2.0, January 2004')) {
  fail('LICENSE must hold the Apache-2.0 text that package.json "license" names');
}
const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
if (!new RegExp(`^## \\[?${pkg.version.replace(/\./g, '\\.')}\\]?( |$)`, 'm').test(changelog)) {
  fail(`CHANGELOG.md has no "## ${pkg.version}" section for the version in package.json`);
}
for (const field of ['repository', 'homepage', 'bugs', 'keywords', 'description', 'engines']) {
  if (pkg[field] === undefined) fail(`package.json has no "${field}"`);
}

// --- pack once ----------------------------------------------------------------
const scratch = mkdtempSync(join(tmpdir(), 'flink-tasks-package-'));
try {
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: root }));
  const tarball = join(scratch, packed.filename);
  const packedFiles = new Set(packed.files.map((f) => f.path));
  for (const required of [
    'LICENSE',
    'README.md',
    'CHANGELOG.md',
    'package.json',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/kafka.js',
    'dist/server.js',
    'dist/observe.js',
    'types/flinktasks.proto',
  ]) {
    if (!packedFiles.has(required)) fail(`the tarball lacks ${required}`);
  }
  for (const f of packedFiles) {
    if (/(^|\/)(test|bench|\.tsperf|node_modules)\//.test(f) || f.startsWith('docs/api/')) fail(`the tarball holds ${f}, which is not for consumers`);
  }

  // --- consumers: scratch projects whose node_modules hold the tarball --------
  /** A project with the tarball installed, the package's dependencies (and the compiler's @types/node) from this checkout, less `without`. */
  const project = (name, without = []) => {
    const dir = join(scratch, name);
    const modules = join(dir, 'node_modules');
    const installed = join(modules, 'flink-tasks');
    mkdirSync(installed, { recursive: true });
    run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
    for (const entry of readdirSync(join(root, 'node_modules'))) {
      if (entry === 'flink-tasks' || entry === '.bin' || entry.startsWith('.') || without.includes(entry)) continue;
      symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'commonjs' }));
    for (const f of readdirSync(join(root, 'test', 'consumers'))) cpSync(join(root, 'test', 'consumers', f), join(dir, f));
    return dir;
  };
  const app = project('app');
  // kafkajs is an optional peer dependency; the StateFun SDK (and its google-protobuf) a dependency that a broken install may lack.
  const noKafkajs = project('no-kafkajs', ['kafkajs']);
  const noStatefun = project('no-statefun', ['apache-flink-statefun', 'google-protobuf']);

  // --- lint the tarball ---------------------------------------------------------
  const publint = mustPass('publint', bin('publint'), ['--strict', tarball]);
  // node16 profile: node10 resolution (moduleResolution "node") cannot read
  // subpath exports at all. cjs-resolves-to-esm: deliberate, see the README's
  // "Install" section (require() of ES modules on Node >= 20.19, TS >= 5.8
  // with module nodenext); the consumers below check it for real.
  const attw = mustPass('attw', bin('attw'), [tarball, '--profile', 'node16', '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'table-flipped']);

  // --- run the consumers ----------------------------------------------------------
  const cjs = mustPass('CommonJS consumer', process.execPath, [join(app, 'cjs-consumer.cjs')], { cwd: app });
  const lean = mustPass('lean imports', process.execPath, [join(app, 'lean-imports.mjs')], { cwd: app });
  const withoutKafkajs = mustPass('consumer without kafkajs', process.execPath, [join(noKafkajs, 'no-kafkajs.mjs')], { cwd: noKafkajs });
  const withoutStatefun = mustPass('consumer without the StateFun SDK', process.execPath, [join(noStatefun, 'no-statefun.mjs')], { cwd: noStatefun });
  if (pkg.peerDependencies?.kafkajs !== '^2.2.4' || pkg.peerDependenciesMeta?.kafkajs?.optional !== true || pkg.dependencies?.kafkajs !== undefined) {
    fail('package.json: kafkajs must be an optional peer dependency with the range that src/client/kafkajs.ts names (^2.2.4)');
  }

  const tsconfig = (module, files) => ({
    compilerOptions: { module, moduleResolution: module, target: 'ES2022', lib: ['ES2022'], types: ['node'], strict: true, skipLibCheck: true, outDir: 'out' },
    files,
  });
  writeFileSync(join(app, 'tsconfig.nodenext.json'), JSON.stringify(tsconfig('nodenext', ['ts-cjs-consumer.cts'])));
  writeFileSync(
    join(app, 'tsconfig.node16.json'),
    JSON.stringify({ ...tsconfig('node16', ['ts-cjs-node16.cts']), compilerOptions: { ...tsconfig('node16').compilerOptions, noEmit: true } }),
  );
  mustPass('TypeScript CommonJS consumer (nodenext) compile', bin('tsc'), ['-p', 'tsconfig.nodenext.json'], { cwd: app });
  const tsCjs = mustPass('TypeScript CommonJS consumer (nodenext) run', process.execPath, [join(app, 'out', 'ts-cjs-consumer.cjs')], { cwd: app });
  try {
    run(bin('tsc'), ['-p', 'tsconfig.node16.json'], { cwd: app });
    fail('TypeScript CommonJS consumer (node16): expected TS1479 (require of an ES module), but it compiled; update the README');
  } catch (e) {
    if (!/error TS1479/.test(e.stdout ?? '')) fail(`TypeScript CommonJS consumer (node16): expected TS1479, got:\n${e.stdout}${e.stderr}`);
  }

  if (failures.length === 0) {
    console.log(
      `package: ${packed.filename}, ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} kB packed, ${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked`,
    );
    console.log(`package: publint ${publint.includes('All good') ? 'clean' : publint.trim()}; attw clean (profile node16, require(esm) allowed)`);
    process.stdout.write(`package: ${cjs}package: ${tsCjs}package: module node16 consumer gets TS1479, as documented\n`);
    process.stdout.write(`package: ${lean}package: ${withoutKafkajs}package: ${withoutStatefun}`);
    void attw;
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`check-package: ${failures.length} problem(s):\n\n${failures.join('\n\n')}`);
  process.exit(1);
}
