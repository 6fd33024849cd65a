/**
 * Serving the StateFun functions over HTTP, for Apache Flink to call.
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FlinkTasks } from '../dsl/flink-tasks.js';
import { jsonLogger } from '../core/log.js';
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
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== path) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`flink-tasks: POST ${path} only\n`);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', (err) => logger({ level: 'warn', message: 'request stream failed', fields: { error: String(err) } }));
    req.on('end', () => {
      functions.handle(Buffer.concat(chunks)).then(
        (out) => {
          res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': out.byteLength }).end(out);
        },
        (err: unknown) => {
          logger({ level: 'error', message: 'function call failed', fields: { error: String(err) } });
          res.writeHead(500, { 'Content-Type': 'application/octet-stream' }).end();
        },
      );
    });
  });
  server.keepAliveTimeout = 20_000;
  server.headersTimeout = 25_000;
  server.requestTimeout = 0;
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
