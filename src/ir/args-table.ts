/**
 * Argument tuples of a compact group ("map": one task, many argument
 * tuples), packed into one byte array: each tuple a varint length and its
 * superjson bytes, as `GroupEntry.map_args` carries them on the wire. An
 * index of offsets is built on first access (4 bytes per tuple), so that
 * holding n tuples costs their bytes plus one array, not n objects.
 *
 * @module
 */
import { varintSize } from '../core/varint.js';

/**
 * The argument tuples of a compact group, by branch index.
 *
 * @example
 * ```ts
 * const table = ir.ArgsTable.of([encodeJson([1]), encodeJson([2])]);
 * table.length; // 2
 * decodeJson(table.at(1)); // [2]
 * ```
 */
export class ArgsTable {
  /** Where tuple i's varint length starts (i < length), and the end of the bytes (i = length). */
  #heads: Uint32Array | undefined;
  /** Where tuple i's bytes start. */
  #starts: Uint32Array | undefined;

  private constructor(
    /** The tuples, packed: each a varint length and its bytes. */
    readonly packed: Uint8Array,
    /** How many tuples. */
    readonly length: number,
  ) {}

  /** A table of `tuples` (copied into one array). */
  static of(tuples: readonly Uint8Array[]): ArgsTable {
    let size = 0;
    for (const t of tuples) size += varintSize(t.byteLength) + t.byteLength;
    const packed = new Uint8Array(size);
    let pos = 0;
    for (const t of tuples) {
      let n = t.byteLength;
      while (n >= 0x80) {
        packed[pos++] = (n & 0x7f) | 0x80;
        n = Math.floor(n / 128);
      }
      packed[pos++] = n;
      packed.set(t, pos);
      pos += t.byteLength;
    }
    return new ArgsTable(packed, tuples.length);
  }

  /**
   * A table over packed bytes (a view is kept, not a copy); throws a
   * `RangeError` on bytes that do not hold exactly `count` tuples.
   */
  static fromPacked(packed: Uint8Array, count: number): ArgsTable {
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`flink-tasks: a table cannot hold ${count} argument tuples`);
    // Every tuple takes at least one byte: a count beyond that is a lie, refused before allocating for it.
    if (count > packed.byteLength) throw new RangeError(`flink-tasks: ${packed.byteLength} bytes cannot hold ${count} argument tuples`);
    const table = new ArgsTable(packed, count);
    table.#index();
    return table;
  }

  #index(): void {
    const heads = new Uint32Array(this.length + 1);
    const starts = new Uint32Array(this.length);
    const bytes = this.packed;
    let pos = 0;
    for (let i = 0; i < this.length; i++) {
      heads[i] = pos;
      let n = 0;
      let shift = 1;
      for (;;) {
        if (pos >= bytes.byteLength) throw new RangeError(`flink-tasks: the packed arguments end after ${i} of ${this.length} tuples`);
        const b = bytes[pos++] as number;
        n += (b & 0x7f) * shift;
        if (b < 0x80) break;
        shift *= 128;
        if (shift > 2 ** 35) throw new RangeError('flink-tasks: a tuple length in the packed arguments is malformed');
      }
      if (pos + n > bytes.byteLength) throw new RangeError(`flink-tasks: tuple ${i} of the packed arguments is truncated`);
      starts[i] = pos;
      pos += n;
    }
    if (pos !== bytes.byteLength) throw new RangeError(`flink-tasks: the packed arguments hold more than ${this.length} tuples`);
    heads[this.length] = pos;
    this.#heads = heads;
    this.#starts = starts;
  }

  /** The superjson bytes of tuple `i` (a view). */
  at(i: number): Uint8Array {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new RangeError(`flink-tasks: no argument tuple ${i} in a table of ${this.length}`);
    if (!this.#heads) this.#index();
    return this.packed.subarray((this.#starts as Uint32Array)[i], (this.#heads as Uint32Array)[i + 1]);
  }

  /** The tuples at `indexes`, in that order, packed (copied) as this table packs them. */
  gather(indexes: readonly number[]): Uint8Array {
    if (!this.#heads) this.#index();
    const heads = this.#heads as Uint32Array;
    let size = 0;
    for (const i of indexes) {
      if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new RangeError(`flink-tasks: no argument tuple ${i} in a table of ${this.length}`);
      size += (heads[i + 1] as number) - (heads[i] as number);
    }
    const out = new Uint8Array(size);
    const packed = this.packed;
    let pos = 0;
    for (const i of indexes) {
      const end = heads[i + 1] as number;
      for (let k = heads[i] as number; k < end; k++) out[pos++] = packed[k] as number;
    }
    return out;
  }

  /** Tuples `from` (included) to `to` (excluded), as a table over the same bytes. */
  slice(from: number, to: number): ArgsTable {
    const start = Math.max(0, Math.min(from, this.length));
    const end = Math.max(start, Math.min(to, this.length));
    if (!this.#heads) this.#index();
    const heads = this.#heads as Uint32Array;
    const base = heads[start] as number;
    const table = new ArgsTable(this.packed.subarray(base, heads[end]), end - start);
    table.#heads = heads.slice(start, end + 1).map((h) => h - base);
    table.#starts = (this.#starts as Uint32Array).slice(start, end).map((s) => s - base);
    return table;
  }
}
