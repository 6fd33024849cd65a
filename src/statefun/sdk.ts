/**
 * The few things every function needs from the StateFun SDK: raw-bytes
 * value types, addresses, and applying executor/worker effects.
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import { kafkaEgressMessage, messageBuilder, StateFun, type Context } from 'apache-flink-statefun';
import type { FunctionAddress } from '../core/address.js';
import type { Effects } from '../executor/effects.js';

/** The storage object of a context whose specs are named `K`, holding raw bytes. */
export type StorageOf<K extends string> = Record<K, Buffer | null>;

const bytesTypes = new Map<string, ReturnType<typeof StateFun.customType>>();

/** A StateFun type carrying raw bytes under `typename`. */
export function bytesType(typename: string): ReturnType<typeof StateFun.customType> {
  let t = bytesTypes.get(typename);
  if (!t) {
    t = StateFun.customType(typename, (value: Uint8Array) => Buffer.from(value.buffer, value.byteOffset, value.byteLength), (buf: Buffer) => buf);
    bytesTypes.set(typename, t);
  }
  return t;
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
  return total;
}

/** Hands `effects` to the SDK: messages, delayed messages, egress records. */
export function applyEffects(context: Context, effects: Effects): void {
  for (const m of effects.outgoing) {
    context.send(messageBuilder({ typename: `${m.target.namespace}/${m.target.name}`, id: m.target.id, value: m.payload, valueType: bytesType(m.typename) }));
  }
  for (const m of effects.delayed) {
    const message = messageBuilder({ typename: `${m.target.namespace}/${m.target.name}`, id: m.target.id, value: m.payload, valueType: bytesType(m.typename) });
    context.sendAfter(Math.max(0, Math.round(m.delayMs)), message, m.cancellationToken);
  }
  for (const e of effects.egress) {
    context.send(kafkaEgressMessage({ typename: e.egress, topic: e.topic, key: e.key, value: e.value, valueType: bytesType('io.flinktasks/Bytes') }));
  }
}
