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
