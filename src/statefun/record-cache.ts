/**
 * A bounded cache of decoded pipeline records and their IR, keyed by
 * pipeline id and run. A record never changes during a run, so a hit is
 * always right; a miss (another process, eviction) just decodes again.
 *
 * @module
 */
import type { PipelineNode } from '../ir/nodes.js';
import type { PipelineRecord } from '../wire/generated/flinktasks.js';

/** One cached run. */
export interface CachedRecord {
  readonly record: PipelineRecord;
  readonly ir: PipelineNode;
}

/** Least-recently-used cache of {@link CachedRecord}s. */
export class RecordCache {
  readonly #entries = new Map<string, CachedRecord>();
  constructor(readonly capacity: number) {}

  get(pipelineId: string, run: number): CachedRecord | undefined {
    const key = `${run}:${pipelineId}`;
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  set(pipelineId: string, run: number, entry: CachedRecord): void {
    const key = `${run}:${pipelineId}`;
    if (this.#entries.get(key) === entry) return;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}
