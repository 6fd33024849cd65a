/**
 * A clock that moves only when a test says so.
 *
 * @module
 */
import type { Clock, ClockTimer } from '../core/clock.js';

interface ManualTimer extends ClockTimer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** Lets promise callbacks and I/O callbacks queued so far run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A {@link Clock} for tests: time stands still until {@link ManualClock.advance}
 * moves it, firing due timers in order, so that retries, delays and timeouts
 * of a `LocalRuntime` can be tested in no time.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const runtime = new LocalRuntime(tasks, { clock });
 * const result = runtime.submit(flaky.send()); // retried after 60 s
 * await clock.advance(61_000);
 * await result;
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers: ManualTimer[] = [];

  /** @param start - the time it starts at (ms since the epoch); default the real time now. */
  constructor(start: number = Date.now()) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const timer: ManualTimer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, callback, cancelled: false, unref: () => undefined };
    this.#timers.push(timer);
    return timer;
  }

  clearTimeout(timer: ClockTimer): void {
    const i = this.#timers.indexOf(timer as ManualTimer);
    if (i >= 0) this.#timers.splice(i, 1);
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.#timers.length;
  }

  /**
   * Moves time forward by `ms`, firing each timer that falls due, in order,
   * and letting the work it starts run before the next.
   */
  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ManualClock.advance: ms must be a finite number >= 0, got ${ms}`);
    const target = this.#now + ms;
    await settle();
    for (;;) {
      let next: ManualTimer | undefined;
      for (const t of this.#timers) if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      if (!next) break;
      this.#timers.splice(this.#timers.indexOf(next), 1);
      this.#now = Math.max(this.#now, next.at);
      next.callback();
      await settle();
      await settle();
    }
    this.#now = target;
    await settle();
  }
}
