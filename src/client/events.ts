/**
 * Readable pipeline events from their wire form (see `pipeline-events.ts`).
 *
 * @module
 */
import type { PipelineShape, ShapeEntry } from '../ir/shape.js';
import { PipelineOrigin, type Event, type PipelineInfo, type TaskEvent, type TaskException } from '../wire/generated/flinktasks.js';
import { statusNameOf } from '../wire/status.js';
import type {
  ErrorInfo,
  PipelineEvent,
  PipelineEventBase,
  PipelineOrigin as Origin,
  TaskEventBase,
  TaskFinishedEvent,
  TaskStartedEvent,
} from '../observe/pipeline-events.js';

const ORIGINS: Readonly<Record<number, Origin>> = {
  [PipelineOrigin.SUBMITTED]: 'submitted',
  [PipelineOrigin.ORCHESTRATOR]: 'orchestrator',
  [PipelineOrigin.BRANCH]: 'branch',
};

/** An error as events carry it. */
export function errorInfo(e: TaskException): ErrorInfo {
  return {
    errorType: e.exceptionType,
    message: e.exceptionMessage,
    ...(e.stacktrace ? { stack: e.stacktrace } : {}),
    ...(e.taskName ? { taskName: e.taskName } : {}),
  };
}

/** The shape carried by a created event. */
export function shapeFromInfo(info: PipelineInfo): PipelineShape {
  return {
    entries: info.entries.flatMap((e): ShapeEntry[] => {
      const entry = e.entry;
      if (entry?.$case === 'taskEntry') {
        const t = entry.value;
        return [
          {
            kind: 'task',
            uid: t.taskUid,
            taskName: t.taskName,
            displayName: t.displayName || t.taskName,
            role: t.isFinally ? 'finally' : t.isExceptionally ? 'exceptionally' : 'task',
          },
        ];
      }
      if (entry?.$case === 'groupEntry') {
        const g = entry.value;
        return [
          {
            kind: 'group',
            uid: g.groupId,
            branchCount: g.branchCount,
            branches: g.group.map(shapeFromInfo),
            ordered: !g.isUnordered,
            returnExceptions: g.returnExceptions,
            maxParallelism: g.maxParallelism,
          },
        ];
      }
      return [];
    }),
  };
}

function taskBase(base: PipelineEventBase, t: TaskEvent): TaskEventBase {
  return { ...base, uid: t.uid, branch: t.branch, taskName: t.taskName, displayName: t.displayName || t.taskName, attempt: t.attempt };
}

/**
 * The two events every task makes, built as literals (the same fields, in
 * the same order, as the spreads of the other kinds): they are the bulk of
 * the events of a large group.
 */
function taskStarted(event: Event, t: TaskEvent): TaskStartedEvent {
  const rootPipelineId = event.rootPipelineId || event.pipelineId;
  const displayName = t.displayName || t.taskName;
  return event.parentPipelineId
    ? {
        time: event.time,
        pipelineId: event.pipelineId,
        rootPipelineId,
        parentPipelineId: event.parentPipelineId,
        uid: t.uid,
        branch: t.branch,
        taskName: t.taskName,
        displayName,
        attempt: t.attempt,
        kind: 'taskStarted',
      }
    : {
        time: event.time,
        pipelineId: event.pipelineId,
        rootPipelineId,
        uid: t.uid,
        branch: t.branch,
        taskName: t.taskName,
        displayName,
        attempt: t.attempt,
        kind: 'taskStarted',
      };
}

function taskSucceeded(event: Event, t: TaskEvent): TaskFinishedEvent {
  const rootPipelineId = event.rootPipelineId || event.pipelineId;
  const displayName = t.displayName || t.taskName;
  return event.parentPipelineId
    ? {
        time: event.time,
        pipelineId: event.pipelineId,
        rootPipelineId,
        parentPipelineId: event.parentPipelineId,
        uid: t.uid,
        branch: t.branch,
        taskName: t.taskName,
        displayName,
        attempt: t.attempt,
        kind: 'taskFinished',
        outcome: 'succeeded',
      }
    : {
        time: event.time,
        pipelineId: event.pipelineId,
        rootPipelineId,
        uid: t.uid,
        branch: t.branch,
        taskName: t.taskName,
        displayName,
        attempt: t.attempt,
        kind: 'taskFinished',
        outcome: 'succeeded',
      };
}

/** The readable form of a wire event; `undefined` for a kind this version does not know. */
export function toPipelineEvent(event: Event): PipelineEvent | undefined {
  const hot = event.event;
  if (hot?.$case === 'taskStarted') return taskStarted(event, hot.value);
  if (hot?.$case === 'taskFinished' && !hot.value.error) return taskSucceeded(event, hot.value);
  const base: PipelineEventBase = {
    time: event.time,
    pipelineId: event.pipelineId,
    rootPipelineId: event.rootPipelineId || event.pipelineId,
    ...(event.parentPipelineId ? { parentPipelineId: event.parentPipelineId } : {}),
  };
  const e = event.event;
  switch (e?.$case) {
    case 'pipelineCreated':
      return {
        ...base,
        kind: 'pipelineCreated',
        origin: ORIGINS[e.value.origin] ?? 'submitted',
        shape: shapeFromInfo(e.value.pipeline ?? { entries: [] }),
        taskCount: e.value.taskCount,
      };
    case 'pipelineStatusChanged': {
      const status = statusNameOf(e.value.status?.value ?? -1);
      if (status === undefined) return undefined;
      return { ...base, kind: 'statusChanged', status, ...(e.value.error ? { error: errorInfo(e.value.error) } : {}) };
    }
    case 'pipelineTasksSkipped':
      return { ...base, kind: 'tasksSkipped', uids: e.value.tasks.map((t) => t.taskUid) };
    case 'taskStarted':
      return { ...taskBase(base, e.value), kind: 'taskStarted' };
    case 'taskFinished':
      return {
        ...taskBase(base, e.value),
        kind: 'taskFinished',
        outcome: e.value.error ? 'failed' : 'succeeded',
        ...(e.value.error ? { error: errorInfo(e.value.error) } : {}),
      };
    case 'taskRetried':
      return {
        ...taskBase(base, e.value),
        kind: 'taskRetried',
        delayMs: e.value.delayMs,
        error: e.value.error ? errorInfo(e.value.error) : { errorType: 'Error', message: '' },
      };
    case 'taskProgress':
      return { ...taskBase(base, e.value), kind: 'taskProgress', fraction: e.value.fraction, ...(e.value.message ? { message: e.value.message } : {}) };
    default:
      return undefined;
  }
}
