/**
 * What the executor consumes and produces. Plain data: no SDK, no I/O.
 *
 * @module
 */
import type { FunctionAddress } from '../dsl/context.js';
import type { LogEntry, LogLevel } from '../log.js';
import type { PipelineNode } from '../ir/nodes.js';
import type { WirePipelineProgress, WirePipelineRecord } from '../wire/messages.js';

/** A message delivered to a function. */
export interface IncomingMessage {
  /** StateFun typename of the payload, e.g. `io.flinktasks/TaskResult`. */
  readonly typename: string;
  readonly payload: Uint8Array;
  /** The sending function, if the message came from one. */
  readonly caller?: FunctionAddress | undefined;
}

/** A message to another function. */
export interface OutgoingMessage {
  readonly target: FunctionAddress;
  readonly typename: string;
  readonly payload: Uint8Array;
}

/** A message delivered after a delay (retries). */
export interface DelayedMessage extends OutgoingMessage {
  readonly delayMs: number;
  readonly cancellationToken?: string | undefined;
}

/** A record for a Kafka egress. */
export interface EgressRecord {
  /** Egress typename, e.g. `flinktasks/replies`. */
  readonly egress: string;
  readonly topic: string;
  readonly key: string;
  readonly value: Uint8Array;
}

/** Side effects collected while handling a batch; applied together by the runtime. */
export class Effects {
  readonly outgoing: OutgoingMessage[] = [];
  readonly delayed: DelayedMessage[] = [];
  readonly egress: EgressRecord[] = [];
  readonly logs: LogEntry[] = [];

  send(message: OutgoingMessage): void {
    this.outgoing.push(message);
  }
  sendAfter(message: DelayedMessage): void {
    this.delayed.push(message);
  }
  publish(record: EgressRecord): void {
    this.egress.push(record);
  }
  log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
    this.logs.push({ level, message, fields });
  }
}

/**
 * The decoded state of one pipeline function address during a batch, plus
 * caches derived from it (never persisted).
 */
export interface PipelineSession {
  record: WirePipelineRecord | undefined;
  progress: WirePipelineProgress | undefined;
  recordChanged: boolean;
  progressChanged: boolean;
  /** The record's pipeline as IR, after automatic splitting. */
  ir?: PipelineNode | undefined;
  /** Branch indexes already finished in the current group. */
  finished?: Set<number> | undefined;
}

/**
 * Creates a session from decoded state, giving it own, mutable containers
 * (protobuf decoders share frozen empty defaults).
 */
export function openSession(record: WirePipelineRecord | undefined, progress: WirePipelineProgress | undefined): PipelineSession {
  if (progress) {
    progress.held = [...(progress.held ?? [])];
    if (progress.group) {
      progress.group.slots = [...(progress.group.slots ?? [])];
      progress.group.children = { ...(progress.group.children ?? {}) };
    }
  }
  return { record, progress, recordChanged: false, progressChanged: false };
}
