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
