/**
 * The task calls a worker process is running, by the run (pipeline
 * invocation) they belong to, so that a cancelled pipeline can abort them.
 *
 * @module
 */

/** Something a cancellation aborts (an `AbortController`, a `CallControl`). */
export interface Abortable {
  abort(reason: Error): void;
}

/** Running calls by run token (each with the uid of its entry); aborting a run aborts its calls here. */
export class RunningCalls {
  readonly #byRun = new Map<string, Map<Abortable, number>>();

  /** Registers a call of entry `uid` of run `runToken`; returns the function that unregisters it. */
  add(runToken: string, controller: Abortable, uid: number): () => void {
    let calls = this.#byRun.get(runToken);
    if (!calls) this.#byRun.set(runToken, (calls = new Map<Abortable, number>()));
    calls.set(controller, uid);
    return () => {
      calls.delete(controller);
      if (calls.size === 0 && this.#byRun.get(runToken) === calls) this.#byRun.delete(runToken);
    };
  }

  /**
   * Aborts the calls of run `runToken` with `reason`, except those of entry
   * `spareUid` (the finallyDo a cancellation dispatches); returns how many.
   */
  abortRun(runToken: string, reason: Error, spareUid?: number): number {
    const calls = this.#byRun.get(runToken);
    if (!calls) return 0;
    let aborted = 0;
    for (const [c, uid] of [...calls]) {
      if (uid === spareUid) continue;
      calls.delete(c);
      c.abort(reason);
      aborted += 1;
    }
    if (calls.size === 0) this.#byRun.delete(runToken);
    return aborted;
  }

  /** Calls running now. */
  get size(): number {
    let n = 0;
    for (const calls of this.#byRun.values()) n += calls.size;
    return n;
  }
}
