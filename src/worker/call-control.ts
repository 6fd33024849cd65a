/**
 * What a running task call can be stopped with: cancelled with its pipeline,
 * or timed out. A light stand-in for an `AbortController`, which costs an
 * event target per call: the real controller (and `ctx.signal`) is made only
 * for a call that asks for its signal, i.e. a task bound `withContext`.
 *
 * @module
 */

/** Aborts one task call. */
export class CallControl {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  #onAbort: (() => void) | undefined;

  /** Whether the call was aborted. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** The call's `AbortSignal` (made on first use; aborted already if the call was). */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Calls `listener` once, when the call is aborted (replacing any earlier listener); `undefined` removes it. */
  onAbort(listener: (() => void) | undefined): void {
    this.#onAbort = listener;
  }

  /** Aborts the call with `reason` (only the first abort counts). */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listener = this.#onAbort;
    this.#onAbort = undefined;
    listener?.();
  }
}
