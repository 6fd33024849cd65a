/**
 * Converts the pipeline IR to and from its wire form.
 *
 * @module
 */
import { GroupEntryNode, PipelineNode, RetryPolicyNode, TaskEntryNode, type EntryNode } from '../ir/nodes.js';
import { codecs } from './codec.js';
import type { WirePipeline, WirePipelineEntry, WireRetryPolicy } from './messages.js';

const EMPTY = new Uint8Array(0);

/** A plain `Uint8Array` view of decoded bytes (decoders hand out Node `Buffer`s). */
function bytesView(b: Uint8Array): Uint8Array {
  return b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The wire form of a retry policy. */
export function retryToWire(r: RetryPolicyNode): WireRetryPolicy {
  return {
    retryFor: [...r.retryFor],
    maxRetries: r.maxRetries,
    delayMs: r.delayMs,
    exponentialBackOff: r.exponentialBackoff,
    maxDelayMs: r.maxDelayMs,
  };
}

/** A retry policy from its wire form. */
export function retryFromWire(r: WireRetryPolicy): RetryPolicyNode {
  return RetryPolicyNode.create({
    retryFor: [...(r.retryFor ?? [])],
    maxRetries: r.maxRetries ?? 0,
    delayMs: r.delayMs ?? 0,
    exponentialBackoff: r.exponentialBackOff ?? false,
    maxDelayMs: r.maxDelayMs ?? 0,
  });
}

/** The wire form of a pipeline. */
export function pipelineToWire(p: PipelineNode): WirePipeline {
  return {
    entries: p.entries.map(entryToWire),
    inline: p.inline,
    initialState: p.initialState ?? null,
  };
}

function entryToWire(e: EntryNode): WirePipelineEntry {
  if (e.kind === 'TaskEntry') {
    return {
      taskEntry: {
        taskId: e.taskId ?? '',
        taskType: e.taskName,
        args: e.args,
        isFinally: e.isFinally,
        namespace: e.namespace,
        workerName: e.workerName,
        retryPolicy: e.retry ? retryToWire(e.retry) : null,
        displayName: e.displayName ?? null,
        uid: e.uid,
        isExceptionally: e.isExceptionally,
        usesContext: e.usesContext,
      },
    };
  }
  return {
    groupEntry: {
      uid: e.uid,
      group: e.branches.map(pipelineToWire),
      maxParallelism: e.maxParallelism,
      returnExceptions: e.returnExceptions,
      isUnordered: !e.ordered,
      flatten: e.flatten,
      continuation: e.continuation,
    },
  };
}

/** A pipeline from its wire form. */
export function pipelineFromWire(w: WirePipeline): PipelineNode {
  return PipelineNode.create({
    entries: (w.entries ?? []).map(entryFromWire),
    inline: w.inline ?? false,
    initialState: w.initialState !== null && w.initialState !== undefined && w.initialState.length > 0 ? bytesView(w.initialState) : undefined,
  });
}

function entryFromWire(w: WirePipelineEntry): EntryNode {
  const t = w.taskEntry;
  if (t) {
    return TaskEntryNode.create({
      uid: t.uid ?? 0,
      taskName: t.taskType,
      args: t.args ? bytesView(t.args) : EMPTY,
      namespace: t.namespace,
      workerName: t.workerName,
      taskId: t.taskId ? t.taskId : undefined,
      displayName: t.displayName ?? undefined,
      retry: t.retryPolicy ? retryFromWire(t.retryPolicy) : undefined,
      isFinally: t.isFinally ?? false,
      isExceptionally: t.isExceptionally ?? false,
      usesContext: t.usesContext ?? false,
    });
  }
  const g = w.groupEntry;
  if (!g) throw new Error('flink-tasks: a pipeline entry on the wire is neither a task nor a group');
  return GroupEntryNode.create({
    uid: g.uid ?? 0,
    branches: (g.group ?? []).map(pipelineFromWire),
    maxParallelism: g.maxParallelism ?? 0,
    ordered: !(g.isUnordered ?? false),
    returnExceptions: g.returnExceptions ?? false,
    flatten: g.flatten ?? false,
    continuation: g.continuation ?? false,
  });
}

/** Encodes a pipeline to bytes. */
export function encodePipeline(p: PipelineNode): Uint8Array {
  return codecs.pipeline.encode(pipelineToWire(p));
}

/** Decodes a pipeline from bytes. */
export function decodePipeline(bytes: Uint8Array): PipelineNode {
  return pipelineFromWire(codecs.pipeline.decode(bytes));
}
