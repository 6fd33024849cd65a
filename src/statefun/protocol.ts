/**
 * The StateFun request-reply protocol (runtime side), generated from
 * `types/statefun/request-reply.proto`: used by the embedded local runtime,
 * and to count the invocations of a batch without decoding it.
 *
 * @module
 */
import { FromFunction, KafkaProducerRecord, ToFunction, type Address } from '../wire/generated/statefun/request-reply.js';
import { BinaryReader } from '../wire/protobuf-runtime.js';

export type {
  Address as PbAddress,
  FromFunction as PbFromFunction,
  KafkaProducerRecord as PbKafkaProducerRecord,
  ToFunction_Invocation as PbInvocation,
  TypedValue as PbTypedValue,
} from '../wire/generated/statefun/request-reply.js';

/** Encodes a batch request. */
export function encodeToFunction(message: ToFunction): Uint8Array {
  return ToFunction.encode(message).finish();
}
/** Decodes a function's answer. */
export function decodeFromFunction(bytes: Uint8Array): FromFunction {
  return FromFunction.decode(bytes);
}
/** Decodes the value of a Kafka egress message. */
export function decodeKafkaRecord(bytes: Uint8Array): KafkaProducerRecord {
  return KafkaProducerRecord.decode(bytes);
}

/** Field numbers of `ToFunction` (request = 100) and its `InvocationBatchRequest` (target = 1, invocations = 3). */
const INVOCATION_REQUEST = 100;
const TARGET = 1;
const INVOCATIONS = 3;
const LENGTH_DELIMITED = 2;

function readAddress(reader: BinaryReader, end: number): Address {
  const address: Address = { namespace: '', type: '', id: '' };
  while (reader.pos < end) {
    const tag = reader.uint32();
    switch (tag) {
      case 10:
        address.namespace = reader.string();
        break;
      case 18:
        address.type = reader.string();
        break;
      case 26:
        address.id = reader.string();
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  return address;
}

/**
 * Reads the target and the number of invocations of a batch request without
 * decoding its state values (they are skipped by length). Throws on bytes
 * that are not a batch request.
 */
export function peekBatch(bytes: Uint8Array): { target: Address | undefined; invocations: number } {
  const reader = new BinaryReader(bytes);
  let target: Address | undefined;
  let invocations = 0;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 !== INVOCATION_REQUEST || (tag & 7) !== LENGTH_DELIMITED) {
      reader.skipType(tag & 7);
      continue;
    }
    const end = reader.uint32() + reader.pos;
    while (reader.pos < end) {
      const inner = reader.uint32();
      const field = inner >>> 3;
      if (field === TARGET && (inner & 7) === LENGTH_DELIMITED) {
        target = readAddress(reader, reader.uint32() + reader.pos);
      } else {
        if (field === INVOCATIONS) invocations += 1;
        reader.skipType(inner & 7);
      }
    }
  }
  return { target, invocations };
}
