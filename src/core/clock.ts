/**
 * Time, as the runtimes read it: the current time and timers. Injectable, so
 * that tests of retries, delays and timeouts need not wait (see `ManualClock`).
 *
 * @module
 */

/**
 * A scheduled callback of a {@link Clock}.
 *
 * @example
 * ```ts
 * const timer: ClockTimer = clock.setTimeout(() => console.log('later'), 1_000);
 * timer.unref(); // does not keep the process alive
 * clock.clearTimeout(timer);
 * ```
 */
export interface ClockTimer {
  /** Lets the process exit while this timer is pending (a no-op for clocks that do not keep one alive). */
  unref(): void;
}

/**
 * A source of time and timers.
 *
 * @example
 * ```ts
 * const clock: Clock = new ManualClock();
 * const runtime = new LocalRuntime(tasks, { clock });
 * ```
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): ClockTimer;
  /** Cancels a timer (nothing happens if it has fired). */
  clearTimeout(timer: ClockTimer): void;
}

/**
 * The real clock: `Date.now()` and Node's timers.
 *
 * @example
 * ```ts
 * const runtime = new LocalRuntime(tasks, { clock: systemClock }); // the default
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (callback: () => void, ms: number): ClockTimer => setTimeout(callback, ms),
  clearTimeout: (timer: ClockTimer): void => {
    clearTimeout(timer as NodeJS.Timeout);
  },
});
