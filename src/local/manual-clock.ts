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
  readonly #waiters: { count: number; resolve: () => void }[] = [];

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
    for (const w of this.#waiters.filter((w) => this.#timers.length >= w.count)) {
      this.#waiters.splice(this.#waiters.indexOf(w), 1);
      w.resolve();
    }
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
   * Resolves once at least `count` timers wait for the clock: for a test to
   * know that a running task has armed its timeout (or a retry its delay)
   * before it moves time. It waits for work that runs anyway, so it does not
   * keep the process alive by itself.
   *
   * @example
   * ```ts
   * const outcome = runtime.submit(hang.send()).catch((e: unknown) => e);
   * await clock.untilPending(); // the task runs, its timeout is armed
   * await clock.advance(30_000); // outcome: TaskTimeout
   * ```
   */
  untilPending(count = 1): Promise<void> {
    if (!Number.isInteger(count) || count < 1) return Promise.reject(new RangeError(`ManualClock.untilPending: count must be an integer >= 1, got ${count}`));
    if (this.#timers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
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
