/**
 * The statuses of a pipeline, by name.
 *
 * @module
 */

/**
 * The status of a pipeline.
 *
 * @example
 * ```ts
 * const status: PipelineStatus = await runtime.status(job);
 * if (status === 'PAUSED') await runtime.unpause(job);
 * ```
 */
export type PipelineStatus = 'PENDING' | 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'FAILED' | 'CANCELLING' | 'CANCELLED';

/** Every pipeline status (the order help texts and filters list them in). */
export const PIPELINE_STATUSES: readonly PipelineStatus[] = Object.freeze(['PENDING', 'RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'CANCELLING', 'CANCELLED']);

const FINAL: ReadonlySet<string> = new Set<PipelineStatus>(['COMPLETED', 'FAILED', 'CANCELLED']);
const KNOWN: ReadonlySet<string> = new Set<string>(PIPELINE_STATUSES);

/** Whether `status` is final: the pipeline has ended and its status will not change. */
export function isFinalStatus(status: PipelineStatus): boolean {
  return FINAL.has(status);
}

/** Whether `value` names a pipeline status. */
export function isPipelineStatus(value: unknown): value is PipelineStatus {
  return typeof value === 'string' && KNOWN.has(value);
}
