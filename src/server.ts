/**
 * Serving the pipeline and worker functions to Apache Flink StateFun: the
 * entry point of a worker process. A separate entry point, because it loads
 * the StateFun SDK (with google-protobuf) and Node's HTTP server, which code
 * that only defines tasks, builds pipelines or runs them on the
 * `LocalRuntime` does not need at import time.
 *
 * @example
 * ```ts
 * import { serve } from 'flink-tasks/server';
 * const served = await serve(tasks, { host: '0.0.0.0', port: 8000 });
 * console.log(`functions at ${served.url}`);
 * ```
 *
 * @module flink-tasks/server
 */
export { serve, type ServeOptions, type ServedFunctions } from './statefun/serve.js';
export { FunctionServer, type FunctionServerOptions } from './statefun/function-server.js';
