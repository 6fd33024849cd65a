/**
 * What binding a task records: the function and its options. Internal.
 *
 * @module
 */
import { PipelineError } from '../errors.js';
import type { RetryPolicyNode } from '../ir/nodes.js';

/** Everything known about a bound task. */
export interface TaskDescriptor {
  readonly name: string;
  readonly namespace: string;
  readonly workerName: string;
  readonly retry: RetryPolicyNode | undefined;
  readonly taskId: string | undefined;
  readonly displayName: string | undefined;
  readonly withState: boolean;
  readonly withContext: boolean;
  /** The original function, untyped. */
  readonly fn: (...args: unknown[]) => unknown;
}

/** Where a bound task keeps its descriptor. */
export const descriptorKey: unique symbol = Symbol.for('flink-tasks.task');

/** The descriptor of a bound task, or a clear error naming `where` it was misused. */
export function descriptorOf(task: unknown, where: string): TaskDescriptor {
  const d = typeof task === 'function' ? (task as unknown as { [descriptorKey]?: TaskDescriptor })[descriptorKey] : undefined;
  if (d === undefined) {
    throw new PipelineError(`${where} expects a task bound with tasks.bind(...), got ${typeof task === 'function' ? `the unbound function ${task.name || '(anonymous)'}` : typeof task}`);
  }
  return d;
}
