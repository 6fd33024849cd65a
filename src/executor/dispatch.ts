/**
 * Dispatching: a task entry becomes a request to its worker function; a group
 * branch that is more than one task becomes an inline child pipeline.
 *
 * @module
 */
import { branchAt, mapTask, TaskEntryNode, type GroupEntryNode } from '../ir/nodes.js';
import { toWireAddress } from '../wire/address.js';
import { codecs, Typenames } from '../wire/codec.js';
import { TaskRequest, type TaskException } from '../wire/generated/flinktasks.js';
import { pipelineToWire, retryToWire } from '../wire/pipeline.js';
import { WORKER_SPREAD } from './config.js';
import { eventsFor } from './events.js';
import { emit } from './replies.js';
import type { ActiveRun } from './run.js';

/** What a dispatched task receives besides its own arguments. */
export interface TaskInput {
  /** The previous result (continuations), an encoded Value. */
  readonly input?: Uint8Array | undefined;
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

/**
 * The worker address `entry` runs at in run `run`: its fixed task id; its
 * own address per call (bound withContext); else one of a few addresses
 * shared by the whole root pipeline, so that StateFun batches the calls of
 * all its child pipelines (the parts of a split group) together.
 */
export function workerAddressOf(run: ActiveRun, entry: TaskEntryNode): { namespace: string; name: string; id: string } {
  const { record } = run;
  const id =
    entry.taskId ??
    (entry.usesContext ? `${record.pipelineId}/${record.run}.${entry.uid}` : `${record.rootPipelineId || record.pipelineId}~${entry.uid % WORKER_SPREAD}`);
  return { namespace: entry.namespace, name: entry.workerName, id };
}

/** The request calling `entry` (id `id`) for `input`. */
function requestFor(run: ActiveRun, entry: TaskEntryNode, id: string, input: TaskInput, attempt: number): TaskRequest {
  const { record, progress, self } = run;
  const isRoot = record.rootPipelineId === record.pipelineId;
  return {
    ...TaskRequest.create(),
    id,
    taskName: entry.taskName,
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
    attempt,
    meta: record.meta,
  };
}

/** Sends `entry` to its worker; a chain step (no branch) becomes what the run waits for. */
export function dispatchTask(run: ActiveRun, entry: TaskEntryNode, input: TaskInput, options: DispatchOptions = {}): void {
  const { record, progress, self } = run;
  const request = requestFor(run, entry, `${record.pipelineId}/${record.run}.${entry.uid}`, input, options.attempt ?? 0);
  if (input.branch === undefined) {
    progress.waiting = true;
    progress.waitingUid = entry.uid;
  }
  const target = workerAddressOf(run, entry);
  const payload = codecs.taskRequest.encode(request);
  if (run.effects.debug) {
    run.effects.log('debug', 'task dispatched', {
      pipeline: record.pipelineId,
      rootPipeline: record.rootPipelineId,
      task: entry.taskName,
      taskId: request.id,
      uid: entry.uid,
      branch: input.branch,
      attempt: request.attempt,
      worker: `${target.namespace}/${target.name}/${target.id}`,
      delayMs: options.delayMs,
    });
  }
  if (options.delayMs !== undefined) run.effects.sendAfter({ target, typename: Typenames.taskRequest, payload, delayMs: options.delayMs });
  else emit(run, target, Typenames.taskRequest, payload);
  if (options.attempt === undefined) eventsFor(run.config.events, record, self, run.effects)?.taskStarted(entry, input.branch);
}

/**
 * Starts branches `branches` of `group`, a compact group whose branches run
 * directly: the calls for one worker address travel as one map request
 * (see `TaskRequest.map_branches`), exactly the calls that dispatching each
 * branch alone would make.
 */
export function dispatchMapBranches(run: ActiveRun, group: GroupEntryNode, branches: readonly number[]): void {
  const map = group.map;
  if (!map || map.task.usesContext || singleTaskBranch(group, 0) === undefined) {
    // A call per address (withContext), or not plain calls: one by one.
    for (const b of branches) dispatchBranch(run, group, b);
    return;
  }
  const { record, self } = run;
  const task = map.task;
  const byAddress = new Map<number, number[]>();
  for (const b of branches) {
    const key = task.taskId !== undefined ? 0 : (task.uid + b) % WORKER_SPREAD;
    let list = byAddress.get(key);
    if (!list) byAddress.set(key, (list = []));
    list.push(b);
  }
  for (const list of byAddress.values()) {
    const first = list[0] as number;
    const request: TaskRequest = {
      ...requestFor(run, task, `${record.pipelineId}/${record.run}.`, { branch: 0 }, 0),
      args: new Uint8Array(0),
      mapBranches: list,
      mapArgs: map.args.gather(list),
    };
    emit(run, workerAddressOf(run, TaskEntryNode.cloneWith(task, { uid: task.uid + first })), Typenames.taskRequest, codecs.taskRequest.encode(request));
  }
  const events = eventsFor(run.config.events, record, self, run.effects);
  if (events) for (const b of branches) events.taskStarted({ uid: task.uid + b, taskName: task.taskName, displayName: task.displayName }, b);
}

/** The task a branch consists of, when it is a single task that runs directly (not as a child pipeline). */
export function singleTaskBranch(group: GroupEntryNode, b: number): TaskEntryNode | undefined {
  const map = group.map;
  if (map) {
    if (group.continuation || map.task.isFinally || !Number.isInteger(b) || b < 0 || b >= map.args.length) return undefined;
    return mapTask(map, b);
  }
  const branch = group.branches[b];
  if (group.continuation || branch?.entries.length !== 1 || branch.initialState !== undefined) return undefined;
  const only = branch.entries[0];
  return only?.kind === 'TaskEntry' && !only.isFinally ? only : undefined;
}

/**
 * Starts branch `b` of `group`: a single task directly, anything else as an
 * inline child pipeline that starts with the group's input state and hands
 * its final state back for merging.
 */
export function dispatchBranch(run: ActiveRun, group: GroupEntryNode, b: number): void {
  const { record, progress, self } = run;
  if (!progress.group) return;
  const only = singleTaskBranch(group, b);
  if (only !== undefined) {
    dispatchTask(run, only, { branch: b });
    return;
  }
  const branch = branchAt(group, b);
  if (branch === undefined) return;
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
