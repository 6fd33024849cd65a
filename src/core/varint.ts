/**
 * Protobuf base-128 varints, for the places that write message bytes by
 * hand (value lists, message batches, event batches, group slots, argument
 * tables) instead of through a generated encoder.
 *
 * @module
 */

/** Bytes the varint of `n` (a non-negative safe integer) takes. */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size += 1;
  }
  return size;
}

/** Writes the varint of `n` into `out` at `pos`; returns the position after it. */
export function writeVarint(out: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[pos++] = n;
  return pos;
}

let after = 0;

/** Where the varint that `readVarint` read last ended (after a read that did not return -1). */
export function varintEnd(): number {
  return after;
}

/**
 * The varint at `pos` (before `end`); -1 if it is malformed: cut short, or
 * longer than 6 bytes. Where it ended: `varintEnd()` (no object per read).
 */
export function readVarint(bytes: Uint8Array, pos: number, end: number): number {
  let n = 0;
  let shift = 1;
  while (pos < end && shift <= 2 ** 35) {
    const b = bytes[pos++] as number;
    n += (b & 0x7f) * shift;
    if (b < 0x80) {
      after = pos;
      return n;
    }
    shift *= 128;
  }
  return -1;
}
