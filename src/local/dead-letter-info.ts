/**
 * Dead letters as the embedded runtime reports them.
 *
 * @module
 */
import type { DeadLetter } from '../wire/generated/flinktasks.js';

/**
 * A message the pipeline function dropped, with why.
 *
 * @example
 * ```ts
 * const runtime = new LocalRuntime(tasks, {
 *   onDeadLetter: (letter: DeadLetterInfo) => console.warn(letter.reason, letter.message, letter.record?.offset),
 * });
 * ```
 */
export interface DeadLetterInfo {
  /** An error code, e.g. `MissingKey`, `UndecodableMessage`, `InvalidReplyTopic`. */
  readonly reason: string;
  /** Why, as a sentence. */
  readonly message: string;
  /** Typename of the dropped message. */
  readonly typename: string;
  /** The dropped bytes (cut to half the reply limit). */
  readonly payload: Uint8Array;
  /** The pipeline id it was addressed to. */
  readonly targetId: string;
  /** For a Kafka record the ingress could not route: where it was, its key and value. */
  readonly record?:
    | {
        /** `MissingKey`, `MissingValue` or `KeyTooLong`. */
        readonly reason: string;
        /** The topic it was read from. */
        readonly topic: string;
        /** Its partition. */
        readonly partition: number;
        /** Its offset. */
        readonly offset: number;
        /** Its key, if it had one. */
        readonly key: Uint8Array;
        /** Its value, if it had one. */
        readonly value: Uint8Array;
      }
    | undefined;
}

/** The readable form of a wire dead letter. */
export function toDeadLetterInfo(letter: DeadLetter): DeadLetterInfo {
  const r = letter.record;
  return {
    reason: letter.reason,
    message: letter.message,
    typename: letter.typename,
    payload: letter.payload,
    targetId: letter.targetId,
    ...(r ? { record: { reason: r.reason, topic: r.topic, partition: r.partition, offset: r.offset, key: r.key, value: r.value } } : {}),
  };
}
