/**
 * `watch` iterators over a stream of pipeline events: each reads the events
 * of one pipeline (and of those it started) from when it was opened, holds
 * a bounded backlog when it is not read, and ends after the pipeline's
 * final status.
 *
 * @module
 */
import { isFinalStatus } from '../core/status.js';
import type { PipelineEvent } from './pipeline-events.js';

interface Watcher {
  readonly id: string;
  readonly queue: (PipelineEvent | undefined)[];
  head: number;
  wake: (() => void) | undefined;
  ended: boolean;
}

/** The open `watch` iterators of one event stream. */
export class EventWatchers {
  readonly #open = new Set<Watcher>();

  /**
   * @param buffer - events an unread iterator holds at most, dropping the oldest.
   * @param concerns - whether an event belongs to the pipeline an iterator watches.
   */
  constructor(
    private readonly buffer: number,
    private readonly concerns: (id: string, event: PipelineEvent) => boolean,
  ) {}

  /** Open iterators. */
  get size(): number {
    return this.#open.size;
  }

  /** An iterable over the events of pipeline `id` from now on; empty when the pipeline has `ended` already. */
  watch(id: string, ended: boolean): AsyncIterable<PipelineEvent> {
    return { [Symbol.asyncIterator]: () => this.#iterator(id, ended) };
  }

  /** Hands `event` to every iterator it concerns; ends those whose pipeline it finishes. */
  offer(event: PipelineEvent): void {
    for (const w of this.#open) {
      if (w.ended || !this.concerns(w.id, event)) continue;
      if (w.queue.length - w.head >= this.buffer) w.queue[w.head++] = undefined;
      w.queue.push(event);
      if (event.kind === 'statusChanged' && event.pipelineId === w.id && isFinalStatus(event.status)) {
        w.ended = true;
        this.#open.delete(w);
      }
      const wake = w.wake;
      w.wake = undefined;
      wake?.();
    }
  }

  #iterator(id: string, ended: boolean): AsyncIterator<PipelineEvent> {
    const w: Watcher = { id, queue: [], head: 0, wake: undefined, ended };
    if (!w.ended) this.#open.add(w);
    const finish = (): IteratorResult<PipelineEvent> => {
      w.ended = true;
      w.queue.length = 0;
      w.head = 0;
      this.#open.delete(w);
      const wake = w.wake;
      w.wake = undefined;
      wake?.();
      return { done: true, value: undefined };
    };
    return {
      next: async (): Promise<IteratorResult<PipelineEvent>> => {
        for (;;) {
          if (w.head < w.queue.length) {
            const value = w.queue[w.head];
            w.queue[w.head++] = undefined;
            if (value === undefined) continue;
            if (w.head > 1024 && w.head * 2 > w.queue.length) {
              w.queue.splice(0, w.head);
              w.head = 0;
            }
            return { done: false, value };
          }
          if (w.ended) return finish();
          await new Promise<void>((resolve) => (w.wake = resolve));
        }
      },
      return: async (): Promise<IteratorResult<PipelineEvent>> => finish(),
    };
  }
}
