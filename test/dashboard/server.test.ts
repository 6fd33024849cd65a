import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineEvent } from '../../src/observe/pipeline-events.js';
import { serveDashboard, type Dashboard } from '../../src/dashboard/server.js';
import { FlinkTasks } from '../../src/index.js';
import { bigGroup, created, finished, started, status } from '../observe/events.js';
import { ObservedRuntime } from '../observe/observed-runtime.js';

const tasks = new FlinkTasks({ namespace: 'dash', workerName: 'worker' });
const double = tasks.bind('double', (x: number) => x * 2);
let release: () => void = () => undefined;
const gate = new Promise<void>((r) => (release = r));
const hold = tasks.bind('hold', async (x: number) => {
  await gate;
  return x;
});
const client = new ObservedRuntime(tasks);
const done = double.send(1).continueWith(double);
const running = hold.send(1).continueWith(double);
const TOKEN = 'a-long-enough-secret-token';
let open: Dashboard;
let secured: Dashboard;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(base: string, path: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  await client.submit(done);
  void client.submit(running).catch(() => undefined);
  while (!(await client.inspect(running.id))) await new Promise((r) => setTimeout(r, 5));
  open = await serveDashboard(client, { allowActions: true, refreshMs: 20 });
  secured = await serveDashboard(client, { token: TOKEN, refreshMs: 20 });
});
afterAll(async () => {
  await open.close();
  await secured.close();
  release();
  await client.close();
});

describe('serveDashboard options', () => {
  it('refuses unsafe or malformed options with a clear error', async () => {
    await expect(serveDashboard(client, { token: 'short' })).rejects.toThrow(/token must be at least 16 characters/);
    await expect(serveDashboard(client, { port: 70_000 })).rejects.toThrow(/port must be an integer from 0 to 65535, got 70000/);
    await expect(serveDashboard(client, { host: '0.0.0.0', allowActions: true })).rejects.toThrow(/refuses allowActions without a token on host '0.0.0.0'/);
    await expect(serveDashboard(client, { refreshMs: 0 })).rejects.toThrow(/refreshMs/);
  });

  it('binds to 127.0.0.1 by default and says where', () => {
    expect(open.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(secured.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/\\?token=${TOKEN}$`));
  });
});

describe('pages and API', () => {
  it('serves the list page with a strict content security policy', async () => {
    const r = await call(open.url, '/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('data-page="list"');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await call(open.url, '/static/app.js')).headers['content-type']).toContain('javascript');
    expect((await call(open.url, '/static/nope.js')).status).toBe(404);
  });

  it('unknown ids get clear 404s, with the id escaped', async () => {
    const page = await call(open.url, `/pipelines/${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(page.status).toBe(404);
    expect(page.body).toContain('No pipeline with id “&lt;script&gt;alert(1)&lt;/script&gt;” has been seen');
    expect(page.body).not.toContain('<script>alert');
    const api = await call(open.url, '/api/pipelines/nope');
    expect([api.status, JSON.parse(api.body)]).toEqual([404, { error: "no pipeline with id 'nope' has been seen" }]);
    expect((await call(open.url, '/elsewhere')).status).toBe(404);
    expect((await call(open.url, '/pipelines/%E0%A4%A')).status).toBe(400);
  });

  it('lists pipelines with filters; rejects bad filters', async () => {
    const all = JSON.parse((await call(open.url, '/api/pipelines')).body) as { pipelines: Array<{ id: string; status: string }> };
    expect(all.pipelines.map((p) => p.id)).toEqual(expect.arrayContaining([done.id, running.id]));
    const r = JSON.parse((await call(open.url, '/api/pipelines?status=RUNNING')).body) as { pipelines: Array<{ id: string }> };
    expect(r.pipelines.map((p) => p.id)).toContain(running.id);
    expect(r.pipelines.map((p) => p.id)).not.toContain(done.id);
    expect((await call(open.url, '/api/pipelines?limit=0')).status).toBe(400);
    expect(JSON.parse((await call(open.url, '/api/pipelines?status=DONE')).body)).toEqual({ error: "unknown status 'DONE'" });
  });

  it('a pipeline: layout, steps, Mermaid text; ids with slashes work', async () => {
    const r = JSON.parse((await call(open.url, `/api/pipelines/${encodeURIComponent(done.id)}`)).body) as {
      layout: { nodes: Array<{ id: string; label: string }> };
      steps: Array<{ status: string }>;
      mermaid: string;
      actions: boolean;
    };
    expect(r.layout.nodes.map((n) => n.label)).toEqual(['double', 'double']);
    expect(r.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
    expect(r.mermaid).toContain('class t0,t1 succeeded');
    expect(r.actions).toBe(true);
    client.publish(created({ pipelineId: 'a/b c', rootPipelineId: 'a/b c' }, { entries: [] }));
    expect((await call(open.url, `/pipelines/${encodeURIComponent('a/b c')}`)).status).toBe(200);
  });

  it('answers a 250,000-branch pipeline in well under a second, with a small payload', async () => {
    const p = { pipelineId: 'huge' };
    client.publish(created(p, bigGroup(250_000)));
    for (let i = 0; i < 250_000; i++) client.publish(finished(p, 1 + 2 * i, 'a'));
    const t0 = performance.now();
    const r = await call(open.url, '/api/pipelines/huge');
    const ms = performance.now() - t0;
    expect(r.status).toBe(200);
    expect(ms).toBeLessThan(1000);
    expect(r.body.length).toBeLessThan(20_000);
    expect(r.body).toContain('× 250,000');
  });

  it('refuses requests for another Host (DNS rebinding)', async () => {
    expect((await call(open.url, '/', { headers: { host: 'evil.example:80' } })).status).toBe(421);
  });
});

describe('actions', () => {
  const post = (base: string, path: string, headers: Record<string, string> = {}) => call(base, path, { method: 'POST', headers });

  it('need the action header and a same-origin request', async () => {
    const path = `/api/pipelines/${encodeURIComponent(running.id)}/pause`;
    expect((await post(open.url, path)).status).toBe(403);
    const host = new URL(open.url).host;
    expect((await post(open.url, path, { 'x-flink-tasks-action': 'pause', origin: 'http://evil.example' })).status).toBe(403);
    const ok = await post(open.url, path, { 'x-flink-tasks-action': 'pause', origin: `http://${host}` });
    expect([ok.status, JSON.parse(ok.body)]).toEqual([200, { ok: true, action: 'pause', status: 'PAUSED' }]);
    expect(client.actions).toContain(`pause ${running.id}`);
    await post(open.url, `/api/pipelines/${encodeURIComponent(running.id)}/unpause`, { 'x-flink-tasks-action': 'unpause' });
  });

  it('unknown ids are 404, refused actions 409, unknown actions 404', async () => {
    expect((await post(open.url, '/api/pipelines/nope/cancel', { 'x-flink-tasks-action': 'cancel' })).status).toBe(404);
    const refused = await post(open.url, `/api/pipelines/${encodeURIComponent(done.id)}/cancel`, { 'x-flink-tasks-action': 'cancel' });
    expect(refused.status).toBe(409);
    expect(JSON.parse(refused.body).error).toMatch(/^cancel refused: /);
    expect((await post(open.url, `/api/pipelines/${encodeURIComponent(done.id)}/explode`, { 'x-flink-tasks-action': 'explode' })).status).toBe(404);
  });

  it('are off without a token unless allowed on loopback', async () => {
    const plain = await serveDashboard(client);
    try {
      const r = await post(plain.url, `/api/pipelines/${encodeURIComponent(running.id)}/cancel`, { 'x-flink-tasks-action': 'cancel' });
      expect([r.status, JSON.parse(r.body).error]).toEqual([403, 'actions are off: start the dashboard with a token (or allowActions on 127.0.0.1)']);
      expect(JSON.parse((await call(plain.url, `/api/pipelines/${encodeURIComponent(done.id)}`)).body).actions).toBe(false);
    } finally {
      await plain.close();
    }
  });
});

describe('a token', () => {
  it('is needed for every page and API call', async () => {
    expect((await call(secured.url, '/')).status).toBe(401);
    expect((await call(secured.url, '/api/pipelines')).status).toBe(401);
    expect((await call(secured.url, '/api/pipelines', { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    expect((await call(secured.url, '/api/pipelines', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('in the address is traded for a same-site cookie', async () => {
    const r = await call(secured.url, `/?token=${TOKEN}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict; Path=\//);
    expect((await call(secured.url, '/', { headers: { cookie: cookie.split(';')[0] as string } })).status).toBe(200);
  });
});

describe('live updates', () => {
  it('stream snapshots while the pipeline runs and end when it finishes', async () => {
    const p = { pipelineId: 'streamed' };
    client.publish(created(p, bigGroup(3, 3)));
    const events: string[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      const req = request(new URL('/api/pipelines/streamed/events', open.url), (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          for (const m of chunk.matchAll(/event: (\w+)\ndata: (.*)\n/g))
            events.push(`${m[1]}:${(JSON.parse(m[2] as string) as { summary?: { status: string } }).summary?.status ?? ''}`);
        });
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 100));
    const evs: PipelineEvent[] = [status(p, 'RUNNING'), started(p, 1, 'a'), finished(p, 1, 'a'), status(p, 'COMPLETED')];
    for (const e of evs) {
      client.publish(e);
      await new Promise((r) => setTimeout(r, 40));
    }
    await ended;
    expect(events[0]).toBe('snapshot:PENDING');
    expect(events).toContain('snapshot:RUNNING');
    expect(events.slice(-2)).toEqual(['snapshot:COMPLETED', 'end:']);
    expect(client.pipelines.watching).toBeLessThanOrEqual(1);
  });
});
