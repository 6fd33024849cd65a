/**
 * Dispatching: a task entry becomes a request to its worker function; a group
 * branch that is more than one task becomes an inline child pipeline.
 *
 * @module
 */
import type { GroupEntryNode, TaskEntryNode } from '../ir/nodes.js';
import { toWireAddress } from '../wire/address.js';
import { codecs, Typenames } from '../wire/codec.js';
import { TaskRequest, type TaskException, type Value } from '../wire/generated/flinktasks.js';
import { pipelineToWire, retryToWire } from '../wire/pipeline.js';
import { WORKER_SPREAD } from './config.js';
import { eventsFor } from './events.js';
import { emit } from './replies.js';
import type { ActiveRun } from './run.js';

/** What a dispatched task receives besides its own arguments. */
export interface TaskInput {
  /** The previous result (continuations). */
  readonly input?: Value | undefined;
  /** The error being handled (`exceptionally`). */
  readonly inputError?: TaskException | undefined;
  /** The branch of the current group this task runs for; `undefined`: the chain's current step. */
  readonly branch?: number | undefined;
}

/** How a dispatch is sent: a retry is attempt `attempt`, after `delayMs`. */
export interface DispatchOptions {
  readonly attempt?: number;
  readonly delayMs?: number;
}

/** The worker address `entry` runs at in run `run`. */
export function workerAddressOf(run: ActiveRun, entry: TaskEntryNode): { namespace: string; name: string; id: string } {
  const { record } = run;
  const id = entry.taskId ?? (entry.usesContext ? `${record.pipelineId}/${record.run}.${entry.uid}` : `${record.pipelineId}/${record.run}~${entry.uid % WORKER_SPREAD}`);
  return { namespace: entry.namespace, name: entry.workerName, id };
}

/** Sends `entry` to its worker; a chain step (no branch) becomes what the run waits for. */
export function dispatchTask(run: ActiveRun, entry: TaskEntryNode, input: TaskInput, options: DispatchOptions = {}): void {
  const { record, progress, self } = run;
  const entryId = `${record.pipelineId}/${record.run}.${entry.uid}`;
  const isRoot = record.rootPipelineId === record.pipelineId;
  const request: TaskRequest = {
    ...TaskRequest.create(),
    id: entryId,
    type: entry.taskName,
    reply: { $case: 'replyAddress', value: toWireAddress(self) },
    args: entry.args,
    state: progress.state,
    retryPolicy: entry.retry ? retryToWire(entry.retry) : undefined,
    invocationId: record.invocationId,
    uid: entry.uid,
    input: input.input,
    inputError: input.inputError,
    branch: input.branch ?? 0,
    // Task requests stay small: the worker derives the pipeline's id and
    // address from the reply address, and an empty root means "this one".
    rootPipelineId: isRoot ? '' : record.rootPipelineId,
    rootPipelineAddress: isRoot ? undefined : record.rootPipelineAddress,
    displayName: entry.displayName ?? '',
    timeoutMs: entry.timeoutMs ?? 0,
    attempt: options.attempt ?? 0,
    meta: record.meta,
  };
  if (input.branch === undefined) {
    progress.waiting = true;
    progress.waitingUid = entry.uid;
  }
  const target = workerAddressOf(run, entry);
  const payload = codecs.taskRequest.encode(request);
  run.effects.log('debug', 'task dispatched', {
    pipeline: record.pipelineId, rootPipeline: record.rootPipelineId, task: entry.taskName, taskId: entryId, uid: entry.uid,
    branch: input.branch, attempt: request.attempt, worker: `${target.namespace}/${target.name}/${target.id}`, delayMs: options.delayMs,
  });
  if (options.delayMs !== undefined) run.effects.sendAfter({ target, typename: Typenames.taskRequest, payload, delayMs: options.delayMs });
  else emit(run, target, Typenames.taskRequest, payload);
  if (options.attempt === undefined) eventsFor(run.config.events, record, self, run.effects)?.taskStarted(entry, input.branch);
}

/** The task a branch consists of, when it is a single task that runs directly (not as a child pipeline). */
export function singleTaskBranch(group: GroupEntryNode, b: number): TaskEntryNode | undefined {
  const branch = group.branches[b];
  if (group.continuation || branch === undefined || branch.entries.length !== 1 || branch.initialState !== undefined) return undefined;
  const only = branch.entries[0];
  return only !== undefined && only.kind === 'TaskEntry' && !only.isFinally ? only : undefined;
}

/**
 * Starts branch `b` of `group`: a single task directly, anything else as an
 * inline child pipeline that starts with the group's input state and hands
 * its final state back for merging.
 */
export function dispatchBranch(run: ActiveRun, group: GroupEntryNode, b: number): void {
  const { record, progress, self } = run;
  const branch = group.branches[b];
  if (branch === undefined || !progress.group) return;
  const only = singleTaskBranch(group, b);
  if (only !== undefined) {
    dispatchTask(run, only, { branch: b });
    return;
  }
  const childId = `${record.pipelineId}/${record.run}.${group.uid}.${b}`;
  const request: TaskRequest = {
    ...TaskRequest.create(),
    id: childId,
    reply: { $case: 'replyAddress', value: toWireAddress(self) },
    state: progress.state,
    invocationId: record.invocationId,
    uid: group.uid,
    pipeline: { ...pipelineToWire(branch), inline: true },
    input: group.continuation ? progress.value : undefined,
    inputError: group.continuation ? progress.error : undefined,
    branch: b,
    rootPipelineId: record.rootPipelineId,
    rootPipelineAddress: record.rootPipelineAddress,
    pipelineAddress: toWireAddress(self),
    pipelineId: record.pipelineId,
    isChild: true,
    isBranch: true,
    meta: record.meta,
  };
  progress.group.children[b] = childId;
  emit(run, { ...self, id: childId }, Typenames.taskRequest, codecs.taskRequest.encode(request));
}
