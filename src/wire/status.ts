/**
 * Pipeline status codes on the wire and their names.
 *
 * @module
 */
import type { PipelineStatus } from '../core/status.js';
import { TaskStatus_Status as Status } from './generated/flinktasks.js';

export { Status };

const NAMES: Readonly<Record<number, PipelineStatus>> = {
  [Status.PENDING]: 'PENDING',
  [Status.RUNNING]: 'RUNNING',
  [Status.PAUSED]: 'PAUSED',
  [Status.COMPLETED]: 'COMPLETED',
  [Status.FAILED]: 'FAILED',
  [Status.CANCELLING]: 'CANCELLING',
  [Status.CANCELLED]: 'CANCELLED',
};

/** The name of a status code; `undefined` for a code this version does not know. */
export function statusNameOf(code: number): PipelineStatus | undefined {
  return NAMES[code];
}

/** Statuses of a pipeline that has not ended. */
export const ACTIVE_STATUSES: ReadonlySet<number> = new Set([Status.PENDING, Status.RUNNING, Status.PAUSED, Status.CANCELLING]);
