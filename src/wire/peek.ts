/**
 * Reading what can be read of a command that does not decode: where its
 * sender wants the answer, so that the sender hears why, instead of nothing.
 *
 * @module
 */
import { BinaryReader } from './protobuf-runtime.js';

/** What a broken `PipelineCommand` says about its sender, as far as it could be read. */
export interface CommandSender {
  readonly kind: 'submit' | 'action';
  readonly replyTopic: string;
  /** The submission's request id (`invocation_id`) or the action's `uid`. */
  readonly correlationId: string;
}

const LENGTH_DELIMITED = 2;

/** Field numbers: PipelineCommand.submit = 1, .action = 2; TaskRequest reply_topic = 3, invocation_id = 10; TaskActionRequest reply_topic = 2, uid = 5. */
const LAYOUT = {
  1: { kind: 'submit', replyTopic: 3, correlationId: 10 },
  2: { kind: 'action', replyTopic: 2, correlationId: 5 },
} as const;

/**
 * Scans `bytes` as a `PipelineCommand` for its reply topic and correlation id,
 * tolerating damage after them. `undefined` if neither can be found.
 */
export function peekCommandSender(bytes: Uint8Array): CommandSender | undefined {
  const reader = new BinaryReader(bytes);
  let found: { kind: 'submit' | 'action'; replyTopic: string; correlationId: string } | undefined;
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      const layout = (tag & 7) === LENGTH_DELIMITED ? LAYOUT[(tag >>> 3) as 1 | 2] : undefined;
      if (!layout) {
        reader.skipType(tag & 7);
        continue;
      }
      const end = reader.uint32() + reader.pos;
      found = { kind: layout.kind, replyTopic: '', correlationId: '' };
      while (reader.pos < end) {
        const inner = reader.uint32();
        const field = inner >>> 3;
        if ((inner & 7) === LENGTH_DELIMITED && field === layout.replyTopic) found.replyTopic = reader.string();
        else if ((inner & 7) === LENGTH_DELIMITED && field === layout.correlationId) found.correlationId = reader.string();
        else reader.skipType(inner & 7);
      }
    }
  } catch {
    // Damaged past this point: keep what was read.
  }
  return found && (found.replyTopic !== '' || found.correlationId !== '') ? found : undefined;
}
