/**
 * What binding a task records: the function and its options. Internal.
 *
 * @module
 */
import { PipelineError } from '../core/errors.js';
import type { RetryPolicyNode } from '../ir/nodes.js';

/**
 * Everything known about a bound task (what `FlinkTasks.task(name)` returns).
 *
 * @example
 * ```ts
 * const d: TaskDescriptor | undefined = tasks.task('multiply');
 * d?.namespace; // 'example'
 * d?.withState; // false
 * ```
 */
export interface TaskDescriptor {
  /** The name it was bound under. */
  readonly name: string;
  /** Worker namespace. */
  readonly namespace: string;
  /** Worker function name. */
  readonly workerName: string;
  /** Retry policy, if any. */
  readonly retry: RetryPolicyNode | undefined;
  /** Fixed function id, if any. */
  readonly taskId: string | undefined;
  /** Display name, if any. */
  readonly displayName: string | undefined;
  /** Receives the pipeline state first. */
  readonly withState: boolean;
  /** Receives a TaskContext first. */
  readonly withContext: boolean;
  /** Longest one call may run, in ms, if limited. */
  readonly timeoutMs: number | undefined;
  /** The original function, untyped. */
  readonly fn: (...args: unknown[]) => unknown;
  /**
   * The original function's `length`: its parameters before the first default
   * or rest one (context and state included), so the fewest arguments a call
   * can be right with.
   */
  readonly arity: number;
}

/** Where a bound task keeps its descriptor. */
export const descriptorKey: unique symbol = Symbol.for('flink-tasks.task');

function isDescriptor(value: unknown): value is TaskDescriptor {
  return typeof value === 'object' && value !== null && registries.has(value);
}

/** The registry (FlinkTasks) each descriptor was bound on; kept out of the public descriptor. */
const registries = new WeakMap<object, object>();

/** Records that `d` was bound on `registry`. */
export function recordRegistry(d: TaskDescriptor, registry: object): void {
  registries.set(d, registry);
}

/** The registry `d` was bound on (the descriptor itself if unknown, i.e. a registry of its own). */
export function registryOf(d: TaskDescriptor): object {
  return registries.get(d) ?? d;
}

/** The descriptor of a bound task, or a clear error naming `where` it was misused. */
export function descriptorOf(task: unknown, where: string): TaskDescriptor {
  const d: unknown = typeof task === 'function' ? Reflect.get(task, descriptorKey) : undefined;
  if (!isDescriptor(d)) {
    throw new PipelineError(
      `${where} expects a task bound with tasks.bind(...), got ${typeof task === 'function' ? `the unbound function ${task.name || '(anonymous)'}` : typeof task}`,
    );
  }
  return d;
}
