/**
 * Whether a pipeline event is well formed: events come from other processes
 * (Kafka, a dashboard's stream), so nothing of them is trusted before this.
 *
 * @module
 */
import { isPipelineStatus } from '../core/status.js';
import type { PipelineEvent } from './pipeline-events.js';

const KINDS: ReadonlySet<string> = new Set<PipelineEvent['kind']>([
  'pipelineCreated',
  'statusChanged',
  'taskStarted',
  'taskFinished',
  'taskRetried',
  'taskProgress',
  'tasksSkipped',
]);
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Whether `e` has the fields its kind promises, of the right types. */
export function wellFormedEvent(e: PipelineEvent): boolean {
  if (typeof e !== 'object' || e === null || !KINDS.has(e.kind)) return false;
  if (typeof e.pipelineId !== 'string' || e.pipelineId === '' || typeof e.rootPipelineId !== 'string' || !isFiniteNumber(e.time)) return false;
  if (e.parentPipelineId !== undefined && typeof e.parentPipelineId !== 'string') return false;
  switch (e.kind) {
    case 'pipelineCreated':
      return (
        (e.origin === 'submitted' || e.origin === 'orchestrator' || e.origin === 'branch') &&
        typeof e.shape === 'object' &&
        e.shape !== null &&
        Array.isArray(e.shape.entries) &&
        isFiniteNumber(e.taskCount)
      );
    case 'statusChanged':
      return isPipelineStatus(e.status);
    case 'tasksSkipped':
      return Array.isArray(e.uids);
    default:
      return Number.isSafeInteger(e.uid) && Number.isSafeInteger(e.attempt) && typeof e.taskName === 'string';
  }
}
