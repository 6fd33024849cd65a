/**
 * A LocalRuntime that can be observed, for tests of the dashboard and the
 * CLI until the runtime publishes readable events itself: its wire events
 * and worker hooks are turned into `PipelineEvent`s and fed to a
 * `PipelineIndex`. Test-only; the real wiring lives in the runtime.
 */
import type { ErrorInfo, PipelineEvent, PipelineOrigin } from '../../src/client/pipeline-events.js';
import type { ListOptions, PipelineObserver, PipelineSummary, PipelineView } from '../../src/client/pipeline-summary.js';
import type { PipelineRef, PipelineStatus, ResultOfRef, TasksClient } from '../../src/client/tasks-client.js';
import type { PipelineLike, ResultOf } from '../../src/dsl/types.js';
import type { FlinkTasks, TaskError } from '../../src/index.js';
import { LocalRuntime, silentLogger } from '../../src/index.js';
import type { PipelineNode } from '../../src/ir/nodes.js';
import { shapeOf, SHAPE_MAX_BRANCHES, type PipelineShape, type ShapeEntry } from '../../src/ir/shape.js';
import { PipelineIndex } from '../../src/observe/pipeline-index.js';
import { statusNameOf, type WireEvent, type WirePipelineInfo } from '../../src/wire/messages.js';

const countTasks = (p: WirePipelineInfo): number =>
  p.entries.reduce((n, e) => n + (e.taskEntry ? 1 : (e.groupEntry?.group ?? []).reduce((m, b) => m + countTasks(b), 0)), 0);

function shapeOfWire(p: WirePipelineInfo): PipelineShape {
  return {
    entries: p.entries.map((e): ShapeEntry => {
      if (e.taskEntry) {
        const t = e.taskEntry;
        return { kind: 'task', uid: t.taskUid ?? 0, taskName: t.taskType, displayName: t.displayName || t.taskType, role: 'task' };
      }
      const g = e.groupEntry;
      const branches = g?.group ?? [];
      return { kind: 'group', uid: g?.groupId ?? 0, branchCount: branches.length, branches: branches.slice(0, SHAPE_MAX_BRANCHES).map(shapeOfWire), ordered: true, returnExceptions: false, maxParallelism: 0 };
    }),
  };
}

const errorInfo = (e: TaskError | undefined): ErrorInfo | undefined =>
  e ? { errorType: e.errorType, message: e.message, stack: e.stack, taskName: e.taskName } : undefined;

/** `…/<run>.<uid>` → uid */
const uidOfTaskId = (taskId: string): number => Number(/\.(\d+)$/.exec(taskId)?.[1] ?? 0);

export class ObservedRuntime implements TasksClient, PipelineObserver {
  readonly index = new PipelineIndex();
  readonly runtime: LocalRuntime;
  /** Actions that reached this client, e.g. `cancel p1`. */
  readonly actions: string[] = [];
  readonly #shapes = new Map<string, PipelineShape>();
  readonly #parents = new Map<string, string>();
  readonly #lastError = new Map<string, ErrorInfo>();

  constructor(tasks: FlinkTasks) {
    this.runtime = new LocalRuntime(tasks, {
      logger: silentLogger,
      onEvent: (e) => this.#fromWire(e),
      hooks: {
        taskStarted: (i) => this.#task(i.pipelineId, { kind: 'taskStarted', uid: uidOfTaskId(i.taskId), taskName: i.taskName, displayName: i.taskName, attempt: i.attempt }),
        taskRetry: (i) => this.#task(i.pipelineId, { kind: 'taskRetried', uid: uidOfTaskId(i.taskId), taskName: i.taskName, displayName: i.taskName, attempt: i.attempt, delayMs: i.delayMs, error: errorInfo(i.error) as ErrorInfo }),
        taskFinished: (i) => {
          const error = errorInfo(i.error);
          if (error) this.#lastError.set(i.pipelineId.split('/')[0] as string, error);
          this.#task(i.pipelineId, { kind: 'taskFinished', uid: uidOfTaskId(i.taskId), taskName: i.taskName, displayName: i.taskName, attempt: i.attempt, outcome: error ? 'failed' : 'succeeded', ...(error ? { error } : {}) });
        },
      },
    });
  }

  /** Feeds an event as if the runtime had published it. */
  publish(event: PipelineEvent): void {
    this.index.apply(event);
  }

  #where(pipelineId: string) {
    const parent = this.#parents.get(pipelineId);
    return { time: Date.now(), pipelineId, rootPipelineId: pipelineId.split('/')[0] as string, ...(parent === undefined ? {} : { parentPipelineId: parent }) };
  }

  #task(pipelineId: string, rest: Record<string, unknown> & { kind: string }): void {
    this.index.apply({ ...this.#where(pipelineId), ...rest } as PipelineEvent);
  }

  #fromWire(e: WireEvent): void {
    if (e.pipelineCreated) {
      const caller = e.pipelineCreated.callerId;
      if (caller) this.#parents.set(e.pipelineId, caller);
      const suffix = caller ? e.pipelineId.slice(caller.length + 1) : '';
      const origin: PipelineOrigin = !caller ? 'submitted' : /^\d+\.\d+$/.test(suffix) ? 'orchestrator' : 'branch';
      const info = e.pipelineCreated.pipeline ?? { entries: [] };
      const shape = this.#shapes.get(e.pipelineId) ?? shapeOfWire(info);
      this.index.apply({ ...this.#where(e.pipelineId), kind: 'pipelineCreated', origin, shape, taskCount: countTasks(info) });
    } else if (e.pipelineStatusChanged) {
      const raw: unknown = e.pipelineStatusChanged.status?.value;
      const status = (typeof raw === 'string' ? raw : statusNameOf(Number(raw))) as PipelineStatus;
      const error = status === 'FAILED' || status === 'CANCELLED'
        ? (this.#lastError.get(e.rootPipelineId) ?? (status === 'CANCELLED' ? { errorType: 'Cancelled', message: 'the pipeline was cancelled' } : undefined))
        : undefined;
      this.index.apply({ ...this.#where(e.pipelineId), kind: 'statusChanged', status, ...(error ? { error } : {}) });
    } else if (e.pipelineTasksSkipped) {
      this.index.apply({ ...this.#where(e.pipelineId), kind: 'tasksSkipped', uids: e.pipelineTasksSkipped.tasks.map((t) => t.taskUid ?? 0) });
    }
  }

  submit<P extends PipelineLike<unknown>>(pipeline: P): Promise<ResultOf<P>> {
    this.#shapes.set(pipeline.id, shapeOf(pipeline.toIR()));
    return this.runtime.submit(pipeline);
  }
  status(p: PipelineRef): Promise<PipelineStatus> { return this.runtime.status(p); }
  request(p: PipelineRef): Promise<PipelineNode> { return this.runtime.request(p); }
  result<P extends PipelineRef>(p: P): Promise<ResultOfRef<P>> { return this.runtime.result(p); }
  pause(p: PipelineRef): Promise<void> { this.actions.push(`pause ${String(typeof p === 'string' ? p : p.id)}`); return this.runtime.pause(p); }
  unpause(p: PipelineRef): Promise<void> { this.actions.push(`unpause ${String(typeof p === 'string' ? p : p.id)}`); return this.runtime.unpause(p); }
  cancel(p: PipelineRef): Promise<void> { this.actions.push(`cancel ${String(typeof p === 'string' ? p : p.id)}`); return this.runtime.cancel(p); }
  close(): Promise<void> { return this.runtime.close(); }
  list(options?: ListOptions): Promise<readonly PipelineSummary[]> { return this.index.list(options); }
  inspect(id: string): Promise<PipelineView | undefined> { return this.index.inspect(id); }
  watch(id: string): AsyncIterable<PipelineEvent> { return this.index.watch(id); }
  onEvent(listener: (event: PipelineEvent) => void): () => void { return this.index.onEvent(listener); }
}
