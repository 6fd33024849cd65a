/**
 * Progress reports of a task call (`ctx.progress`): checked at the call,
 * throttled to one per interval (the latest report of a burst goes out when
 * the interval ends), and sent as a heartbeat with progress to the pipeline
 * that waits for the call, which publishes the `taskProgress` event.
 *
 * @module
 */
import type { Clock, ClockTimer } from '../core/clock.js';
import type { Logger } from '../core/log.js';
import type { Effects } from '../executor/effects.js';
import { codecs, Typenames } from '../wire/codec.js';
import type { TaskRequest } from '../wire/generated/flinktasks.js';
import { replyTarget } from './replies.js';
import type { ResultSink } from './result-sink.js';
import { originOf, replyAddressOf } from './task-request.js';

/** Least time between two progress reports of one call, in ms. */
export const PROGRESS_INTERVAL_MS = 500;

/** Longest progress message sent (longer ones are cut). */
export const MAX_PROGRESS_MESSAGE = 500;

/** Sends one progress report. */
export type ProgressSend = (fraction: number, message: string) => void;

/**
 * The checked form of a progress report, or a `RangeError`/`TypeError`
 * saying what is wrong with it.
 */
export function checkProgress(taskName: string, fraction: unknown, message: unknown): { fraction: number; message: string } {
  if (typeof fraction !== 'number' || Number.isNaN(fraction) || fraction < 0 || fraction > 1) {
    const shown = typeof fraction === 'number' ? String(fraction) : typeof fraction;
    throw new RangeError(`task '${taskName}': ctx.progress(fraction) takes a number from 0 to 1 (0.25 for a quarter done), got ${shown}`);
  }
  if (message !== undefined && typeof message !== 'string') {
    throw new TypeError(`task '${taskName}': ctx.progress(fraction, message) takes a string message, got ${message === null ? 'null' : typeof message}`);
  }
  const text = message ?? '';
  return { fraction, message: text.length > MAX_PROGRESS_MESSAGE ? `${text.slice(0, MAX_PROGRESS_MESSAGE - 1)}…` : text };
}

/**
 * The progress of one call: the first report goes out at once, later ones
 * at most one per `intervalMs`, the latest of a burst when its interval ends.
 * Nothing goes out after {@link CallProgress.close}.
 */
export class CallProgress {
  #lastSentAt = -Infinity;
  #waiting: { fraction: number; message: string } | undefined;
  #timer: ClockTimer | undefined;
  #closed = false;

  constructor(
    private readonly send: ProgressSend,
    private readonly clock: Clock,
    private readonly intervalMs: number = PROGRESS_INTERVAL_MS,
  ) {}

  /** A checked report. */
  report(fraction: number, message: string): void {
    if (this.#closed) return;
    const now = this.clock.now();
    if (this.#timer === undefined && now - this.#lastSentAt >= this.intervalMs) {
      this.#lastSentAt = now;
      this.send(fraction, message);
      return;
    }
    this.#waiting = { fraction, message };
    if (this.#timer !== undefined) return;
    this.#timer = this.clock.setTimeout(
      () => {
        this.#flush();
      },
      Math.max(0, this.#lastSentAt + this.intervalMs - now),
    );
    this.#timer.unref();
  }

  #flush(): void {
    this.#timer = undefined;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (!waiting || this.#closed) return;
    this.#lastSentAt = this.clock.now();
    this.send(waiting.fraction, waiting.message);
  }

  /** The call has ended: a report still waiting is dropped (its result says more). */
  close(): void {
    this.#closed = true;
    this.#waiting = undefined;
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * The progress of `request`'s call: heartbeats with progress to its
 * pipeline, live through `sink` if there is one, else in the call's own
 * effects `own` (its response). Close it when the call ends.
 */
export function progressFor(request: TaskRequest, own: Effects, sink: ResultSink | undefined, clock: Clock, logger: Logger): CallProgress | undefined {
  const reply = replyAddressOf(request);
  if (!reply) return undefined;
  const pipelineId = originOf(request).pipelineId;
  const send = (fraction: number, message: string): void => {
    const payload = codecs.pipelineCommand.encode({
      command: {
        $case: 'heartbeat',
        value: { invocationId: request.invocationId, uid: request.uid, branch: request.branch, attempt: request.attempt, fraction, message, hasProgress: true },
      },
    });
    if (!sink) {
      own.send({ target: replyTarget(reply), typename: Typenames.pipelineCommand, payload });
      return;
    }
    sink.send(pipelineId, payload).catch((err: unknown) => {
      logger({
        level: 'debug',
        message: 'could not deliver a progress report',
        fields: { pipeline: pipelineId, task: request.taskName, taskId: request.id, error: String(err) },
      });
    });
  };
  return new CallProgress(send, clock);
}
