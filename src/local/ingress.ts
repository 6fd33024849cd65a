/**
 * What the flink-tasks Kafka ingress (`io.flinktasks.kafka.v1/ingress`, in the
 * launcher's Java project) does with a record, for the embedded runtime: a
 * valid record becomes a command at its key; a record without a key, without
 * a value, or with a key that is too long becomes an `InvalidRecord` at the
 * reserved id, never a failure.
 *
 * @module
 */
import { REQUESTS_TOPIC } from '../core/topics.js';
import { INVALID_RECORDS_ID } from '../executor/config.js';
import { codecs, Typenames } from '../wire/codec.js';

/**
 * A Kafka-style record, as a client could write it to the requests topic.
 *
 * @example
 * ```ts
 * const keyless: IngressRecord = { key: null, value: bytes };
 * ```
 */
export interface IngressRecord {
  /** The record key (the pipeline id); `null` or `undefined`: none. */
  readonly key: string | Uint8Array | null | undefined;
  /** The record value (`PipelineCommand` bytes); `null` or `undefined`: a tombstone. */
  readonly value: Uint8Array | null | undefined;
  /** The topic it was read from, for dead letters; default `flink-tasks.requests`. */
  readonly topic?: string;
  /** Its partition; default 0. */
  readonly partition?: number;
  /** Its offset; default 0. */
  readonly offset?: number;
}

/** Keys longer than this (in UTF-8 bytes) are refused, as the ingress's default `maxKeyBytes`. */
export const MAX_KEY_BYTES = 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Where the ingress sends `record`: the function id, typename and payload. */
export function routeRecord(record: IngressRecord, now: number): { id: string; typename: string; payload: Uint8Array } {
  const key = typeof record.key === 'string' ? encoder.encode(record.key) : (record.key ?? undefined);
  const value = record.value ?? undefined;
  const reason =
    key === undefined || key.byteLength === 0 ? 'MissingKey' : value === undefined ? 'MissingValue' : key.byteLength > MAX_KEY_BYTES ? 'KeyTooLong' : undefined;
  if (reason === undefined && key && value) return { id: decoder.decode(key), typename: Typenames.pipelineCommand, payload: value };
  return {
    id: INVALID_RECORDS_ID,
    typename: Typenames.invalidRecord,
    payload: codecs.invalidRecord.encode({
      reason: reason ?? 'MissingKey',
      topic: record.topic ?? REQUESTS_TOPIC,
      partition: record.partition ?? 0,
      offset: record.offset ?? 0,
      key: key ? key.subarray(0, MAX_KEY_BYTES) : new Uint8Array(0),
      value: value ?? new Uint8Array(0),
      timestamp: now,
    }),
  };
}
