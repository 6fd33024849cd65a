/**
 * Pipeline events for an optional events egress: created (with the task
 * tree), status changed, tasks skipped.
 *
 * @module
 */
import type { FunctionAddress } from '../dsl/context.js';
import type { EntryNode, PipelineNode, TaskEntryNode } from '../ir/nodes.js';
import { codecs } from '../wire/codec.js';
import type { WireEvent, WirePipelineInfo, WirePipelineRecord, WireTaskInfo, WireTaskRequest } from '../wire/messages.js';
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

const addressString = (a: { namespace: string; type?: string; name?: string; id: string } | null | undefined): string =>
  a ? `${a.namespace}/${a.type ?? a.name}/${a.id}` : '';

function taskInfo(t: TaskEntryNode): WireTaskInfo {
  return { taskId: t.taskId ?? '', taskType: t.taskName, namespace: t.namespace, workerName: t.workerName, taskUid: t.uid, displayName: t.displayName ?? '' };
}

function pipelineInfo(p: PipelineNode): WirePipelineInfo {
  return {
    entries: p.entries.map((e: EntryNode) =>
      e.kind === 'TaskEntry' ? { taskEntry: taskInfo(e) } : { groupEntry: { groupId: e.uid, group: e.branches.map(pipelineInfo) } }),
  };
}

/** Emits events of one pipeline, or nothing without an events egress. */
export function eventsFor(config: EventsConfig | undefined, record: WirePipelineRecord, self: FunctionAddress) {
  if (!config) return undefined;
  const base = {
    pipelineId: record.pipelineId,
    pipelineAddress: addressString(self),
    rootPipelineId: record.rootPipelineId,
    rootPipelineAddress: addressString(record.rootPipelineAddress),
  };
  const publish = (event: WireEvent, effects: Effects): void =>
    effects.publish({ egress: config.egress, topic: config.topic, key: record.rootPipelineId, value: codecs.event.encode(event) });
  return {
    created(ir: PipelineNode, request: WireTaskRequest, effects: Effects): void {
      publish({ ...base, pipelineCreated: { callerId: request.pipelineId, callerAddress: addressString(request.replyAddress), pipeline: pipelineInfo(ir) } }, effects);
    },
    statusChanged(status: number, effects: Effects): void {
      publish({ ...base, pipelineStatusChanged: { status: { value: status } } }, effects);
    },
    skipped(tasks: readonly TaskEntryNode[], effects: Effects): void {
      publish({ ...base, pipelineTasksSkipped: { tasks: tasks.map(taskInfo) } }, effects);
    },
  };
}
