/**
 * The finished branches of the current group, as the run's progress keeps
 * them: `GroupProgress.slots` holds their `BranchSlot`s as bytes (each a
 * varint length and the message), in completion order, and
 * `GroupProgress.finishedBits` says which branches have finished. A result
 * joins the state by appending its bytes; the slots are decoded once, when
 * the group ends.
 *
 * @module
 */
import { readVarint, varintEnd, varintSize, writeVarint } from '../core/varint.js';
import { BranchSlot, type GroupProgress, type TaskException } from '../wire/generated/flinktasks.js';
import { BinaryReader } from '../wire/protobuf-runtime.js';

/** A finished branch: its index and its value (encoded) or error, and the state it ended with. */
export interface Slot {
  readonly index: number;
  readonly value?: Uint8Array | undefined;
  readonly error?: TaskException | undefined;
  readonly state?: Uint8Array | undefined;
}

/** Room to append to a group's slots during a batch (its decoded bytes are views of the request: never written to). */
interface Writable {
  slots: Uint8Array;
  length: number;
  bits: Uint8Array;
}

const writable = new WeakMap<GroupProgress, Writable>();

function writableOf(group: GroupProgress, extra: number): Writable {
  let w = writable.get(group);
  if (!w) {
    const slots = new Uint8Array(Math.max(256, group.slots.byteLength * 2 + extra));
    slots.set(group.slots, 0);
    const room: Writable = { slots, length: group.slots.byteLength, bits: group.finishedBits.slice() };
    w = room;
    writable.set(group, room);
    group.finishedBits = room.bits;
    // Read when the progress is encoded (or the slots decoded): a view of what was appended, made then, not per result.
    Object.defineProperty(group, 'slots', {
      configurable: true,
      enumerable: true,
      get: (): Uint8Array => room.slots.subarray(0, room.length),
      set: (value: Uint8Array): void => {
        writable.delete(group);
        Object.defineProperty(group, 'slots', { configurable: true, enumerable: true, writable: true, value });
      },
    });
  }
  if (w.length + extra > w.slots.byteLength) {
    const grown = new Uint8Array(Math.max(w.slots.byteLength * 2, w.length + extra));
    grown.set(w.slots.subarray(0, w.length), 0);
    w.slots = grown;
  }
  return w;
}

/** The progress of a group that has just started, with `branches` branches. */
export function newGroupProgress(uid: number, dispatched: number, branches: number): GroupProgress {
  return { uid, dispatched, finished: 0, slots: EMPTY, finishedBits: new Uint8Array(Math.ceil(branches / 8)), children: {}, valueBytes: 0 };
}

/** Whether branch `index` of the group has finished. */
export function isFinished(group: GroupProgress, index: number): boolean {
  const byte = group.finishedBits[index >>> 3];
  return byte !== undefined && (byte & (1 << (index & 7))) !== 0;
}

/** Field tags of BranchSlot: index = 1 (varint), value = 2, error = 3, state = 4 (length-delimited). */
const INDEX_TAG = 0x08;
const VALUE_TAG = 0x12;
const STATE_TAG = 0x22;

/** Records that branch `slot.index` has finished, after those that finished before it. */
export function appendSlot(group: GroupProgress, slot: Slot): void {
  let message: Uint8Array | undefined;
  let size: number;
  if (slot.error) {
    message = BranchSlot.encode({ index: slot.index, value: undefined, error: slot.error, state: slot.state }).finish();
    size = message.byteLength;
  } else {
    size =
      (slot.index === 0 ? 0 : 1 + varintSize(slot.index)) +
      (slot.value ? 1 + varintSize(slot.value.byteLength) + slot.value.byteLength : 0) +
      (slot.state ? 1 + varintSize(slot.state.byteLength) + slot.state.byteLength : 0);
  }
  const w = writableOf(group, varintSize(size) + size);
  let pos = writeVarint(w.slots, w.length, size);
  if (message) {
    w.slots.set(message, pos);
    pos += message.byteLength;
  } else {
    if (slot.index !== 0) {
      w.slots[pos++] = INDEX_TAG;
      pos = writeVarint(w.slots, pos, slot.index);
    }
    if (slot.value) {
      w.slots[pos++] = VALUE_TAG;
      pos = writeVarint(w.slots, pos, slot.value.byteLength);
      w.slots.set(slot.value, pos);
      pos += slot.value.byteLength;
    }
    if (slot.state) {
      w.slots[pos++] = STATE_TAG;
      pos = writeVarint(w.slots, pos, slot.state.byteLength);
      w.slots.set(slot.state, pos);
      pos += slot.state.byteLength;
    }
  }
  w.length = pos;
  markFinished(group, w, slot.index);
}

/**
 * Records that branch `index` has finished with the encoded value
 * `bytes[start, end)` and no state (what `appendSlot` records for such a
 * slot), copied from the range without a view of it.
 */
export function appendValueSlot(group: GroupProgress, index: number, bytes: Uint8Array, start: number, end: number): void {
  const length = end - start;
  const size = (index === 0 ? 0 : 1 + varintSize(index)) + 1 + varintSize(length) + length;
  const w = writableOf(group, varintSize(size) + size);
  const out = w.slots;
  let pos = writeVarint(out, w.length, size);
  if (index !== 0) {
    out[pos++] = INDEX_TAG;
    pos = writeVarint(out, pos, index);
  }
  out[pos++] = VALUE_TAG;
  pos = writeVarint(out, pos, length);
  if (length <= 32) for (let k = start; k < end; k++) out[pos++] = bytes[k] as number;
  else {
    out.set(bytes.subarray(start, end), pos);
    pos += length;
  }
  w.length = pos;
  markFinished(group, w, index);
}

function markFinished(group: GroupProgress, w: Writable, index: number): void {
  const byte = index >>> 3;
  if (byte >= w.bits.byteLength) {
    const grown = new Uint8Array(byte + 1);
    grown.set(w.bits, 0);
    w.bits = grown;
    group.finishedBits = grown;
  }
  w.bits[byte] = (w.bits[byte] as number) | (1 << (index & 7));
}

/** The group's finished branches, in completion order. */
export function readSlots(group: GroupProgress): Slot[] {
  const slots: Slot[] = [];
  const bytes = group.slots;
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const length = reader.uint32();
    const start = reader.pos;
    if (start + length > reader.len) throw new RangeError('flink-tasks: the finished branches of a group are truncated');
    const s = BranchSlot.decode(bytes.subarray(start, start + length));
    slots.push({ index: s.index, value: s.value, error: s.error, state: s.state });
    reader.pos = start + length;
  }
  return slots;
}

/**
 * The encoded list value of a finished group whose slots all hold a plain
 * value and nothing else (no error, no state): each branch's value, or
 * `empty` for one without a value, in branch order (`ordered`, the slots
 * then being exactly branches 0 to n-1) or completion order, written
 * straight from the slots' bytes: what decoding the slots and listing their
 * values makes, without an object per slot. `undefined` when a slot holds
 * anything else; the caller then decodes them.
 */
export function plainListValue(group: GroupProgress, ordered: boolean, empty: Uint8Array): Uint8Array | undefined {
  const bytes = group.slots;
  const total = bytes.byteLength;
  // Slots are at least 2 bytes (a length and a value tag): bounds for them all.
  const capacity = total >>> 1;
  const starts = new Uint32Array(capacity);
  const ends = new Uint32Array(capacity);
  const order = ordered ? new Int32Array(capacity).fill(-1) : undefined;
  let n = 0;
  let inner = 0;
  let pos = 0;
  while (pos < total) {
    const size = readVarint(bytes, pos, total);
    const afterSize = varintEnd();
    const end = afterSize + size;
    if (size < 0 || end > total || n >= capacity) return undefined;
    let index = 0;
    let valueStart = -1;
    let valueEnd = -1;
    let p = afterSize;
    while (p < end) {
      const tag = bytes[p++] as number;
      if (tag === INDEX_TAG && p < end) {
        const v = readVarint(bytes, p, end);
        if (v < 0) return undefined;
        index = v;
        p = varintEnd();
      } else if (tag === VALUE_TAG && valueStart < 0) {
        const length = readVarint(bytes, p, end);
        const after = varintEnd();
        if (length < 0 || after + length > end) return undefined;
        valueStart = after;
        valueEnd = after + length;
        p = valueEnd;
      } else return undefined;
    }
    if (p !== end) return undefined;
    if (order) {
      if (index >= capacity || (order[index] as number) >= 0) return undefined;
      order[index] = n;
    }
    const length = valueEnd > valueStart ? valueEnd - valueStart : empty.byteLength;
    starts[n] = valueEnd > valueStart ? valueStart : 0;
    ends[n] = valueEnd > valueStart ? valueEnd : 0;
    inner += 1 + varintSize(length) + length;
    n += 1;
    pos = end;
  }
  if (order) for (let i = 0; i < n; i++) if ((order[i] as number) < 0) return undefined;
  const out = new Uint8Array(1 + varintSize(inner) + inner);
  out[0] = LIST_TAG;
  let at = writeVarint(out, 1, inner);
  for (let i = 0; i < n; i++) {
    const k = order ? (order[i] as number) : i;
    const start = starts[k] as number;
    const end = ends[k] as number;
    out[at++] = ITEM_TAG;
    if (end > start) {
      at = writeVarint(out, at, end - start);
      if (end - start <= 32) for (let b = start; b < end; b++) out[at++] = bytes[b] as number;
      else {
        out.set(bytes.subarray(start, end), at);
        at += end - start;
      }
    } else {
      at = writeVarint(out, at, empty.byteLength);
      out.set(empty, at);
      at += empty.byteLength;
    }
  }
  return out;
}

/** Field tags of an encoded list Value (list = 2) and of a ValueList (items = 1). */
const LIST_TAG = 0x12;
const ITEM_TAG = 0x0a;

const EMPTY = new Uint8Array(0);
