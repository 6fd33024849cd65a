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

/** Running calls by run token; aborting a run aborts all of its calls here. */
export class RunningCalls {
  readonly #byRun = new Map<string, Set<Abortable>>();

  /** Registers a call of run `runToken`; returns the function that unregisters it. */
  add(runToken: string, controller: Abortable): () => void {
    let set = this.#byRun.get(runToken);
    if (!set) this.#byRun.set(runToken, (set = new Set()));
    set.add(controller);
    return () => {
      set.delete(controller);
      if (set.size === 0 && this.#byRun.get(runToken) === set) this.#byRun.delete(runToken);
    };
  }

  /** Aborts every call of run `runToken` with `reason`; returns how many. */
  abortRun(runToken: string, reason: Error): number {
    const set = this.#byRun.get(runToken);
    if (!set) return 0;
    this.#byRun.delete(runToken);
    for (const c of set) c.abort(reason);
    return set.size;
  }

  /** Calls running now. */
  get size(): number {
    let n = 0;
    for (const set of this.#byRun.values()) n += set.size;
    return n;
  }
}
