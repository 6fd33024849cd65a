/**
 * Loads the StateFun functions (and with them the StateFun SDK and
 * google-protobuf) on demand, so that importing `flink-tasks` stays cheap
 * for code that only defines tasks and builds pipelines.
 *
 * The import is a literal relative path: bundlers (esbuild, webpack, Rollup)
 * follow it and put the functions into the bundle.
 *
 * @module
 */
import { describeThrown } from '../core/describe.js';
import type { FlinkTasks } from '../dsl/flink-tasks.js';
import type { FunctionServer, FunctionServerOptions } from '../statefun/function-server.js';

/** Imports the StateFun adapter and builds the functions of `tasks`; rejects with a clear error if the adapter cannot be loaded. */
export async function loadFunctionServer(tasks: FlinkTasks, options: FunctionServerOptions): Promise<FunctionServer> {
  let adapter: typeof import('../statefun/function-server.js');
  try {
    adapter = await import('../statefun/function-server.js');
  } catch (err) {
    throw new Error(
      `flink-tasks: the LocalRuntime could not load the StateFun functions and their SDK (apache-flink-statefun, a dependency of flink-tasks): ${describeThrown(err).message}`,
      { cause: err },
    );
  }
  return new adapter.FunctionServer(tasks, options);
}
