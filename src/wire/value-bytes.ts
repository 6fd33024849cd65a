/**
 * Encoded `Value`s, handled as bytes: the pipeline function moves results
 * without decoding them, and builds a group's list by putting its branches'
 * encoded values side by side (a `ValueList` is its items' fields one after
 * another), so that combining n results copies bytes instead of building
 * and re-encoding n objects.
 *
 * @module
 */
import { varintSize, writeVarint } from '../core/varint.js';
import { Value, type TaskException } from './generated/flinktasks.js';
import { BinaryReader } from './protobuf-runtime.js';

/** Field tags of `Value` (json = 1, list = 2, error = 3) and `ValueList` (items = 1); all length-delimited. */
const JSON_TAG = 0x0a;
const LIST_TAG = 0x12;
const ITEM_TAG = 0x0a;

/** `tag`, the length of `body`, then `body`. */
function field(tag: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + varintSize(body.byteLength) + body.byteLength);
  out[0] = tag;
  out.set(body, writeVarint(out, 1, body.byteLength));
  return out;
}

/** The encoded Value holding superjson bytes `json`. */
export function jsonValueBytes(json: Uint8Array): Uint8Array {
  return field(JSON_TAG, json);
}

/** The encoded Value holding `error` (an error standing in a list slot). */
export function errorValueBytes(error: TaskException): Uint8Array {
  return Value.encode({ kind: { $case: 'error', value: error } }).finish();
}

/** An encoded empty list. */
export function emptyListValue(): Uint8Array {
  return new Uint8Array([LIST_TAG, 0]);
}

/**
 * Builds an encoded list Value from `parts`, in order: each part either one
 * item (an encoded Value) or, with `spread`, the items of an encoded list
 * Value (non-list values add nothing), as a split group concatenates its
 * sub-groups' lists.
 */
export function listValueBytes(parts: readonly { readonly bytes: Uint8Array; readonly spread: boolean }[]): Uint8Array {
  const pieces: Uint8Array[] = [];
  let inner = 0;
  for (const part of parts) {
    if (part.spread) {
      const items = listBody(part.bytes);
      if (items === undefined) continue;
      pieces.push(items);
      inner += items.byteLength;
    } else {
      const header = new Uint8Array(1 + varintSize(part.bytes.byteLength));
      header[0] = ITEM_TAG;
      writeVarint(header, 1, part.bytes.byteLength);
      pieces.push(header, part.bytes);
      inner += header.byteLength + part.bytes.byteLength;
    }
  }
  const out = new Uint8Array(1 + varintSize(inner) + inner);
  out[0] = LIST_TAG;
  let pos = writeVarint(out, 1, inner);
  for (const p of pieces) {
    out.set(p, pos);
    pos += p.byteLength;
  }
  return out;
}

/**
 * The body of an encoded list Value (its items' fields, as in a
 * `ValueList`), or `undefined` if `bytes` is not a list.
 */
export function listBody(bytes: Uint8Array): Uint8Array | undefined {
  const reader = new BinaryReader(bytes);
  let body: Uint8Array | undefined;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag !== LIST_TAG) {
      // Another field of the oneof set after the list replaces it (protobuf's last-one-wins).
      if (tag === JSON_TAG || tag === 0x1a) body = undefined;
      reader.skipType(tag & 7);
      continue;
    }
    const length = reader.uint32();
    const start = reader.pos;
    if (start + length > reader.len) throw new RangeError('flink-tasks: an encoded list value is truncated');
    // A list set twice merges: its items add up.
    body = body === undefined ? bytes.subarray(start, start + length) : concat(body, bytes.subarray(start, start + length));
    reader.pos = start + length;
  }
  return body;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}
