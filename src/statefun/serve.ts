/**
 * Serving the StateFun functions over HTTP, for Apache Flink to call.
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DEFAULT_MAX_REQUEST_BYTES } from '../core/limits.js';
import { jsonLogger } from '../core/log.js';
import type { FlinkTasks } from '../dsl/flink-tasks.js';
import { FunctionServer, type FunctionServerOptions } from './function-server.js';

/**
 * Options of {@link serve}.
 *
 * @example
 * ```ts
 * const served = await serve(tasks, { host: '0.0.0.0', port: 8000, path: '/statefun', logger: jsonLogger('info') });
 * ```
 */
export interface ServeOptions extends FunctionServerOptions {
  /** Port to listen on; default 8000. */
  readonly port?: number;
  /** Interface to bind; default `127.0.0.1` (use `0.0.0.0` in a container). */
  readonly host?: string;
  /** URL path Flink calls (`urlPathTemplate` in module.yaml); default `/statefun`. */
  readonly path?: string;
  /**
   * Largest request body accepted, in bytes (larger ones get 413 before they
   * are read; a body must declare its length, or it gets 411); default 128 MiB,
   * above a batch of 100 results at the default limits plus a pipeline's state.
   */
  readonly maxRequestBytes?: number;
  /** Longest a client may take to send a whole request (408 after); default 60 s. */
  readonly requestTimeoutMs?: number;
}

/**
 * A running function endpoint.
 *
 * @example
 * ```ts
 * const served: ServedFunctions = await serve(tasks, { port: 8000 });
 * console.log(served.url, served.functions.functionTypes); // http://127.0.0.1:8000/statefun [ 'example/pipeline', 'example/worker' ]
 * await served.close();
 * ```
 */
export interface ServedFunctions {
  /** The Node HTTP server. */
  readonly server: Server;
  /** The functions behind it. */
  readonly functions: FunctionServer;
  /** The URL Flink should call. */
  readonly url: string;
  /** Stops accepting calls and closes idle connections. */
  close(): Promise<void>;
}

/** How long a refused request's body is still read and dropped, so that its sender reads the refusal. */
const REFUSED_BODY_LINGER_MS = 10_000;
/** How much of a refused request's body is read and dropped before reading stops (bounded memory per refusal). */
const REFUSED_BODY_DRAIN_BYTES = 1024 * 1024;

/**
 * Serves the pipeline and worker functions of `tasks` over HTTP, with
 * keep-alive longer than StateFun's connection pool TTL (15 s).
 *
 * @example
 * ```ts
 * const served = await serve(tasks, { port: 8000, host: '0.0.0.0' });
 * console.log(`functions at ${served.url}`);
 * ```
 */
export async function serve(tasks: FlinkTasks, options: ServeOptions = {}): Promise<ServedFunctions> {
  const logger = options.logger ?? jsonLogger('warn');
  const functions = new FunctionServer(tasks, { ...options, logger });
  const path = options.path ?? '/statefun';
  const maxBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const lingerMs = Math.min(REFUSED_BODY_LINGER_MS, requestTimeoutMs);
  const refuse = (res: ServerResponse, req: IncomingMessage, status: 411 | 413, text: string): void => {
    if (req.complete) {
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(`flink-tasks: ${text}\n`);
      req.resume();
      return;
    }
    // The body is not read, so the connection cannot serve another request:
    // `Connection: close`. But Node would then destroy the socket as soon as
    // the answer is written, and a sender still writing its body would get a
    // reset, which can drop the answer unread. So this socket only
    // half-closes (FIN after the answer); the body is read and dropped up to
    // `REFUSED_BODY_DRAIN_BYTES`, then reading stops (the sender's writes
    // stall while it reads the answer), and after `lingerMs` the connection
    // is closed.
    const socket = req.socket;
    socket.destroySoon = () => {
      socket.end();
    };
    res.writeHead(status, { 'Content-Type': 'text/plain', Connection: 'close' }).end(`flink-tasks: ${text}\n`);
    const linger = setTimeout(() => socket.destroy(), lingerMs);
    linger.unref();
    let drained = 0;
    req.on('data', (chunk: Buffer) => {
      drained += chunk.byteLength;
      if (drained > REFUSED_BODY_DRAIN_BYTES) req.pause();
    });
    socket.once('close', () => {
      clearTimeout(linger);
    });
  };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== path) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`flink-tasks: POST ${path} only\n`);
      return;
    }
    // StateFun always declares the length of its calls; a body without one would have to be buffered to know.
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (!Number.isSafeInteger(declared) || declared < 0) {
      refuse(res, req, 411, 'a Content-Length is required');
      return;
    }
    if (declared > maxBytes) {
      refuse(res, req, 413, `request body of ${declared} bytes is larger than ${maxBytes} (serve's maxRequestBytes)`);
      return;
    }
    readBody(req, declared).then(
      (body) => {
        functions.handle(body).then(
          (out) => {
            res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': out.byteLength }).end(out);
          },
          (err: unknown) => {
            logger({ level: 'warn', message: 'refused a request that is not a StateFun call', fields: { bytes: body.byteLength, error: String(err) } });
            res.writeHead(400, { 'Content-Type': 'text/plain' }).end('flink-tasks: the body is not a StateFun request-reply call\n');
          },
        );
      },
      (err: unknown) => {
        logger({ level: 'warn', message: 'request stream failed', fields: { error: String(err) } });
        if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/plain' }).end();
      },
    );
  };
  const server = createServer({ connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs) }, handle);
  // A client asking before it sends (Expect: 100-continue) hears at once that its body is too large.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isSafeInteger(declared) && declared > maxBytes) {
      res
        .writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' })
        .end(`flink-tasks: request body of ${declared} bytes is larger than ${maxBytes}\n`);
      return;
    }
    res.writeContinue();
    handle(req, res);
  });
  server.keepAliveTimeout = 20_000;
  server.headersTimeout = Math.min(25_000, requestTimeoutMs);
  server.requestTimeout = requestTimeoutMs;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8000, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8000);
  const url = `http://${host}:${port}${path}`;
  logger({
    level: 'info',
    message: 'flink-tasks worker started',
    fields: { url, functions: functions.functionTypes, background: options.resultSink !== undefined },
  });
  let closing: Promise<void> | undefined;
  return {
    server,
    functions,
    url,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          logger({ level: 'info', message: 'flink-tasks worker stopped', fields: { url } });
          resolve();
        });
        server.closeIdleConnections();
      })),
  };
}

/** Reads a request body of the declared `length` bytes into one preallocated buffer (no more is kept). */
function readBody(req: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const body = Buffer.allocUnsafe(length);
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size + chunk.byteLength > length) {
        req.destroy(new Error(`the body is longer than its Content-Length (${length})`));
        return;
      }
      chunk.copy(body, size);
      size += chunk.byteLength;
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size === length) resolve(body);
      else reject(new Error(`the body ended after ${size} of ${length} bytes`));
    });
  });
}
