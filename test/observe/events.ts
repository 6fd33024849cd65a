/** Builders of pipeline events for tests: what a runtime would publish. */
import type { ErrorInfo, PipelineEvent, PipelineOrigin } from '../../src/observe/pipeline-events.js';
import type { PipelineStatus } from '../../src/core/status.js';
import type { PipelineShape, ShapeEntry } from '../../src/ir/shape.js';

export interface Where {
  readonly pipelineId: string;
  readonly rootPipelineId?: string;
  readonly parentPipelineId?: string;
}

let clock = 1_700_000_000_000;
/** A strictly increasing time. */
export const tick = (): number => ++clock;

const base = (w: Where, time: number) => ({
  time,
  pipelineId: w.pipelineId,
  rootPipelineId: w.rootPipelineId ?? w.pipelineId,
  ...(w.parentPipelineId === undefined ? {} : { parentPipelineId: w.parentPipelineId }),
});

const countTasks = (s: PipelineShape): number =>
  s.entries.reduce(
    (n, e: ShapeEntry) =>
      n +
      (e.kind === 'task'
        ? 1
        : e.branches.length === e.branchCount
          ? e.branches.reduce((m, b) => m + countTasks(b), 0)
          : e.branchCount * countTasks(e.branches[0] ?? { entries: [] })),
    0,
  );

export const created = (
  w: Where,
  shape: PipelineShape,
  origin: PipelineOrigin = 'submitted',
  time = tick(),
  extra: Record<string, unknown> = {},
): PipelineEvent => ({ ...base(w, time), kind: 'pipelineCreated', origin, shape, taskCount: countTasks(shape), ...extra });

export const status = (w: Where, s: PipelineStatus, error?: ErrorInfo, time = tick()): PipelineEvent => ({
  ...base(w, time),
  kind: 'statusChanged',
  status: s,
  ...(error ? { error } : {}),
});

const task = (w: Where, uid: number, name: string, attempt: number) => ({ uid, taskName: name, displayName: name, attempt });

export const started = (w: Where, uid: number, name = 'task', attempt = 0, time = tick()): PipelineEvent => ({
  ...base(w, time),
  kind: 'taskStarted',
  ...task(w, uid, name, attempt),
});

export const finished = (w: Where, uid: number, name = 'task', error?: ErrorInfo, time = tick()): PipelineEvent => ({
  ...base(w, time),
  kind: 'taskFinished',
  ...task(w, uid, name, 0),
  outcome: error ? 'failed' : 'succeeded',
  ...(error ? { error } : {}),
});

export const retried = (w: Where, uid: number, name: string, error: ErrorInfo, attempt = 0, time = tick()): PipelineEvent => ({
  ...base(w, time),
  kind: 'taskRetried',
  ...task(w, uid, name, attempt),
  delayMs: 10,
  error,
});

export const progress = (w: Where, uid: number, name: string, fraction: number, message?: string, time = tick()): PipelineEvent => ({
  ...base(w, time),
  kind: 'taskProgress',
  ...task(w, uid, name, 0),
  fraction,
  ...(message === undefined ? {} : { message }),
});

export const skipped = (w: Where, uids: number[], time = tick()): PipelineEvent => ({ ...base(w, time), kind: 'tasksSkipped', uids });

export const boom = (message = 'boom', taskName = 'task'): ErrorInfo => ({
  errorType: 'Error',
  message,
  stack: `Error: ${message}\n    at task (tasks.ts:1:1)`,
  taskName,
});

/** A shape: `t(uid, name)` tasks and `g(uid, branches, count?)` groups. */
export const t = (uid: number, name = 'task', role: 'task' | 'exceptionally' | 'finally' = 'task'): ShapeEntry => ({
  kind: 'task',
  uid,
  taskName: name,
  displayName: name,
  role,
});
export const g = (uid: number, branches: ShapeEntry[][], branchCount = branches.length): ShapeEntry => ({
  kind: 'group',
  uid,
  branchCount,
  branches: branches.map((entries) => ({ entries })),
  ordered: true,
  returnExceptions: false,
  maxParallelism: 0,
});
export const shape = (...entries: ShapeEntry[]): PipelineShape => ({ entries });

/** A uniform group of `count` branches `[a, b]` starting at uid `first`, cut to `kept` branches, then `sum`. */
export function bigGroup(count: number, kept = 64, first = 0): PipelineShape {
  const branches: ShapeEntry[][] = [];
  for (let i = 0; i < Math.min(kept, count); i++) branches.push([t(first + 1 + 2 * i, 'a'), t(first + 2 + 2 * i, 'b')]);
  return shape(g(first, branches, count), t(first + 1 + 2 * count, 'sum'));
}
