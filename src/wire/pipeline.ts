/**
 * Converts the pipeline IR to and from its wire form.
 *
 * @module
 */
import { ArgsTable } from '../ir/args-table.js';
import { compactBranches } from '../ir/compact.js';
import { GroupEntryNode, PipelineNode, RetryPolicyNode, TaskEntryNode, type EntryNode } from '../ir/nodes.js';
import { codecs } from './codec.js';
import type { Pipeline, PipelineEntry, TaskEntry, TaskRetryPolicy } from './generated/flinktasks.js';

const EMPTY = new Uint8Array(0);

/** A plain `Uint8Array` view of decoded bytes (decoders may hand out Node `Buffer`s). */
export function bytesView(b: Uint8Array): Uint8Array {
  return b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The wire form of a retry policy. */
export function retryToWire(r: RetryPolicyNode): TaskRetryPolicy {
  return {
    retryFor: [...r.retryFor],
    maxRetries: r.maxRetries,
    delayMs: r.delayMs,
    exponentialBackOff: r.exponentialBackoff,
    maxDelayMs: r.maxDelayMs,
  };
}

/** A retry policy from its wire form. */
export function retryFromWire(r: TaskRetryPolicy): RetryPolicyNode {
  return RetryPolicyNode.create({
    retryFor: [...r.retryFor],
    maxRetries: r.maxRetries,
    delayMs: r.delayMs,
    exponentialBackoff: r.exponentialBackOff,
    maxDelayMs: r.maxDelayMs,
  });
}

/** The wire form of a pipeline. */
export function pipelineToWire(p: PipelineNode): Pipeline {
  return { entries: p.entries.map(entryToWire), inline: p.inline, initialState: p.initialState };
}

function taskToWire(e: TaskEntryNode, args: Uint8Array): TaskEntry {
  return {
    taskId: e.taskId ?? '',
    taskName: e.taskName,
    args,
    isFinally: e.isFinally,
    namespace: e.namespace,
    workerName: e.workerName,
    retryPolicy: e.retry ? retryToWire(e.retry) : undefined,
    displayName: e.displayName,
    uid: e.uid,
    isExceptionally: e.isExceptionally,
    usesContext: e.usesContext,
    timeoutMs: e.timeoutMs ?? 0,
    pauseAfter: e.pauseAfter ?? false,
  };
}

function entryToWire(e: EntryNode): PipelineEntry {
  if (e.kind === 'TaskEntry') return { entry: { $case: 'taskEntry', value: taskToWire(e, e.args) } };
  const map = compactBranches(e, true);
  return {
    entry: {
      $case: 'groupEntry',
      value: {
        uid: e.uid,
        group: map ? [] : e.branches.map(pipelineToWire),
        maxParallelism: e.maxParallelism,
        returnExceptions: e.returnExceptions,
        isUnordered: !e.ordered,
        flatten: e.flatten,
        continuation: e.continuation,
        pauseAfter: e.pauseAfter ?? false,
        mapTask: map ? taskToWire(map.task, EMPTY) : undefined,
        mapArgs: map ? map.args.packed : EMPTY,
        mapCount: map ? map.args.length : 0,
      },
    },
  };
}

/** A pipeline from its wire form. */
export function pipelineFromWire(w: Pipeline): PipelineNode {
  return PipelineNode.create({
    entries: w.entries.map(entryFromWire),
    inline: w.inline,
    initialState: w.initialState !== undefined && w.initialState.length > 0 ? bytesView(w.initialState) : undefined,
  });
}

function taskFromWire(t: TaskEntry): TaskEntryNode {
  return TaskEntryNode.create({
    uid: t.uid,
    taskName: t.taskName,
    args: t.args.length > 0 ? bytesView(t.args) : EMPTY,
    namespace: t.namespace,
    workerName: t.workerName,
    taskId: t.taskId ? t.taskId : undefined,
    displayName: t.displayName,
    retry: t.retryPolicy ? retryFromWire(t.retryPolicy) : undefined,
    isFinally: t.isFinally,
    isExceptionally: t.isExceptionally,
    usesContext: t.usesContext,
    ...(t.timeoutMs > 0 ? { timeoutMs: t.timeoutMs } : {}),
    ...(t.pauseAfter ? { pauseAfter: true } : {}),
  });
}

function entryFromWire(w: PipelineEntry): EntryNode {
  const entry = w.entry;
  if (entry?.$case === 'taskEntry') return taskFromWire(entry.value);
  if (entry?.$case !== 'groupEntry') throw new Error('flink-tasks: a pipeline entry on the wire is neither a task nor a group');
  const g = entry.value;
  // What a group is, besides its branches (written out or compact).
  const group = {
    uid: g.uid,
    maxParallelism: g.maxParallelism,
    ordered: !g.isUnordered,
    returnExceptions: g.returnExceptions,
    flatten: g.flatten,
    continuation: g.continuation,
    ...(g.pauseAfter ? { pauseAfter: true } : {}),
  };
  if (g.mapTask !== undefined) {
    if (g.group.length > 0) throw new Error('flink-tasks: a group on the wire has both branches and a compact map of them');
    const task = taskFromWire(g.mapTask);
    return GroupEntryNode.createMap({
      ...group,
      map: { task: task.args.length > 0 ? TaskEntryNode.cloneWith(task, { args: EMPTY }) : task, args: ArgsTable.fromPacked(bytesView(g.mapArgs), g.mapCount) },
    });
  }
  return GroupEntryNode.create({ ...group, branches: g.group.map(pipelineFromWire) });
}

/** Encodes a pipeline to bytes. */
export function encodePipeline(p: PipelineNode): Uint8Array {
  return codecs.pipeline.encode(pipelineToWire(p));
}

/** Decodes a pipeline from bytes. */
export function decodePipeline(bytes: Uint8Array): PipelineNode {
  return pipelineFromWire(codecs.pipeline.decode(bytes));
}
