/**
 * Serving the StateFun functions over HTTP, for Apache Flink to call.
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DEFAULT_MAX_REQUEST_BYTES } from '../core/limits.js';
import { jsonLogger, type Logger } from '../core/log.js';
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
   * are read); default 128 MiB, above a batch of 100 results at the default
   * limits plus a pipeline's state.
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
  const server = createServer({ connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs) }, (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== path) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`flink-tasks: POST ${path} only\n`);
      return;
    }
    readBody(req, maxBytes, logger).then(
      (body) => {
        if (body === undefined) {
          res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' }).end(`flink-tasks: request body larger than ${maxBytes} bytes (serve's maxRequestBytes)\n`);
          req.destroy();
          return;
        }
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
  const port = typeof address === 'object' && address ? address.port : options.port ?? 8000;
  return {
    server,
    functions,
    url: `http://${host}:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/**
 * Reads a request body into one buffer, refusing more than `maxBytes`:
 * `undefined` when the declared or actual length is larger (nothing more is
 * buffered then).
 */
function readBody(req: IncomingMessage, maxBytes: number, logger: Logger): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve(undefined);
  return new Promise<Buffer | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.byteLength;
      if (size > maxBytes) {
        refused = true;
        chunks.length = 0;
        logger({ level: 'warn', message: 'refused a request body over maxRequestBytes', fields: { maxBytes } });
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (!refused) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
  });
}
