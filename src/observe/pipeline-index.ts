/**
 * What a client knows of pipelines, built from their events alone: pure, no
 * I/O. Clients own one and feed it every event; it answers `list`,
 * `inspect` and `watch`. (One class over ~300 lines: its records, their
 * tallies, eviction and the summaries read from them change together; the
 * watch iterators and the event checks are apart, in `watchers.ts` and
 * `event-check.ts`.)
 *
 * @module
 */
import type { ErrorInfo, PipelineEvent, PipelineOrigin } from './pipeline-events.js';
import type { EntryState, ListOptions, PipelineObserver, PipelineSummary, PipelineView } from './pipeline-summary.js';
import { isFinalStatus, isPipelineStatus, PIPELINE_STATUSES, type PipelineStatus } from '../core/status.js';
import type { PipelineShape } from '../ir/shape.js';
import { addTally, countTaskEvent, emptyTally, PENDING_STATE, stateOfTally, type EntryTally } from './entry-state.js';
import { wellFormedEvent } from './event-check.js';
import { ShapeMap } from './shape-map.js';
import { EventWatchers } from './watchers.js';

/**
 * Options of a {@link PipelineIndex}.
 *
 * @example
 * ```ts
 * const index = new PipelineIndex({ maxPipelines: 50_000, watchBuffer: 1_000 });
 * ```
 */
export interface PipelineIndexOptions {
  /**
   * Keep at most this many pipelines (runtime-made branches and segments
   * count too); beyond it the oldest finished branch goes first, then the
   * oldest finished pipeline, then the oldest. Default 10,000.
   */
  readonly maxPipelines?: number;
  /** A `watch` iterator that is not read holds at most this many events, dropping the oldest; default 10,000. */
  readonly watchBuffer?: number;
}

const RANK: Record<PipelineStatus, number> = { PENDING: 0, RUNNING: 1, PAUSED: 1, CANCELLING: 2, COMPLETED: 3, FAILED: 3, CANCELLED: 3 };
const EMPTY_SHAPE: PipelineShape = Object.freeze({ entries: Object.freeze([]) });

/** One pipeline as the index keeps it. */
interface Rec {
  readonly id: string;
  rootId: string;
  parentId: string | undefined;
  origin: PipelineOrigin;
  /** Whether `pipelineCreated` was seen (else `origin` is a guess). */
  originKnown: boolean;
  status: PipelineStatus;
  statusAt: number;
  submittedAt: number;
  finishedAt: number | undefined;
  error: ErrorInfo | undefined;
  shape: PipelineShape | undefined;
  map: ShapeMap | undefined;
  taskCount: number;
  /** Tallies by uid: folded through `map` when there is one, raw before. */
  tallies: Map<number, EntryTally>;
  /** Task calls finished in this record's tallies (its branches' included). */
  done: number;
  failed: number;
  /** Task calls of this pipeline itself (what a branch's summary shows). */
  ownDone: number;
  ownFailed: number;
  children: Map<number, string[]>;
}

/**
 * Pipelines and their live state, from pipeline events that may come out of
 * order, twice, or not at all: task events before `pipelineCreated` are
 * kept and placed once the shape arrives; a child whose parent was never
 * seen gets a stand-in parent. Memory is bounded by `maxPipelines` (a
 * pipeline's shape is bounded by its 64-branch cut, its tallies by its
 * shape). Implements {@link PipelineObserver}; `apply` is the only way in.
 *
 * @example
 * ```ts
 * const index = new PipelineIndex();
 * runtime.onEvent((e) => index.apply(e));
 * const running = await index.list({ status: 'RUNNING' });
 * for await (const e of index.watch(running[0].id)) console.log(e.kind);
 * ```
 */
export class PipelineIndex implements PipelineObserver {
  readonly #records = new Map<string, Rec>();
  readonly #finishedBranches = new Map<string, true>();
  readonly #finished = new Map<string, true>();
  readonly #listeners = new Set<(event: PipelineEvent) => void>();
  readonly #watchers: EventWatchers;
  readonly #max: number;
  #ignored = 0;

  constructor(options: PipelineIndexOptions = {}) {
    this.#max = PipelineIndex.#positive('maxPipelines', options.maxPipelines, 10_000);
    this.#watchers = new EventWatchers(PipelineIndex.#positive('watchBuffer', options.watchBuffer, 10_000), (id, event) => this.#concerns(id, event));
  }

  static #positive(name: string, value: number | undefined, fallback: number): number {
    if (value === undefined) return fallback;
    if (!Number.isSafeInteger(value) || value < 1)
      throw new RangeError(`flink-tasks: PipelineIndex option ${name} must be a positive integer, got ${String(value)}`);
    return value;
  }

  /** Pipelines kept. */
  get size(): number {
    return this.#records.size;
  }

  /** Events ignored because they were malformed. */
  get ignored(): number {
    return this.#ignored;
  }

  /**
   * Takes one event into account; returns false (and ignores it) if it is
   * malformed. Listeners added with {@link PipelineIndex.onEvent} and open
   * `watch` iterators then see it.
   */
  apply(event: PipelineEvent): boolean {
    if (!wellFormedEvent(event)) {
      this.#ignored++;
      return false;
    }
    const rec = this.#recordFor(event.pipelineId, event.rootPipelineId, event.parentPipelineId, event.time);
    switch (event.kind) {
      case 'pipelineCreated':
        this.#created(rec, event.origin, event.shape, event.taskCount, event.time, event);
        break;
      case 'statusChanged':
        this.#statusChanged(rec, event.status, event.time, event.error);
        break;
      case 'tasksSkipped': {
        const sink = this.#sinkOf(rec);
        for (const uid of event.uids) if (Number.isSafeInteger(uid)) this.#tally(sink, uid, undefined).skipped += 1;
        break;
      }
      default: {
        const sink = this.#sinkOf(rec);
        countTaskEvent(this.#tally(sink, event.uid, event.branch), event);
        if (event.kind === 'taskFinished') {
          const ok = event.outcome === 'succeeded';
          if (ok) {
            sink.done++;
            rec.ownDone++;
          } else {
            sink.failed++;
            rec.ownFailed++;
          }
        }
      }
    }
    this.#evict();
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch {
        // a listener's failure is its own
      }
    }
    this.#watchers.offer(event);
    return true;
  }

  #recordFor(id: string, rootId: string, parentId: string | undefined, time: number): Rec {
    let rec = this.#records.get(id);
    if (!rec) {
      rec = {
        id,
        rootId: rootId || id,
        parentId,
        origin: parentId === undefined && (rootId === id || rootId === '') ? 'submitted' : 'branch',
        originKnown: false,
        status: 'PENDING',
        statusAt: -Infinity,
        submittedAt: time,
        finishedAt: undefined,
        error: undefined,
        shape: undefined,
        map: undefined,
        taskCount: 0,
        tallies: new Map(),
        done: 0,
        failed: 0,
        ownDone: 0,
        ownFailed: 0,
        children: new Map(),
      };
      this.#records.set(id, rec);
    } else {
      if (rec.parentId === undefined && parentId !== undefined) rec.parentId = parentId;
      if (time < rec.submittedAt && !rec.originKnown) rec.submittedAt = time;
    }
    return rec;
  }

  /** The record whose tallies a pipeline's task events count in: itself, or for a branch, its nearest non-branch ancestor. */
  #sinkOf(rec: Rec): Rec {
    let r = rec;
    for (let depth = 0; depth < 1000 && r.originKnown && r.origin === 'branch' && r.parentId !== undefined; depth++) {
      r = this.#records.get(r.parentId) ?? this.#recordFor(r.parentId, r.rootId, undefined, r.submittedAt);
    }
    return r;
  }

  #tally(sink: Rec, uid: number, branch: number | undefined): EntryTally {
    const key = sink.map?.resolve(uid, branch) ?? uid;
    let t = sink.tallies.get(key);
    if (!t) {
      t = emptyTally();
      sink.tallies.set(key, t);
    }
    return t;
  }

  #created(rec: Rec, origin: PipelineOrigin, shape: PipelineShape, taskCount: number, time: number, event: PipelineEvent): void {
    rec.origin = origin;
    rec.originKnown = true;
    rec.shape = shape;
    rec.map = new ShapeMap(shape);
    rec.taskCount = Math.max(0, Math.floor(taskCount));
    rec.submittedAt = time;
    const held = rec.tallies;
    rec.tallies = new Map();
    const sink = this.#sinkOf(rec);
    if (sink !== rec) {
      sink.done += rec.done;
      sink.failed += rec.failed;
      rec.done = 0;
      rec.failed = 0;
    }
    for (const [uid, t] of held) addTally(this.#tally(sink, uid, undefined), t);
    if (origin === 'orchestrator' && rec.parentId !== undefined) {
      const parent = this.#records.get(rec.parentId);
      const owner = parent ? this.#sinkOf(parent) : undefined;
      if (owner) {
        const uid = PipelineIndex.#callerUid(event, rec.id, rec.parentId);
        const key = uid === undefined ? -1 : (owner.map?.resolve(uid) ?? uid);
        const list = owner.children.get(key) ?? [];
        if (!list.includes(rec.id)) list.push(rec.id);
        owner.children.set(key, list);
      }
    }
    if (rec.finishedAt !== undefined) this.#markFinished(rec);
  }

  /**
   * The uid of the task that returned an orchestrator child: the event's
   * `callerUid` if it carries one, else read from the id the runtime gives
   * such a child (`<parent>/<run>.<uid>`); undefined if neither.
   */
  static #callerUid(event: PipelineEvent, id: string, parentId: string): number | undefined {
    if ('callerUid' in event && typeof event.callerUid === 'number' && Number.isSafeInteger(event.callerUid)) return event.callerUid;
    const m = id.startsWith(`${parentId}/`) ? /^(\d+)\.(\d+)$/.exec(id.slice(parentId.length + 1)) : null;
    return m ? Number(m[2]) : undefined;
  }

  #statusChanged(rec: Rec, status: PipelineStatus, time: number, error: ErrorInfo | undefined): void {
    const newer = time > rec.statusAt || (time === rec.statusAt && RANK[status] >= RANK[rec.status]);
    const later = RANK[status] > RANK[rec.status] && !isFinalStatus(rec.status);
    if (!newer && !later) return;
    rec.status = status;
    rec.statusAt = Math.max(time, rec.statusAt);
    if (error) rec.error = error;
    if (isFinalStatus(status)) {
      rec.finishedAt = time;
      this.#markFinished(rec);
    } else {
      rec.finishedAt = undefined;
      this.#finished.delete(rec.id);
      this.#finishedBranches.delete(rec.id);
    }
  }

  #markFinished(rec: Rec): void {
    const list = rec.originKnown && rec.origin === 'branch' ? this.#finishedBranches : this.#finished;
    this.#finished.delete(rec.id);
    this.#finishedBranches.delete(rec.id);
    list.set(rec.id, true);
  }

  #evict(): void {
    while (this.#records.size > this.#max) {
      const id = this.#finishedBranches.keys().next().value ?? this.#finished.keys().next().value ?? this.#records.keys().next().value;
      if (id === undefined) return;
      this.#records.delete(id);
      this.#finishedBranches.delete(id);
      this.#finished.delete(id);
    }
  }

  #summary(rec: Rec): PipelineSummary {
    const branch = rec.originKnown && rec.origin === 'branch';
    const done = branch ? rec.ownDone : rec.done;
    const failed = branch ? rec.ownFailed : rec.failed;
    let error = rec.error;
    if (!error && (rec.status === 'FAILED' || rec.status === 'CANCELLED')) {
      let at = -Infinity;
      for (const t of rec.tallies.values()) if (t.error && t.failed > 0 && t.errorAt > at) [error, at] = [t.error, t.errorAt];
    }
    return {
      id: rec.id,
      rootId: rec.rootId,
      ...(rec.parentId === undefined ? {} : { parentId: rec.parentId }),
      origin: rec.origin,
      status: rec.status,
      submittedAt: rec.submittedAt,
      ...(rec.finishedAt === undefined ? {} : { finishedAt: rec.finishedAt }),
      tasks: { done, failed, total: Math.max(rec.taskCount, done + failed) },
      ...(error === undefined ? {} : { error }),
    };
  }

  /**
   * Recent pipelines, newest first: by default at most 100, without
   * runtime-made branches.
   */
  async list(options: ListOptions = {}): Promise<readonly PipelineSummary[]> {
    return this.listNow(options);
  }

  /** {@link PipelineIndex.list}, synchronously. */
  listNow(options: ListOptions = {}): PipelineSummary[] {
    const limit = options.limit ?? 100;
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`flink-tasks: list limit must be a positive integer, got ${String(limit)}`);
    const wanted = options.status === undefined ? undefined : new Set<string>(typeof options.status === 'string' ? [options.status] : options.status);
    for (const s of wanted ?? []) {
      if (!isPipelineStatus(s)) throw new RangeError(`flink-tasks: unknown pipeline status '${s}' (one of ${PIPELINE_STATUSES.join(', ')})`);
    }
    const chosen: Rec[] = [];
    for (const rec of this.#records.values()) {
      if (!options.includeBranches && rec.origin === 'branch') continue;
      if (wanted && !wanted.has(rec.status)) continue;
      chosen.push(rec);
    }
    chosen.sort((a, b) => b.submittedAt - a.submittedAt);
    return chosen.slice(0, limit).map((r) => this.#summary(r));
  }

  /** The live view of one pipeline, or `undefined` if no event about it was seen (or it was dropped). */
  async inspect(id: string): Promise<PipelineView | undefined> {
    return this.inspectNow(id);
  }

  /** {@link PipelineIndex.inspect}, synchronously. */
  inspectNow(id: string): PipelineView | undefined {
    const rec = this.#records.get(id);
    if (!rec) return undefined;
    const active = !isFinalStatus(rec.status);
    const entries = new Map<number, EntryState>();
    for (const uid of rec.map?.taskUids() ?? []) entries.set(uid, PENDING_STATE);
    for (const [uid, t] of rec.tallies) entries.set(uid, stateOfTally(t, rec.map?.weight(uid), active));
    const children = new Map<number, readonly string[]>();
    for (const [uid, list] of rec.children) children.set(uid, [...list]);
    return { summary: this.#summary(rec), shape: rec.shape ?? EMPTY_SHAPE, entries, children };
  }

  /**
   * The events of pipeline `id` and of the pipelines it started, from now
   * on. Ends after the pipeline's final status (at once if it has one), or
   * when the loop is left.
   */
  watch(id: string): AsyncIterable<PipelineEvent> {
    const rec = this.#records.get(id);
    return this.#watchers.watch(id, rec !== undefined && isFinalStatus(rec.status));
  }

  /** Whether `event` is of pipeline `id` or of a pipeline it started (at any depth). */
  #concerns(id: string, event: PipelineEvent): boolean {
    if (event.pipelineId === id || event.rootPipelineId === id || event.parentPipelineId === id) return true;
    let r = this.#records.get(event.pipelineId);
    for (let depth = 0; r?.parentId !== undefined && depth < 1000; depth++) {
      if (r.parentId === id) return true;
      r = this.#records.get(r.parentId);
    }
    return false;
  }

  /** Open `watch` iterators. */
  get watching(): number {
    return this.#watchers.size;
  }

  /** Calls `listener` with every event applied from now on; returns a function that unsubscribes. */
  onEvent(listener: (event: PipelineEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}
