/**
 * Records of the events topic: one `Event`, or an `EventBatch` of the
 * events of one function call (see `types/flinktasks.proto`).
 *
 * @module
 */
import { varintSize, writeVarint } from '../core/varint.js';
import { Event, EventBatch } from './generated/flinktasks.js';

/** Tag of `EventBatch.events` (field 100, length-delimited) as it starts a record: varint 802. */
const BATCH_TAG = [0xa2, 0x06] as const;

/** The events a record of the events topic holds, in order. Throws on bytes that are neither. */
export function eventsOf(bytes: Uint8Array): Event[] {
  if (bytes[0] === BATCH_TAG[0] && bytes[1] === BATCH_TAG[1]) return EventBatch.decode(bytes).events;
  return [Event.decode(bytes)];
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
    pos = writeVarint(out, pos, e.byteLength);
    out.set(e, pos);
    pos += e.byteLength;
  }
  return out;
}
