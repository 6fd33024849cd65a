/**
 * Applications bundled with esbuild, as users deploy them (a serverless
 * function, a container without node_modules): each app of ./apps is bundled
 * into one file (ESM and CommonJS, minified), copied alone into a fresh
 * temporary directory, and run there with node. Nothing of flink-tasks may be
 * read from disk at run time (the old crash: `ENOENT types/flinktasks.proto`)
 * and the lazily loaded StateFun functions must be in the bundle.
 *
 * The served app is driven for real: an embedded StateFun engine (the one
 * behind the LocalRuntime) calls the bundled worker over HTTP, as Apache
 * Flink would, and a pipeline runs through it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Format, type Metafile } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { PipelineClient } from '../../src/client/pipeline-client.js';
import { REPLIES_EGRESS, REPLIES_TOPIC, inParallel, silentLogger } from '../../src/index.js';
import { LocalEngine } from '../../src/local/engine.js';
import { routeRecord } from '../../src/local/ingress.js';
import { decodeKafkaRecord } from '../../src/statefun/protocol.js';
import { double, sum, tasks, where } from './apps/tasks.js';

const apps = new URL('./apps/', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'flink-tasks-bundle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Bundles `app` (minified) and copies the bundle alone into a directory of its own; returns its path and esbuild's metafile. */
async function bundle(app: string, format: Format, external: string[] = []): Promise<{ file: string; metafile: Metafile }> {
  const ext = format === 'esm' ? 'mjs' : 'cjs';
  const built = join(scratch, `build-${app}-${format}.${ext}`);
  const result = await build({
    entryPoints: [join(apps, `${app}.ts`)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format,
    minify: true,
    metafile: true,
    outfile: built,
    external,
    logLevel: 'silent',
    // 'flink-tasks' resolves through the repository's tsconfig paths to src/.
  });
  const dir = mkdtempSync(join(scratch, `${app}-${format}-`));
  const file = join(dir, `app.${ext}`);
  copyFileSync(built, file);
  return { file, metafile: result.metafile };
}

/** Runs `file` with node in its own directory; resolves with its stdout once it exits 0. */
function run(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: join(file, '..'), stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${file} exited with ${code}:\n${out}${err}`));
    });
  });
}

/** The files that put code into a bundle (esbuild parses more: tree-shaken files add nothing). */
function filesIn(metafile: Metafile): string[] {
  return Object.values(metafile.outputs).flatMap((o) =>
    Object.entries(o.inputs)
      .filter(([, i]) => i.bytesInOutput > 0)
      .map(([f]) => f),
  );
}

/** Package names among a bundle's inputs. */
function packagesOf(metafile: Metafile): Set<string> {
  const names = new Set<string>();
  for (const input of filesIn(metafile)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m?.[1]) names.add(m[1]);
  }
  return names;
}

describe.each<Format>(['esm', 'cjs'])('a LocalRuntime app bundled as %s', (format) => {
  it('runs pipelines from a directory with nothing but the bundle', async () => {
    const { file, metafile } = await bundle('local-app', format);
    // The lazily imported StateFun functions are in the bundle, kafkajs is not.
    expect(packagesOf(metafile)).toContain('apache-flink-statefun');
    expect(packagesOf(metafile)).not.toContain('kafkajs');
    const printed = JSON.parse(await run(file)) as Record<string, unknown>;
    expect(printed).toEqual({
      total: 12,
      failed: { name: 'TaskError', errorType: 'RangeError', taskName: 'fail', message: 'no' },
      retried: 3,
      length: 5,
      ran: file,
      refused: 'PipelineError',
      stats: true,
    });
  });
});

/** A client whose pipeline and worker functions are a served endpoint, called over HTTP by the embedded engine (as Flink would). */
class OverHttp extends PipelineClient {
  readonly #engine: LocalEngine;
  constructor(url: string, functionTypes: readonly string[]) {
    super(REPLIES_TOPIC, 15_000, silentLogger);
    this.#engine = new LocalEngine({
      logger: silentLogger,
      onEgress: (egress, argument) => {
        if (egress === REPLIES_EGRESS) this.deliverReply(decodeKafkaRecord(argument.value).valueBytes);
      },
    });
    const endpoint = {
      handle: async (body: Uint8Array): Promise<Uint8Array> => {
        const res = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/octet-stream' } });
        if (res.status !== 200) throw new Error(`the served functions answered ${res.status}`);
        return new Uint8Array(await res.arrayBuffer());
      },
    };
    for (const t of functionTypes) this.#engine.register(t, endpoint);
  }
  protected sendCommand(id: string, payload: Uint8Array): void {
    const routed = routeRecord({ key: id, value: payload }, Date.now());
    this.#engine.deliver(
      { namespace: tasks.namespace, type: tasks.pipelineName, id: routed.id },
      { typename: routed.typename, hasValue: true, value: routed.payload },
    );
  }
  protected release(): void {
    this.#engine.close();
  }
}

describe.each<Format>(['esm', 'cjs'])('a worker app (serve) bundled as %s', (format) => {
  it('serves pipelines over HTTP from a directory with nothing but the bundle', async () => {
    const { file } = await bundle('serve-app', format);
    const child: ChildProcess = spawn(process.execPath, [file], {
      cwd: join(file, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '' },
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const first = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
        });
        child.on('exit', (code) => reject(new Error(`the served app exited with ${code}:\n${out}${stderr}`)));
      });
      const { url, functionTypes } = JSON.parse(first) as { url: string; functionTypes: string[] };
      expect(functionTypes).toEqual(['bundled/pipeline', 'bundled/worker']);
      const client = new OverHttp(url, functionTypes);
      try {
        expect(await client.submit(inParallel([1, 2, 3].map((x) => double.send(x))).continueWith(sum))).toBe(12);
        // The task ran in the bundled process, not in this one.
        expect(await client.submit(where.send())).toBe(file);
      } finally {
        await client.close();
      }
    } finally {
      child.kill('SIGTERM');
    }
  });
});

it('an app that only builds pipelines bundles without the StateFun SDK, protobuf runtimes or kafkajs', async () => {
  const { metafile } = await bundle('dsl-app', 'esm');
  const packages = packagesOf(metafile);
  for (const heavy of ['apache-flink-statefun', 'google-protobuf', 'kafkajs', 'protobufjs']) expect(packages).not.toContain(heavy);
  expect(filesIn(metafile).filter((f) => /src\/(statefun|local|client|executor|worker)\//.test(f))).toEqual([]);
  expect(packages).toContain('superjson');
});

describe('the dashboard (flink-tasks/observe)', () => {
  const staticDir = new URL('../../src/dashboard/static/', import.meta.url);

  it('embeds the browser files of src/dashboard/static as they are', () => {
    const check = spawnSync(process.execPath, [new URL('../../scripts/gen-dashboard-assets.mjs', import.meta.url).pathname, '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('serves its page and browser files from a bundle with nothing beside it', async () => {
    const { file } = await bundle('dashboard-app', 'esm');
    const got = JSON.parse(await run(file)) as Record<string, { status: number; bytes: number; type: string }>;
    expect(got['/']).toMatchObject({ status: 200, type: expect.stringContaining('text/html') });
    expect(got['/static/app.js']).toEqual({
      status: 200,
      bytes: readFileSync(new URL('app.js', staticDir)).byteLength,
      type: expect.stringContaining('javascript'),
    });
    expect(got['/static/style.css']).toEqual({
      status: 200,
      bytes: readFileSync(new URL('style.css', staticDir)).byteLength,
      type: expect.stringContaining('text/css'),
    });
  });
});

describe.each<Format>(['esm', 'cjs'])('a Kafka client app bundled as %s with kafkajs left out', (format) => {
  it('says to install kafkajs when it is not there', async () => {
    const { file, metafile } = await bundle('kafka-app', format, ['kafkajs']);
    expect(packagesOf(metafile)).not.toContain('kafkajs');
    expect(JSON.parse(await run(file))).toEqual({
      name: 'MissingKafkajsError',
      message: expect.stringMatching(/^flink-tasks: the Kafka client needs the kafkajs package \(\^2\.2\.4\), which is not installed: .*`npm install kafkajs`/),
    });
  });
});
