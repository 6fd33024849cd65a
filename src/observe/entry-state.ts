/**
 * Tallies of task calls per entry, built from task events in any order, and
 * the {@link EntryState} a reader sees. Tallies add up (folding a large
 * group's branches onto one step sums them), so the order in which events
 * and shapes arrive does not change the result.
 *
 * @module
 */
import type { ErrorInfo, PipelineEvent } from './pipeline-events.js';
import type { EntryState } from './pipeline-summary.js';

/**
 * The status of an entry.
 *
 * @example
 * ```ts
 * const status: EntryStatus = view.entries.get(3)?.status ?? 'pending';
 * ```
 */
export type EntryStatus = EntryState['status'];

/** Counts and latest details of the calls that count under one entry. */
export interface EntryTally {
  started: number;
  done: number;
  failed: number;
  retries: number;
  skipped: number;
  firstStartedAt: number | undefined;
  lastFinishedAt: number | undefined;
  progress: { fraction: number; message?: string | undefined } | undefined;
  progressAt: number;
  error: ErrorInfo | undefined;
  errorAt: number;
}

/** A tally with nothing counted. */
export function emptyTally(): EntryTally {
  return {
    started: 0,
    done: 0,
    failed: 0,
    retries: 0,
    skipped: 0,
    firstStartedAt: undefined,
    lastFinishedAt: undefined,
    progress: undefined,
    progressAt: -Infinity,
    error: undefined,
    errorAt: -Infinity,
  };
}

const minTime = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
const maxTime = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined ? b : b === undefined ? a : Math.max(a, b));

/** Adds `from` into `into`. */
export function addTally(into: EntryTally, from: EntryTally): void {
  into.started += from.started;
  into.done += from.done;
  into.failed += from.failed;
  into.retries += from.retries;
  into.skipped += from.skipped;
  into.firstStartedAt = minTime(into.firstStartedAt, from.firstStartedAt);
  into.lastFinishedAt = maxTime(into.lastFinishedAt, from.lastFinishedAt);
  if (from.progressAt >= into.progressAt && from.progress) {
    into.progress = from.progress;
    into.progressAt = from.progressAt;
  }
  if (from.errorAt >= into.errorAt && from.error) {
    into.error = from.error;
    into.errorAt = from.errorAt;
  }
}

/** Counts one task event (other events are ignored). */
export function countTaskEvent(tally: EntryTally, event: PipelineEvent): void {
  switch (event.kind) {
    case 'taskStarted':
      if (event.attempt === 0) tally.started += 1;
      tally.firstStartedAt = minTime(tally.firstStartedAt, event.time);
      break;
    case 'taskFinished':
      if (event.outcome === 'succeeded') tally.done += 1;
      else tally.failed += 1;
      tally.lastFinishedAt = maxTime(tally.lastFinishedAt, event.time);
      if (event.error && event.time >= tally.errorAt) {
        tally.error = event.error;
        tally.errorAt = event.time;
      }
      if (event.time >= tally.progressAt) {
        tally.progress = undefined;
        tally.progressAt = event.time;
      }
      break;
    case 'taskRetried':
      tally.retries += 1;
      if (event.time >= tally.errorAt) {
        tally.error = event.error;
        tally.errorAt = event.time;
      }
      break;
    case 'taskProgress':
      if (event.time >= tally.progressAt) {
        const fraction = Number.isFinite(event.fraction) ? Math.min(1, Math.max(0, event.fraction)) : 0;
        tally.progress = event.message === undefined ? { fraction } : { fraction, message: event.message };
        tally.progressAt = event.time;
      }
      break;
    default:
  }
}

/**
 * What a reader sees of a tally. `weight` is how many calls count under the
 * entry (undefined: not known); `active` whether the pipeline still runs.
 */
export function stateOfTally(t: EntryTally, weight: number | undefined, active: boolean): EntryState {
  const finished = t.done + t.failed;
  const started = Math.max(t.started, finished);
  const inFlight = started - finished;
  let status: EntryStatus;
  if (inFlight > 0 && active) status = 'running';
  else if (t.failed > 0 && (!active || weight === undefined || finished + t.skipped >= weight)) status = 'failed';
  else if (t.failed > 0) status = 'running';
  else if (t.done > 0 && weight !== undefined && t.done + t.skipped < weight && active) status = 'running';
  else if (t.done > 0) status = 'succeeded';
  else if (inFlight > 0) status = 'running';
  else if (t.skipped > 0) status = 'skipped';
  else status = 'pending';
  const state: { -readonly [K in keyof EntryState]: EntryState[K] } = {
    status,
    started,
    done: t.done,
    failed: t.failed,
    retries: t.retries,
  };
  if (t.firstStartedAt !== undefined) state.firstStartedAt = t.firstStartedAt;
  if (t.lastFinishedAt !== undefined) state.lastFinishedAt = t.lastFinishedAt;
  if (t.progress && status === 'running') state.progress = t.progress;
  if (t.error && (t.failed > 0 || status === 'running')) state.error = t.error;
  return state;
}

/** The state of an entry nothing was heard about. */
export const PENDING_STATE: EntryState = Object.freeze({ status: 'pending', started: 0, done: 0, failed: 0, retries: 0 });

/**
 * One state for several entries drawn as one (a collapsed group's step, a
 * run of repeated tasks): counts add up; the status is running if any runs,
 * failed if any failed, succeeded or skipped if all are, running if some
 * are done and some still pending.
 */
export function mergeStates(states: readonly EntryState[]): EntryState {
  if (states.length === 1) return states[0] as EntryState;
  if (states.length === 0) return PENDING_STATE;
  const has = (s: EntryStatus): boolean => states.some((x) => x.status === s);
  const all = (s: EntryStatus): boolean => states.every((x) => x.status === s);
  let status: EntryStatus;
  if (has('running')) status = 'running';
  else if (has('failed')) status = 'failed';
  else if (all('skipped')) status = 'skipped';
  else if (all('pending')) status = 'pending';
  else if (has('pending')) status = 'running';
  else status = 'succeeded';
  const merged: { -readonly [K in keyof EntryState]: EntryState[K] } = { status, started: 0, done: 0, failed: 0, retries: 0 };
  let progressSum = 0;
  let progressCount = 0;
  let message: string | undefined;
  for (const s of states) {
    merged.started += s.started;
    merged.done += s.done;
    merged.failed += s.failed;
    merged.retries += s.retries;
    merged.firstStartedAt = minTime(merged.firstStartedAt, s.firstStartedAt);
    merged.lastFinishedAt = maxTime(merged.lastFinishedAt, s.lastFinishedAt);
    if (s.error && (merged.error === undefined || s.status === 'failed')) merged.error = s.error;
    if (s.progress) {
      progressSum += s.progress.fraction;
      progressCount += 1;
      message ??= s.progress.message;
    }
  }
  if (merged.firstStartedAt === undefined) delete merged.firstStartedAt;
  if (merged.lastFinishedAt === undefined) delete merged.lastFinishedAt;
  if (progressCount > 0 && status === 'running') {
    merged.progress = message === undefined ? { fraction: progressSum / progressCount } : { fraction: progressSum / progressCount, message };
  }
  return merged;
}
