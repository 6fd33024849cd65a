/**
 * Pipeline events for an optional events egress: a pipeline created (with
 * its shape), its status changed, tasks started, finished, retried or
 * skipped. Published only when the runtime is configured with an events
 * egress; `time` comes from the runtime (the executor reads no clock).
 *
 * @module
 */
import { varintSize } from '../core/varint.js';
import type { FunctionAddress } from '../core/address.js';
import type { TaskEntryNode } from '../ir/nodes.js';
import { SHAPE_MAX_BRANCHES } from '../ir/shape.js';
import { addressText } from '../wire/address.js';
import { codecs } from '../wire/codec.js';
import {
  PipelineOrigin,
  type Event,
  type Pipeline,
  type PipelineInfo,
  type PipelineRecord,
  type TaskException,
  type TaskInfo,
  type TaskRequest,
  type TaskStatus_Status,
} from '../wire/generated/flinktasks.js';
import type { Effects } from './effects.js';

/**
 * Where events go.
 *
 * @example
 * ```ts
 * const served = await serve(tasks, { events: { egress: EVENTS_EGRESS, topic: EVENTS_TOPIC } });
 * ```
 */
export interface EventsConfig {
  /** Egress typename, e.g. `flinktasks/events`. */
  readonly egress: string;
  /** Kafka topic. */
  readonly topic: string;
}

function taskInfo(t: TaskEntryNode): TaskInfo {
  return {
    taskId: t.taskId ?? '',
    taskName: t.taskName,
    namespace: t.namespace,
    workerName: t.workerName,
    taskUid: t.uid,
    displayName: t.displayName ?? '',
    isExceptionally: t.isExceptionally,
    isFinally: t.isFinally,
  };
}

/** The shape of a wire pipeline: no arguments, groups cut to their first branches. */
function pipelineInfo(p: Pipeline): PipelineInfo {
  return {
    entries: p.entries.map((e) => {
      const entry = e.entry;
      if (entry?.$case === 'taskEntry') {
        const t = entry.value;
        return {
          entry: {
            $case: 'taskEntry',
            value: {
              taskId: t.taskId,
              taskName: t.taskName,
              namespace: t.namespace,
              workerName: t.workerName,
              taskUid: t.uid,
              displayName: t.displayName ?? '',
              isExceptionally: t.isExceptionally,
              isFinally: t.isFinally,
            },
          },
        };
      }
      const g = entry?.$case === 'groupEntry' ? entry.value : undefined;
      const map = g?.mapTask;
      // A compact group's first branches: its task, with their uids.
      const branches = map
        ? Array.from({ length: Math.min(SHAPE_MAX_BRANCHES, g?.mapCount ?? 0) }, (_, i): PipelineInfo => ({
            entries: [
              {
                entry: {
                  $case: 'taskEntry',
                  value: {
                    taskId: map.taskId,
                    taskName: map.taskName,
                    namespace: map.namespace,
                    workerName: map.workerName,
                    taskUid: map.uid + i,
                    displayName: map.displayName ?? '',
                    isExceptionally: map.isExceptionally,
                    isFinally: map.isFinally,
                  },
                },
              },
            ],
          }))
        : (g?.group ?? []).slice(0, SHAPE_MAX_BRANCHES).map(pipelineInfo);
      return {
        entry: {
          $case: 'groupEntry',
          value: {
            groupId: g?.uid ?? 0,
            group: branches,
            branchCount: map ? (g?.mapCount ?? 0) : (g?.group.length ?? 0),
            isUnordered: g?.isUnordered ?? false,
            returnExceptions: g?.returnExceptions ?? false,
            maxParallelism: g?.maxParallelism ?? 0,
          },
        },
      };
    }),
  };
}

/** Task entries of a wire pipeline, every branch counted. */
function countTasks(p: Pipeline): number {
  let n = 0;
  for (const e of p.entries) {
    if (e.entry?.$case === 'taskEntry') n += 1;
    else if (e.entry?.$case === 'groupEntry') {
      if (e.entry.value.mapTask) n += e.entry.value.mapCount;
      else for (const b of e.entry.value.group) n += countTasks(b);
    }
  }
  return n;
}

function originOf(request: TaskRequest): PipelineOrigin {
  if (!request.isChild) return PipelineOrigin.SUBMITTED;
  return request.isBranch ? PipelineOrigin.BRANCH : PipelineOrigin.ORCHESTRATOR;
}

/** The events of one pipeline run, published to the events egress. */
export interface RunEvents {
  created(request: TaskRequest): void;
  statusChanged(status: TaskStatus_Status, error?: TaskException): void;
  skipped(tasks: readonly TaskEntryNode[]): void;
  taskStarted(entry: EventTask, branch: number | undefined): void;
  taskFinished(entry: EventTask, branch: number | undefined, error: TaskException | undefined): void;
  taskProgress(entry: TaskEntryNode, branch: number | undefined, attempt: number, fraction: number, message: string): void;
}

/** What a task event says of its task (a task entry has it; a compact group's branch need not be built for it). */
export type EventTask = Pick<TaskEntryNode, 'uid' | 'taskName' | 'displayName'>;

/** UTF-8 of the task names and display names events carry, kept (a run's events repeat a few). */
const names = new Map<string, Uint8Array>();
const utf8 = new TextEncoder();

function nameBytes(name: string): Uint8Array {
  let bytes = names.get(name);
  if (!bytes) {
    bytes = utf8.encode(name);
    if (names.size >= 4096) names.clear();
    names.set(name, bytes);
  }
  return bytes;
}

/**
 * A started or succeeded task's event, written directly: the run's header,
 * the time (field 9, a double), then the `TaskEvent` in field `field` (10:
 * started, 11: finished) with its uid, branch, task type and display name —
 * the bytes the generated encoder writes for these fields.
 */
export function taskEventBytes(header: Uint8Array, time: number, field: 10 | 11, task: EventTask, branch: number | undefined): Uint8Array {
  const type = nameBytes(task.taskName);
  const display = task.displayName ? nameBytes(task.displayName) : undefined;
  const body =
    (task.uid === 0 ? 0 : 1 + varintSize(task.uid)) +
    (branch === undefined ? 0 : 1 + varintSize(branch)) +
    (type.byteLength === 0 ? 0 : 1 + varintSize(type.byteLength) + type.byteLength) +
    (display === undefined || display.byteLength === 0 ? 0 : 1 + varintSize(display.byteLength) + display.byteLength);
  const out = new Uint8Array(header.byteLength + (time === 0 ? 0 : 9) + 1 + varintSize(body) + body);
  out.set(header, 0);
  let pos = header.byteLength;
  const varint = (n: number): void => {
    while (n >= 0x80) {
      out[pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    out[pos++] = n;
  };
  if (time !== 0) {
    out[pos++] = 0x49;
    new DataView(out.buffer, out.byteOffset + pos, 8).setFloat64(0, time, true);
    pos += 8;
  }
  out[pos++] = (field << 3) | 2;
  varint(body);
  if (task.uid !== 0) {
    out[pos++] = 0x08;
    varint(task.uid);
  }
  if (branch !== undefined) {
    out[pos++] = 0x10;
    varint(branch);
  }
  if (type.byteLength > 0) {
    out[pos++] = 0x1a;
    varint(type.byteLength);
    out.set(type, pos);
    pos += type.byteLength;
  }
  if (display !== undefined && display.byteLength > 0) {
    out[pos++] = 0x22;
    varint(display.byteLength);
    out.set(display, pos);
  }
  return out;
}

/**
 * The encoded fields every event of a run repeats (ids and addresses), by
 * run record: an event is these bytes followed by its time and its own
 * fields (protobuf fields may come in any order), so each event encodes
 * only what is its own.
 */
const headers = new WeakMap<PipelineRecord, { readonly self: string; readonly bytes: Uint8Array }>();

function headerOf(record: PipelineRecord, self: FunctionAddress): Uint8Array {
  const address = `${self.namespace}/${self.name}/${self.id}`;
  const cached = headers.get(record);
  if (cached?.self === address) return cached.bytes;
  const bytes = codecs.event.encode({
    pipelineId: record.pipelineId,
    pipelineAddress: address,
    rootPipelineId: record.rootPipelineId,
    rootPipelineAddress: addressText(record.rootPipelineAddress),
    parentPipelineId: record.parentPipelineId,
    time: 0,
    event: undefined,
  });
  headers.set(record, { self: address, bytes });
  return bytes;
}

/** Emits events of one pipeline, or nothing without an events egress. */
export function eventsFor(config: EventsConfig | undefined, record: PipelineRecord, self: FunctionAddress, effects: Effects): RunEvents | undefined {
  if (!config) return undefined;
  const publish = (event: Event['event']): void => {
    const header = headerOf(record, self);
    const own = codecs.event.encode({
      pipelineId: '',
      pipelineAddress: '',
      rootPipelineId: '',
      rootPipelineAddress: '',
      parentPipelineId: '',
      time: effects.now,
      event,
    });
    const value = new Uint8Array(header.byteLength + own.byteLength);
    value.set(header, 0);
    value.set(own, header.byteLength);
    effects.publish({ egress: config.egress, topic: config.topic, key: record.rootPipelineId, value, event: true });
  };
  const task = (entry: EventTask, branch: number | undefined, error?: TaskException) => ({
    uid: entry.uid,
    branch,
    taskName: entry.taskName,
    displayName: entry.displayName ?? '',
    attempt: 0,
    error,
    delayMs: 0,
    fraction: 0,
    message: '',
  });
  return {
    created(request) {
      const callerAddress = request.reply?.$case === 'replyAddress' ? addressText(request.reply.value) : '';
      const pipeline = request.pipeline ?? { entries: [], inline: false };
      publish({
        $case: 'pipelineCreated',
        value: {
          callerId: request.pipelineId,
          callerAddress,
          pipeline: pipelineInfo(pipeline),
          origin: originOf(request),
          taskCount: countTasks(pipeline),
        },
      });
    },
    statusChanged(status, error) {
      publish({ $case: 'pipelineStatusChanged', value: { status: { value: status }, error } });
    },
    skipped(tasks) {
      publish({ $case: 'pipelineTasksSkipped', value: { tasks: tasks.map(taskInfo) } });
    },
    taskStarted(entry, branch) {
      const value = taskEventBytes(headerOf(record, self), effects.now, 10, entry, branch);
      effects.publish({ egress: config.egress, topic: config.topic, key: record.rootPipelineId, value, event: true });
    },
    taskFinished(entry, branch, error) {
      if (error) {
        publish({ $case: 'taskFinished', value: task(entry, branch, error) });
        return;
      }
      const value = taskEventBytes(headerOf(record, self), effects.now, 11, entry, branch);
      effects.publish({ egress: config.egress, topic: config.topic, key: record.rootPipelineId, value, event: true });
    },
    taskProgress(entry, branch, attempt, fraction, message) {
      publish({ $case: 'taskProgress', value: { ...task(entry, branch), attempt, fraction, message } });
    },
  };
}
