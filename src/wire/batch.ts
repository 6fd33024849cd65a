/**
 * Message batches (`MessageBatch` in `types/flinktasks.proto`): several task
 * requests, results or errors for one function address, in order, carried as
 * one StateFun message. Written and read by hand: a batch is the payloads
 * side by side, so writing one is copying bytes, and reading one hands out
 * views of its payloads without copying them.
 *
 * @module
 */
import { varintSize, writeVarint } from '../core/varint.js';
import { BinaryReader } from './protobuf-runtime.js';

/** StateFun typename of a batch. */
export const MESSAGE_BATCH_TYPENAME = 'io.flinktasks/MessageBatch';

/** Typenames a batch may carry, by their `BatchedKind` number. */
const KINDS = ['io.flinktasks/TaskRequest', 'io.flinktasks/TaskResult', 'io.flinktasks/TaskException', 'io.flinktasks/MapResults'] as const;

/** A message a batch may carry. */
export interface BatchedItem {
  readonly typename: string;
  readonly payload: Uint8Array;
}

/** Whether messages of `typename` may travel in a batch. */
export function isBatchable(typename: string): boolean {
  return KINDS.includes(typename as (typeof KINDS)[number]);
}

/** Field tags: MessageBatch.messages = 1 (length-delimited); BatchedMessage.kind = 1 (varint), .payload = 2 (length-delimited). */
const MESSAGES_TAG = 0x0a;
const KIND_TAG = 0x08;
const PAYLOAD_TAG = 0x12;

/** Encodes `items` (every one of a batchable typename) as a `MessageBatch`. */
export function encodeBatch(items: readonly BatchedItem[]): Uint8Array {
  const kinds = new Array<number>(items.length);
  const inner = new Array<number>(items.length);
  let size = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as BatchedItem;
    const kind = KINDS.indexOf(item.typename as (typeof KINDS)[number]);
    if (kind < 0) throw new Error(`flink-tasks: a message of type '${item.typename}' cannot travel in a batch`);
    kinds[i] = kind;
    const length = item.payload.byteLength;
    // kind 0 is the default and is left out, as protobuf does
    const n = (kind === 0 ? 0 : 2) + 1 + varintSize(length) + length;
    inner[i] = n;
    size += 1 + varintSize(n) + n;
  }
  const out = new Uint8Array(size);
  let pos = 0;
  for (let i = 0; i < items.length; i++) {
    const payload = (items[i] as BatchedItem).payload;
    out[pos++] = MESSAGES_TAG;
    pos = writeVarint(out, pos, inner[i] as number);
    const kind = kinds[i] as number;
    if (kind !== 0) {
      out[pos++] = KIND_TAG;
      out[pos++] = kind;
    }
    out[pos++] = PAYLOAD_TAG;
    pos = writeVarint(out, pos, payload.byteLength);
    out.set(payload, pos);
    pos += payload.byteLength;
  }
  return out;
}

/**
 * Calls `each` with every message of a batch, in order; payloads are views
 * of `bytes`. Throws, before calling `each` at all, on bytes that are not a
 * well-formed batch (an unknown kind included).
 */
export function readBatch(bytes: Uint8Array, each: (item: BatchedItem) => void): void {
  const items: BatchedItem[] = [];
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag !== MESSAGES_TAG) {
      reader.skipType(tag & 7);
      continue;
    }
    const end = reader.uint32() + reader.pos;
    if (end > reader.len) throw new RangeError('flink-tasks: a message batch is truncated');
    let kind = 0;
    let payload: Uint8Array = EMPTY;
    while (reader.pos < end) {
      const inner = reader.uint32();
      if (inner === KIND_TAG) kind = reader.uint32();
      else if (inner === PAYLOAD_TAG) {
        const length = reader.uint32();
        const start = reader.pos;
        if (start + length > end) throw new RangeError('flink-tasks: a message in a batch is truncated');
        payload = bytes.subarray(start, start + length);
        reader.pos = start + length;
      } else reader.skipType(inner & 7);
    }
    if (reader.pos !== end) throw new RangeError('flink-tasks: a message in a batch overruns its length');
    const typename = KINDS[kind];
    if (typename === undefined) throw new RangeError(`flink-tasks: a message batch holds a message of unknown kind ${kind}`);
    items.push({ typename, payload });
  }
  for (const item of items) each(item);
}

const EMPTY = new Uint8Array(0);
