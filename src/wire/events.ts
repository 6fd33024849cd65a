/**
 * Records of the events topic: one `Event`, or an `EventBatch` of the
 * events of one function call (see `types/flinktasks.proto`).
 *
 * @module
 */
import { Event, EventBatch } from './generated/flinktasks.js';

/** Tag of `EventBatch.events` (field 100, length-delimited) as it starts a record: varint 802. */
const BATCH_TAG = [0xa2, 0x06] as const;

/** The events a record of the events topic holds, in order. Throws on bytes that are neither. */
export function eventsOf(bytes: Uint8Array): Event[] {
  if (bytes[0] === BATCH_TAG[0] && bytes[1] === BATCH_TAG[1]) return EventBatch.decode(bytes).events;
  return [Event.decode(bytes)];
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size += 1;
  }
  return size;
}

/** The `EventBatch` record of encoded events `events`, in order (their bytes side by side). */
export function eventBatchOf(events: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const e of events) size += 2 + varintSize(e.byteLength) + e.byteLength;
  const out = new Uint8Array(size);
  let pos = 0;
  for (const e of events) {
    out[pos++] = BATCH_TAG[0];
    out[pos++] = BATCH_TAG[1];
    let n = e.byteLength;
    while (n >= 0x80) {
      out[pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    out[pos++] = n;
    out.set(e, pos);
    pos += e.byteLength;
  }
  return out;
}
