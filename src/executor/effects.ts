/**
 * What the executor consumes and produces. Plain data: no SDK, no I/O.
 *
 * @module
 */
import type { FunctionAddress } from '../core/address.js';
import type { LogEntry, LogLevel } from '../core/log.js';
import type { PipelineNode } from '../ir/nodes.js';
import type { PipelineProgress, PipelineRecord, SubmissionUpload, TaskRequest } from '../wire/generated/flinktasks.js';

/** A message delivered to a function. */
export interface FunctionMessage {
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

/**
 * The plain result of one call of a map request (`TaskRequest.map_branches`):
 * it travels with the other results of its request, in one `MapResults`
 * message, and stands for the `TaskResult` the call would have sent alone.
 */
export interface MapResult {
  readonly target: FunctionAddress;
  /** The map request the call came from (its results travel together). */
  readonly request: TaskRequest;
  readonly branch: number;
  /** The result, an encoded Value. */
  readonly value: Uint8Array;
}

/**
 * The plain results of several calls of one map request, already packed as
 * `MapResults.values` carries them (each a varint length and an encoded
 * Value): what {@link MapResult}s of those calls would add up to, written
 * without an object or an array per call.
 */
export interface MapResultsPart {
  readonly target: FunctionAddress;
  /** The map request the calls came from (its results travel together). */
  readonly request: TaskRequest;
  /** The calls' branches, in the order of their values. */
  readonly branches: readonly number[];
  /** Their values, packed. */
  readonly values: Uint8Array;
}

/** A record for a Kafka egress. */
export interface EgressRecord {
  /** Egress typename, e.g. `flinktasks/replies`. */
  readonly egress: string;
  readonly topic: string;
  readonly key: string;
  readonly value: Uint8Array;
  /**
   * An encoded `Event`: the events of one call with the same egress, topic
   * and key are published together, as one `EventBatch` record.
   */
  readonly event?: boolean | undefined;
}

/** Side effects collected while handling a batch; applied together by the runtime. */
export class Effects {
  /**
   * @param now - the runtime's clock when the batch started (ms since the
   *   epoch): the time stamped on events. The executor reads no clock itself.
   * @param debug - whether anyone reads debug lines: hot paths skip making
   *   them when not (see `wantsDebug`).
   */
  constructor(
    readonly now = 0,
    readonly debug = true,
  ) {}

  readonly outgoing: OutgoingMessage[] = [];
  readonly delayed: DelayedMessage[] = [];
  readonly egress: EgressRecord[] = [];
  readonly logs: LogEntry[] = [];
  /** Results of calls of map requests (see {@link MapResult}); made on first use. */
  mapResults: MapResult[] | undefined;
  /** Results of calls of map requests, packed (see {@link MapResultsPart}); made on first use. */
  mapParts: MapResultsPart[] | undefined;

  send(message: OutgoingMessage): void {
    this.outgoing.push(message);
  }
  sendAfter(message: DelayedMessage): void {
    this.delayed.push(message);
  }
  sendMapResult(result: MapResult): void {
    (this.mapResults ??= []).push(result);
  }
  sendMapResults(part: MapResultsPart): void {
    (this.mapParts ??= []).push(part);
  }
  publish(record: EgressRecord): void {
    this.egress.push(record);
  }
  log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
    if (level === 'debug' && !this.debug) return;
    this.logs.push({ level, message, fields });
  }
  /** Adds everything `other` collected, after what this one holds. */
  absorb(other: Effects): void {
    this.outgoing.push(...other.outgoing);
    this.delayed.push(...other.delayed);
    this.egress.push(...other.egress);
    this.logs.push(...other.logs);
    if (other.mapResults) for (const r of other.mapResults) this.sendMapResult(r);
    if (other.mapParts) for (const p of other.mapParts) this.sendMapResults(p);
  }
}

/**
 * The decoded state of one pipeline function address during a batch, plus
 * caches derived from it (never persisted).
 */
export interface PipelineSession {
  record: PipelineRecord | undefined;
  progress: PipelineProgress | undefined;
  recordChanged: boolean;
  progressChanged: boolean;
  /** The record's pipeline as IR, after automatic splitting. */
  ir?: PipelineNode | undefined;
  /** A submission arriving in parts, until its last part (state `upload`). */
  upload?: SubmissionUpload | undefined;
  uploadChanged?: boolean | undefined;
}

/**
 * Creates a session from decoded state.
 *
 * @example
 * ```ts
 * const session = openSession(undefined, undefined); // an address that holds no pipeline yet
 * ```
 */
export function openSession(record: PipelineRecord | undefined, progress: PipelineProgress | undefined): PipelineSession {
  return { record, progress, recordChanged: false, progressChanged: false };
}
