/**
 * The few things every function needs from the StateFun SDK: raw-bytes
 * value types, addresses, and applying executor/worker effects.
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import { egressMessageBuilder, messageBuilder, StateFun, type Context, type Message } from 'apache-flink-statefun';
import { KafkaProducerRecord } from '../wire/generated/statefun/request-reply.js';
import type { FunctionAddress } from '../core/address.js';
import type { EgressRecord, Effects, MapResultsPart, OutgoingMessage } from '../executor/effects.js';
import { eventBatchOf } from '../wire/events.js';
import { ArgsTable } from '../ir/args-table.js';
import { codecs, Typenames } from '../wire/codec.js';
import type { TaskRequest } from '../wire/generated/flinktasks.js';
import { encodeBatch, isBatchable, MESSAGE_BATCH_TYPENAME } from '../wire/batch.js';

/** The typename of a Kafka egress record's value (as the SDK's `kafkaEgressMessage` writes it). */
const KAFKA_RECORD_TYPENAME = 'type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord';

/** Largest EventBatch record (events of one call beyond it go in another). */
const EVENT_BATCH_BYTES = 512 * 1024;

/** The storage object of a context whose specs are named `K`, holding raw bytes. */
export type StorageOf<K extends string> = Record<K, Buffer | null>;

const bytesTypes = new Map<string, ReturnType<typeof StateFun.customType>>();

/** A StateFun type carrying raw bytes under `typename`. */
export function bytesType(typename: string): ReturnType<typeof StateFun.customType> {
  let t = bytesTypes.get(typename);
  if (!t) {
    t = StateFun.customType(
      typename,
      (value: Uint8Array) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
      (buf: Buffer) => buf,
    );
    bytesTypes.set(typename, t);
  }
  return t;
}

/**
 * The bytes a message carries, as a view of the request (the SDK's
 * `rawValueBytes` copies them on every read). Throws, as it does, on a
 * message without a value.
 */
export function payloadOf(message: Message): Uint8Array {
  // The SDK declares `typedValue` without a type; it is its generated TypedValue message.
  const typed = message.typedValue as TypedValueBytes;
  if (!typed.getHasValue()) throw new Error('Unexpected message without a value');
  return typed.getValue_asU8();
}

/** What `payloadOf` reads of the SDK's generated `TypedValue`. */
interface TypedValueBytes {
  getHasValue(): boolean;
  getValue_asU8(): Uint8Array;
}

/** Key of a batch being handled: its target address. */
export function batchKey(namespace: string, name: string, id: string): string {
  return `${namespace}/${name}/${id}`;
}

/** The address a context runs at. */
export function addressOf(context: Context): FunctionAddress {
  return { namespace: context.self.namespace, name: context.self.name, id: context.self.id };
}

/** The caller of the current invocation, if a function sent it. */
export function callerOf(context: Context): FunctionAddress | undefined {
  const caller = context.caller;
  return caller ? { namespace: caller.namespace, name: caller.name, id: caller.id } : undefined;
}

/** Bytes that applying `effects` adds to the response. */
export function effectsBytes(effects: Effects): number {
  let total = 0;
  for (const m of effects.outgoing) total += m.payload.byteLength + 64;
  for (const m of effects.delayed) total += m.payload.byteLength + 96;
  for (const e of effects.egress) total += e.value.byteLength + e.topic.length + e.key.length + 64;
  if (effects.mapResults) for (const r of effects.mapResults) total += r.value.byteLength + 8;
  if (effects.mapParts) for (const p of effects.mapParts) total += p.values.byteLength + 8 * p.branches.length;
  return total;
}

/** The results of one map request's calls, gathered into one `MapResults` message. */
interface MapGroup {
  readonly target: FunctionAddress;
  readonly request: TaskRequest;
  /** Their branches, in order; `undefined` while `only` holds them all. */
  branches: number[] | undefined;
  /** Values of single results not yet packed, after those in `packed`. */
  values: Uint8Array[];
  /** Packed values, in order. */
  readonly packed: Uint8Array[];
  /** The group's only part so far, if it came packed (sent as it is). */
  only: MapResultsPart | undefined;
}

function newMapGroup(target: FunctionAddress, request: TaskRequest): MapGroup {
  return { target, request, branches: [], values: [], packed: [], only: undefined };
}

/** Adds a packed part to `group`, after what it holds. */
function addPart(group: MapGroup, part: MapResultsPart): void {
  if (group.branches?.length === 0 && group.packed.length === 0) {
    group.only = part;
    group.branches = undefined;
    return;
  }
  spill(group);
  for (const b of part.branches) (group.branches as number[]).push(b);
  group.packed.push(part.values);
}

/** Turns the group's `only` part and single values into packed pieces, so that more can follow in order. */
function spill(group: MapGroup): void {
  if (group.only) {
    group.branches = [...group.only.branches];
    group.packed.push(group.only.values);
    group.only = undefined;
  }
  if (group.values.length > 0) {
    group.packed.push(ArgsTable.of(group.values).packed);
    group.values = [];
  }
}

/**
 * Hands `effects` (of one or more invocations, in order) to the SDK:
 * messages, delayed messages, egress records. Consecutive task requests,
 * results and errors for one address travel as one message batch (see
 * `MessageBatch`), and the plain results of one map request's calls as one
 * `MapResults` in it; every address still receives each call's messages in
 * the order they were sent.
 */
export function applyEffects(context: Context, ...effects: readonly Effects[]): void {
  const open = new Map<string, (OutgoingMessage | MapGroup)[]>();
  const out: (OutgoingMessage | (OutgoingMessage | MapGroup)[])[] = [];
  const groups = new Map<TaskRequest, MapGroup>();
  const batchFor = (key: string): (OutgoingMessage | MapGroup)[] => {
    let batch = open.get(key);
    if (!batch) {
      batch = [];
      open.set(key, batch);
      out.push(batch);
    }
    return batch;
  };
  for (const e of effects) {
    for (const m of e.outgoing) {
      const key = `${m.target.namespace}/${m.target.name}/${m.target.id}`;
      if (!isBatchable(m.typename)) {
        open.delete(key);
        out.push(m);
        continue;
      }
      batchFor(key).push(m);
    }
    for (const r of e.mapResults ?? []) {
      let group = groups.get(r.request);
      if (!group) {
        group = newMapGroup(r.target, r.request);
        groups.set(r.request, group);
        batchFor(`${r.target.namespace}/${r.target.name}/${r.target.id}`).push(group);
      }
      if (group.only) spill(group);
      (group.branches as number[]).push(r.branch);
      group.values.push(r.value);
    }
    for (const p of e.mapParts ?? []) {
      let group = groups.get(p.request);
      if (!group) {
        group = newMapGroup(p.target, p.request);
        groups.set(p.request, group);
        batchFor(`${p.target.namespace}/${p.target.name}/${p.target.id}`).push(group);
      }
      addPart(group, p);
    }
  }
  for (const m of out) {
    if (!Array.isArray(m)) {
      send(context, m.target, m.typename, m.payload);
      continue;
    }
    const items = m.map((item): OutgoingMessage => ('payload' in item ? item : mapResultsOf(item)));
    const first = items[0] as OutgoingMessage;
    if (items.length === 1) send(context, first.target, first.typename, first.payload);
    else send(context, first.target, MESSAGE_BATCH_TYPENAME, encodeBatch(items));
  }
  for (const e of effects) {
    for (const m of e.delayed) {
      const message = messageBuilder({
        typename: `${m.target.namespace}/${m.target.name}`,
        id: m.target.id,
        value: m.payload,
        valueType: bytesType(m.typename),
      });
      context.sendAfter(Math.max(0, Math.round(m.delayMs)), message, m.cancellationToken);
    }
  }
  // Events for one egress, topic and key go together as EventBatch records (in order, each at most EVENT_BATCH_BYTES).
  const records: (EgressRecord | { readonly record: EgressRecord; readonly events: Uint8Array[]; size: number })[] = [];
  const openEvents = new Map<string, { readonly record: EgressRecord; readonly events: Uint8Array[]; size: number }>();
  for (const e of effects) {
    for (const r of e.egress) {
      if (!r.event) {
        records.push(r);
        continue;
      }
      const key = `${r.egress}\u0000${r.topic}\u0000${r.key}`;
      let batch = openEvents.get(key);
      if (!batch || batch.size + r.value.byteLength > EVENT_BATCH_BYTES) {
        batch = { record: r, events: [], size: 0 };
        openEvents.set(key, batch);
        records.push(batch);
      }
      batch.events.push(r.value);
      batch.size += r.value.byteLength + 4;
    }
  }
  for (const item of records) {
    const r = 'record' in item ? item.record : item;
    const value = 'record' in item ? (item.events.length === 1 ? (item.events[0] as Uint8Array) : eventBatchOf(item.events)) : item.value;
    if (r.topic === '') throw new Error('topic is missing');
    // What kafkaEgressMessage sends, encoded with our codec instead of google-protobuf's.
    const record = KafkaProducerRecord.encode({ key: r.key, valueBytes: value, topic: r.topic }).finish();
    context.send(egressMessageBuilder({ typename: r.egress, value: record, valueType: bytesType(KAFKA_RECORD_TYPENAME) }));
  }
}

function mapResultsOf(group: MapGroup): OutgoingMessage {
  const { request } = group;
  let branches: readonly number[];
  let values: Uint8Array;
  if (group.only) {
    branches = group.only.branches;
    values = group.only.values;
  } else {
    spill(group);
    branches = group.branches as number[];
    values = group.packed.length === 1 ? (group.packed[0] as Uint8Array) : concat(group.packed);
  }
  return {
    target: group.target,
    typename: Typenames.mapResults,
    payload: codecs.mapResults.encode({
      invocationId: request.invocationId,
      uid: request.uid,
      branches: branches as number[],
      values,
      id: request.id,
      taskName: request.taskName,
    }),
  };
}

function concat(pieces: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of pieces) size += p.byteLength;
  const out = new Uint8Array(size);
  let pos = 0;
  for (const p of pieces) {
    out.set(p, pos);
    pos += p.byteLength;
  }
  return out;
}

function send(context: Context, target: FunctionAddress, typename: string, payload: Uint8Array): void {
  context.send(messageBuilder({ typename: `${target.namespace}/${target.name}`, id: target.id, value: payload, valueType: bytesType(typename) }));
}
