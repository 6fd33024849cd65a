/**
 * The web dashboard: a list of pipelines and a live page per pipeline,
 * served by node's own HTTP server from static files embedded in the package
 * (src/dashboard/static/, embedded by `npm run build` so that nothing is read
 * from disk and bundled applications work; no browser dependencies). Its
 * routes stay together, in one function, as the one place where each URL's
 * checks (host, token, origin) can be read; helpers are in `http.ts` and
 * `view.ts`.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PipelineObserver } from '../observe/pipeline-summary.js';
import type { TasksClient } from '../client/tasks-client.js';
import { isPipelineStatus, PIPELINE_STATUSES, type PipelineStatus } from '../core/status.js';
import { TaskError } from '../core/errors.js';
import { jsonLogger, type Logger } from '../core/log.js';
import { bracketed, cookieToken, COOKIE, HttpError, isLoopback, notFoundPage, page, sameSecret, SECURITY_HEADERS } from './http.js';
import { STATIC_ASSETS } from './static-assets.js';
import { pageDataOf, snapshotOf } from './view.js';

/**
 * Options of {@link serveDashboard}.
 *
 * @example
 * ```ts
 * const dashboard = await serveDashboard(client, { port: 8085, token: process.env.DASHBOARD_TOKEN });
 * ```
 */
export interface DashboardOptions {
  /** Port; default 0 (any free port: read it from `url`). */
  readonly port?: number;
  /** Interface to bind; default `127.0.0.1` (this machine only). */
  readonly host?: string;
  /**
   * A secret of at least 16 characters. When set, every page and API call
   * needs it (open `url`, which carries it once, then a same-site cookie
   * does), and the pause/unpause/cancel buttons work.
   */
  readonly token?: string;
  /**
   * Without a token, buttons are off unless this is true and `host` is a
   * loopback address (then anyone who can reach the port on this machine
   * can act). Default false.
   */
  readonly allowActions?: boolean;
  /** How often a pipeline page is sent fresh state at most, in ms; default 250. */
  readonly refreshMs?: number;
  /** Where request errors are logged; default warnings as JSON on stderr. */
  readonly logger?: Logger;
}

/**
 * A running dashboard.
 *
 * @example
 * ```ts
 * const { url, close } = await serveDashboard(client);
 * console.log(`open ${url}`);
 * process.once('SIGINT', () => void close());
 * ```
 */
export interface Dashboard {
  /** Where to open it (with the token, if one is set). */
  readonly url: string;
  /** Stops serving: open pages are disconnected. */
  close(): Promise<void>;
}

type Action = 'pause' | 'unpause' | 'cancel';
const MAX_STREAMS = 200;

/**
 * Serves the dashboard for `client`: the pipeline list (filters by status
 * and id, refreshed every 2 s) and a page per pipeline with its picture
 * coloured by live state (server-sent events), per-step timings, progress
 * bars, errors with stacks, child pipelines, its Mermaid text, and
 * pause/unpause/cancel buttons that call the client.
 *
 * Binds to 127.0.0.1 by default. Actions need the token, or (without one)
 * `allowActions` on a loopback host; a non-loopback host with
 * `allowActions` and no token is refused. Requests are checked for their
 * `Host` (against DNS rebinding) and actions for their `Origin` and a
 * custom header (against cross-site requests).
 *
 * @example
 * ```ts
 * const runtime = new LocalRuntime(tasks); // any TasksClient & PipelineObserver
 * const dashboard = await serveDashboard(runtime, { port: 8085 });
 * console.log(`dashboard at ${dashboard.url}`);
 * // …
 * await dashboard.close();
 * ```
 */
export async function serveDashboard(client: TasksClient & PipelineObserver, options: DashboardOptions = {}): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const token = options.token;
  const refreshMs = options.refreshMs ?? 250;
  const log = options.logger ?? jsonLogger('warn');
  if (typeof host !== 'string' || host.trim() === '') throw new TypeError('flink-tasks: serveDashboard host must be a non-empty string');
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new RangeError(`flink-tasks: serveDashboard port must be an integer from 0 to 65535, got ${String(port)}`);
  if (!Number.isFinite(refreshMs) || refreshMs < 10)
    throw new RangeError(`flink-tasks: serveDashboard refreshMs must be at least 10, got ${String(refreshMs)}`);
  if (token !== undefined && (typeof token !== 'string' || token.length < 16 || /\s/.test(token))) {
    throw new RangeError('flink-tasks: serveDashboard token must be at least 16 characters without spaces (e.g. crypto.randomBytes(24).toString("base64url"))');
  }
  if (options.allowActions && token === undefined && !isLoopback(host)) {
    throw new Error(
      `flink-tasks: serveDashboard refuses allowActions without a token on host '${host}': anyone who reaches it could cancel pipelines. Set a token, or bind to 127.0.0.1`,
    );
  }
  const actions = token !== undefined || (options.allowActions === true && isLoopback(host));
  const assets = new Map<string, { body: Buffer; etag: string; type: string }>();
  for (const [name, { type, text }] of Object.entries(STATIC_ASSETS)) {
    const body = Buffer.from(text, 'utf8');
    assets.set(name, { body, type, etag: `"${createHash('sha1').update(body).digest('base64url')}"` });
  }
  const streams = new Set<() => void>();
  let boundPort = port;

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...SECURITY_HEADERS, ...extra });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, value: unknown): void => {
    send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
  };

  const allowedHosts = (): Set<string> =>
    new Set([`${bracketed(host)}:${boundPort}`, `localhost:${boundPort}`, `127.0.0.1:${boundPort}`, `[::1]:${boundPort}`]);

  const authorised = (req: IncomingMessage, url: URL): boolean => {
    if (token === undefined) return true;
    const auth = req.headers.authorization;
    const given = auth?.startsWith('Bearer ') ? auth.slice(7) : (cookieToken(req) ?? url.searchParams.get('token') ?? undefined);
    return given !== undefined && sameSecret(given, token);
  };

  const decodeId = (raw: string): string => {
    try {
      const id = decodeURIComponent(raw);
      if (id === '' || id.length > 1024) throw new HttpError(400, 'a pipeline id must have 1 to 1024 characters');
      return id;
    } catch (e) {
      if (e instanceof HttpError) throw e;
      throw new HttpError(400, 'the pipeline id in the address is not valid percent-encoding');
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    const path = url.pathname;
    if (isLoopback(host) && !allowedHosts().has(req.headers.host ?? '')) {
      send(res, 421, 'text/plain; charset=utf-8', 'flink-tasks dashboard: unexpected Host header\n');
      return;
    }
    if (path.startsWith('/static/') && req.method === 'GET') {
      const asset = assets.get(path.slice('/static/'.length));
      if (!asset) {
        send(res, 404, 'text/plain; charset=utf-8', 'no such file\n');
        return;
      }
      if (req.headers['if-none-match'] === asset.etag) {
        res.writeHead(304, { etag: asset.etag });
        res.end();
        return;
      }
      send(res, 200, asset.type, asset.body, { etag: asset.etag, 'cache-control': 'no-cache' });
      return;
    }
    if (!authorised(req, url)) {
      if (path.startsWith('/api/')) json(res, 401, { error: 'this dashboard needs its token: open the address it printed (…?token=…)' });
      else
        send(
          res,
          401,
          'text/html; charset=utf-8',
          page(
            'token needed',
            '<section class="notfound"><h1>401 · token needed</h1><p>This dashboard was started with a token. Open the address it printed, which carries the token once.</p></section>',
            { page: 'notfound' },
          ),
        );
      return;
    }
    if (token !== undefined && req.method === 'GET' && url.searchParams.has('token') && !path.startsWith('/api/')) {
      // Trade the token in the address for a cookie, and drop it from the address bar.
      url.searchParams.delete('token');
      const query = url.searchParams.toString();
      res.writeHead(303, {
        location: `${path}${query ? `?${query}` : ''}`,
        'set-cookie': `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        ...SECURITY_HEADERS,
      });
      res.end();
      return;
    }
    if (req.method === 'POST') {
      const m = /^\/api\/pipelines\/([^/]+)\/(pause|unpause|cancel)$/.exec(path);
      if (!m) throw new HttpError(404, 'no such action');
      const id = decodeId(m[1] as string);
      const action = m[2] as Action;
      if (!actions) throw new HttpError(403, 'actions are off: start the dashboard with a token (or allowActions on 127.0.0.1)');
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) throw new HttpError(403, 'cross-site action refused');
      if (req.headers['x-flink-tasks-action'] !== action) throw new HttpError(403, `an action needs the header X-Flink-Tasks-Action: ${action}`);
      try {
        await client[action](id);
      } catch (e) {
        if (e instanceof TaskError && e.errorType === 'PipelineNotFound') throw new HttpError(404, `no pipeline with id '${id}'`);
        if (e instanceof TaskError) throw new HttpError(409, `${action} refused: ${e.message}`);
        throw e;
      }
      const status = await client.status(id).catch(() => undefined);
      json(res, 200, { ok: true, action, ...(status ? { status } : {}) });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'only GET and POST');
    if (path === '/') {
      send(res, 200, 'text/html; charset=utf-8', page('pipelines', '', { page: 'list', statuses: PIPELINE_STATUSES.join(',') }));
      return;
    }
    const pageMatch = /^\/pipelines\/([^/]+)$/.exec(path);
    if (pageMatch) {
      const id = decodeId(pageMatch[1] as string);
      if (!(await client.inspect(id))) {
        send(
          res,
          404,
          'text/html; charset=utf-8',
          notFoundPage(
            'unknown pipeline',
            `No pipeline with id “${id}” has been seen. It may not exist, may have been submitted before this dashboard's client started listening, or may have been dropped from its memory (it keeps the most recent pipelines).`,
          ),
        );
        return;
      }
      send(res, 200, 'text/html; charset=utf-8', page(id, '', { page: 'pipeline', id }));
      return;
    }
    if (path === '/api/pipelines') {
      const limitText = url.searchParams.get('limit') ?? '100';
      const limit = Number(limitText);
      if (!/^\d+$/.test(limitText) || limit < 1 || limit > 10_000) throw new HttpError(400, 'limit must be a whole number from 1 to 10000');
      const status = (url.searchParams.get('status') ?? '').split(',').filter((s) => s !== '');
      for (const s of status) if (!isPipelineStatus(s)) throw new HttpError(400, `unknown status '${s}'`);
      const list = await client.list({
        limit,
        includeBranches: url.searchParams.get('all') === '1',
        ...(status.length > 0 ? { status: status as PipelineStatus[] } : {}),
      });
      json(res, 200, { pipelines: list, now: Date.now() });
      return;
    }
    const apiMatch = /^\/api\/pipelines\/([^/]+)(\/events)?$/.exec(path);
    if (apiMatch) {
      const id = decodeId(apiMatch[1] as string);
      const view = await client.inspect(id);
      if (!view) throw new HttpError(404, `no pipeline with id '${id}' has been seen`);
      if (!apiMatch[2]) {
        json(res, 200, pageDataOf(view, Date.now(), actions));
        return;
      }
      if (streams.size >= MAX_STREAMS) throw new HttpError(503, 'too many open pipeline pages');
      stream(id, req, res);
      return;
    }
    send(res, 404, 'text/html; charset=utf-8', notFoundPage('no such page', `There is nothing at ${path}.`));
  };

  /** Server-sent events: a snapshot now, then at most every `refreshMs` while events come, then `end`. */
  const stream = (id: string, req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', ...SECURITY_HEADERS });
    res.write('retry: 2000\n\n');
    const iterator = client.watch(id)[Symbol.asyncIterator]();
    let dirty = true;
    let busy = false;
    let closed = false;
    let lastWrite = Date.now();
    const push = async (): Promise<void> => {
      if (busy || closed) return;
      busy = true;
      dirty = false;
      try {
        const view = await client.inspect(id);
        if (view && !closed) {
          res.write(`event: snapshot\ndata: ${JSON.stringify(snapshotOf(view, Date.now()))}\n\n`);
          lastWrite = Date.now();
        }
      } catch (e) {
        log({ level: 'warn', message: 'dashboard: a pipeline snapshot failed', fields: { pipelineId: id, error: String(e) } });
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => {
      if (dirty) void push();
      else if (Date.now() - lastWrite > 15_000) {
        res.write(': ping\n\n');
        lastWrite = Date.now();
      }
    }, refreshMs);
    const stop = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      streams.delete(stop);
      void iterator.return?.();
      res.end();
    };
    streams.add(stop);
    req.on('close', stop);
    void push();
    void (async () => {
      try {
        for (;;) {
          const r = await iterator.next();
          if (r.done || closed) break;
          dirty = true;
        }
      } catch (e) {
        log({ level: 'warn', message: 'dashboard: watching a pipeline failed', fields: { pipelineId: id, error: String(e) } });
      }
      if (closed) return;
      while (busy) await new Promise((r) => setTimeout(r, 5));
      await push();
      if (!closed) res.write('event: end\ndata: {}\n\n');
      stop();
    })();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (e instanceof HttpError) {
        if (req.url?.startsWith('/api/')) json(res, e.status, { error: e.message });
        else send(res, e.status, 'text/html; charset=utf-8', notFoundPage(String(e.status), e.message));
        return;
      }
      log({ level: 'error', message: 'dashboard: a request failed', fields: { url: req.url, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } });
      json(res, 500, { error: 'the dashboard failed to answer (see its log)' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  boundPort = (server.address() as AddressInfo).port;
  const url = `http://${bracketed(host)}:${boundPort}/${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const stop of [...streams]) stop();
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
