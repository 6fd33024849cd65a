/**
 * Where each entry of a packed array (each a varint length and its bytes, as
 * `TaskRequest.map_args` and `MapResults.values` hold them) starts and ends,
 * so that a reader can take an entry's bytes without a view of its own.
 *
 * @module
 */

/** The bounds of the entries of a packed array. */
export interface TupleBounds {
  /** Where entry i's bytes start. */
  readonly starts: Uint32Array;
  /** Where entry i's bytes end. */
  readonly ends: Uint32Array;
}

/**
 * Where each of the `count` entries of `packed` starts and ends;
 * `undefined` when the bytes do not hold exactly `count` entries.
 */
export function tupleBounds(packed: Uint8Array, count: number): TupleBounds | undefined {
  const length = packed.byteLength;
  if (!Number.isSafeInteger(count) || count < 0 || count > length) return undefined;
  const starts = new Uint32Array(count);
  const ends = new Uint32Array(count);
  let pos = 0;
  for (let i = 0; i < count; i++) {
    if (pos >= length) return undefined;
    let b = packed[pos++] as number;
    let n = b;
    if (b >= 0x80) {
      // A length of more than one byte (rare): the general varint.
      n = b & 0x7f;
      let shift = 128;
      for (;;) {
        if (pos >= length || shift > 2 ** 35) return undefined;
        b = packed[pos++] as number;
        n += (b & 0x7f) * shift;
        if (b < 0x80) break;
        shift *= 128;
      }
    }
    if (n > length - pos) return undefined;
    starts[i] = pos;
    pos += n;
    ends[i] = pos;
  }
  return pos === length ? { starts, ends } : undefined;
}
