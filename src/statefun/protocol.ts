/**
 * Codecs for the StateFun request-reply protocol (runtime side), used by the
 * embedded local runtime and to count the invocations of a batch.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

const root = protobuf.parse(readFileSync(new URL('../../types/statefun/request-reply.proto', import.meta.url), 'utf8')).root;
const ToFunction = root.lookupType('io.statefun.sdk.reqreply.ToFunction');
const FromFunction = root.lookupType('io.statefun.sdk.reqreply.FromFunction');
const KafkaProducerRecord = root.lookupType('io.statefun.sdk.reqreply.KafkaProducerRecord');

/** A protocol address. */
export interface PbAddress { namespace: string; type: string; id: string }
/** A protocol typed value. */
export interface PbTypedValue { typename: string; hasValue: boolean; value: Uint8Array }
/** One state value sent to a function. */
export interface PbPersistedValue { stateName: string; stateValue: PbTypedValue }
/** One invocation of a batch. */
export interface PbInvocation { caller?: PbAddress | null; argument: PbTypedValue }
/** A batch request. */
export interface PbToFunction {
  invocation: { target: PbAddress; state: PbPersistedValue[]; invocations: PbInvocation[] };
}
/** A function's answer. */
export interface PbFromFunction {
  invocationResult?: {
    stateMutations: Array<{ mutationType: number; stateName: string; stateValue?: PbTypedValue | null }>;
    outgoingMessages: Array<{ target: PbAddress; argument: PbTypedValue }>;
    delayedInvocations: Array<{
      isCancellationRequest: boolean; cancellationToken: string; delayInMs: number | { toNumber(): number };
      target?: PbAddress | null; argument?: PbTypedValue | null;
    }>;
    outgoingEgresses: Array<{ egressNamespace: string; egressType: string; argument: PbTypedValue }>;
  } | null;
  incompleteInvocationContext?: { missingValues: Array<{ stateName: string; typeTypename: string }> } | null;
}
/** A Kafka egress record. */
export interface PbKafkaProducerRecord { key: string; valueBytes: Uint8Array; topic: string }

/** Encodes a batch request. */
export function encodeToFunction(message: PbToFunction): Uint8Array {
  return ToFunction.encode(message).finish();
}
/** Decodes a function's answer. */
export function decodeFromFunction(bytes: Uint8Array): PbFromFunction {
  return FromFunction.decode(bytes) as unknown as PbFromFunction;
}
/** Decodes the value of a Kafka egress message. */
export function decodeKafkaRecord(bytes: Uint8Array): PbKafkaProducerRecord {
  return KafkaProducerRecord.decode(bytes) as unknown as PbKafkaProducerRecord;
}

function readAddress(reader: protobuf.Reader, end: number): PbAddress {
  const address: PbAddress = { namespace: '', type: '', id: '' };
  while (reader.pos < end) {
    const tag = reader.uint32();
    switch (tag) {
      case 10: address.namespace = reader.string(); break;
      case 18: address.type = reader.string(); break;
      case 26: address.id = reader.string(); break;
      default: reader.skipType(tag & 7);
    }
  }
  return address;
}

/**
 * Reads the target and the number of invocations of a batch request without
 * decoding its state values (they are skipped by length).
 */
export function peekBatch(bytes: Uint8Array): { target: PbAddress | undefined; invocations: number } {
  const reader = protobuf.Reader.create(bytes);
  let target: PbAddress | undefined;
  let invocations = 0;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 !== 100 || (tag & 7) !== 2) {
      reader.skipType(tag & 7);
      continue;
    }
    const end = reader.uint32() + reader.pos;
    while (reader.pos < end) {
      const inner = reader.uint32();
      const field = inner >>> 3;
      if (field === 1 && (inner & 7) === 2) {
        target = readAddress(reader, reader.uint32() + reader.pos);
      } else {
        if (field === 3) invocations += 1;
        reader.skipType(inner & 7);
      }
    }
  }
  return { target, invocations };
}
