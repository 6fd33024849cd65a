/**
 * What a {@link FunctionServer} serves, worked out and checked without the
 * StateFun SDK: the function types, the limits, the routes. The local
 * runtime uses it to check its options and register the function types
 * synchronously while it loads the SDK lazily.
 *
 * @module
 */
import { resolveLimits, type Limits } from '../core/limits.js';
import { Routes, type RoutesOptions } from '../core/routes.js';
import { REPLIES_EGRESS } from '../core/topics.js';
import type { FlinkTasks } from '../dsl/flink-tasks.js';

/** The options a plan depends on (a subset of `FunctionServerOptions`). */
export interface FunctionsPlanOptions {
  readonly repliesEgress?: string | undefined;
  readonly events?: { readonly egress: string } | undefined;
  readonly deadLetters?: { readonly egress: string } | undefined;
  readonly cancellations?: { readonly egress: string } | undefined;
  readonly limits?: Partial<Limits> | undefined;
  readonly routes?: RoutesOptions | undefined;
}

/** The functions of one registry and the checked settings they run with. */
export interface FunctionsPlan {
  /** Typename of the pipeline function. */
  readonly pipelineType: string;
  /** Typenames of the worker functions. */
  readonly workerTypes: readonly string[];
  /** Every function type: the pipeline function's first. */
  readonly functionTypes: readonly string[];
  readonly limits: Limits;
  readonly repliesEgress: string;
  readonly routes: Routes;
}

/** Works out what `tasks` serves; throws on options that are out of range. */
export function planFunctions(tasks: FlinkTasks, options: FunctionsPlanOptions): FunctionsPlan {
  const limits = resolveLimits(options.limits);
  const pipelineType = `${tasks.namespace}/${tasks.pipelineName}`;
  const workers = new Set<string>([`${tasks.namespace}/${tasks.workerName}`]);
  for (const name of tasks.taskNames) {
    const d = tasks.task(name);
    if (d) workers.add(`${d.namespace}/${d.workerName}`);
  }
  const functionTypes = [pipelineType, ...workers];
  const repliesEgress = options.repliesEgress ?? REPLIES_EGRESS;
  const egresses = [repliesEgress, options.events?.egress, options.deadLetters?.egress, options.cancellations?.egress].filter(
    (e): e is string => e !== undefined,
  );
  const routes = new Routes(functionTypes, egresses, options.routes);
  return { pipelineType, workerTypes: [...workers], functionTypes, limits, repliesEgress, routes };
}
