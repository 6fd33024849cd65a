/**
 * Dropping what cannot be processed, loudly: one log line, and a record on
 * the dead-letter egress when one is configured. A dropped message never
 * touches the state of the address it was sent to.
 *
 * @module
 */
import type { ErrorCodeName } from '../core/error-codes.js';
import { codecs } from '../wire/codec.js';
import type { InvalidRecord } from '../wire/generated/flinktasks.js';
import type { Step } from './run.js';

/** What was dropped. */
export interface DroppedMessage {
  readonly code: ErrorCodeName;
  /** Why, as a sentence. */
  readonly message: string;
  readonly typename: string;
  readonly payload: Uint8Array;
  /** Set when the flink-tasks ingress could not route a Kafka record. */
  readonly record?: InvalidRecord | undefined;
}

/** Logs `dropped` and publishes it to the dead-letter egress, if configured. */
export function deadLetter(step: Step, dropped: DroppedMessage): void {
  const { self, effects, config } = step;
  effects.log('warn', `dropped a message: ${dropped.message}`, {
    pipeline: self.id,
    code: dropped.code,
    typename: dropped.typename,
    bytes: dropped.payload.byteLength,
    ...(dropped.record ? { topic: dropped.record.topic, partition: dropped.record.partition, offset: dropped.record.offset } : {}),
  });
  const target = config.deadLetters;
  if (!target) return;
  // The dead letter must fit the egress: what it carries is cut to half the reply limit.
  const room = Math.floor(config.limits.maxReplyBytes / 2);
  const cut = (bytes: Uint8Array): Uint8Array => (bytes.byteLength > room ? bytes.subarray(0, room) : bytes);
  const record = dropped.record ? { ...dropped.record, value: cut(dropped.record.value), key: cut(dropped.record.key) } : undefined;
  const truncated = dropped.payload.byteLength > room || (dropped.record !== undefined && dropped.record.value.byteLength > room);
  effects.publish({
    egress: target.egress,
    topic: target.topic,
    key: self.id,
    value: codecs.deadLetter.encode({
      reason: dropped.code,
      message: truncated ? `${dropped.message} (the dropped bytes are cut to their first ${room} bytes)` : dropped.message,
      typename: dropped.typename,
      // An invalid record's bytes are in `record`; do not carry them twice.
      payload: record ? new Uint8Array(0) : cut(dropped.payload),
      targetId: self.id,
      record,
    }),
  });
}
