/**
 * What a worker sends back to the pipeline that asked: results, deferrals,
 * errors and the request of an orchestrator's child pipeline, each built
 * from the request it answers; and the size checks on what a task returned.
 *
 * @module
 */
import type { FunctionAddress } from '../core/address.js';
import { ErrorCode } from '../core/error-codes.js';
import { TaskError } from '../core/errors.js';
import type { Limits } from '../core/limits.js';
import type { TaskDescriptor } from '../dsl/descriptor.js';
import type { Effects } from '../executor/effects.js';
import { fromWireAddress } from '../wire/address.js';
import { codecs, Typenames } from '../wire/codec.js';
import { TaskResult, type Address, type TaskRequest } from '../wire/generated/flinktasks.js';
import type { PipelineNode } from '../ir/nodes.js';
import { pipelineToWire } from '../wire/pipeline.js';
import { formatBytes } from '../wire/sizes.js';
import { toValueBytes, toWireException } from '../wire/values.js';
import { originOf, replyAddressOf } from './task-request.js';

/** Function addresses by wire address: the calls of a map request share their reply address. */
const addresses = new WeakMap<Address, FunctionAddress>();

/** `address` as a function address, made once per wire address. */
export function replyTarget(address: Address): FunctionAddress {
  let a = addresses.get(address);
  if (!a) {
    a = fromWireAddress(address);
    addresses.set(address, a);
  }
  return a;
}

/** The ids of `request`'s call, for log lines. */
export function callFields(request: TaskRequest): Record<string, unknown> {
  const origin = originOf(request);
  return {
    pipeline: origin.pipelineId,
    rootPipeline: origin.rootPipelineId,
    task: request.taskName,
    taskId: request.id,
    uid: request.uid,
    branch: request.branch,
    attempt: request.attempt,
  };
}

/** What a call's result says besides the ids of its request. */
export interface ResultFields {
  /** The result, an encoded Value (none for an orchestrator). */
  readonly result?: Uint8Array | undefined;
  /** The pipeline state after the call. */
  readonly state?: Uint8Array | undefined;
  readonly pauseAfter?: boolean;
  /** The id of the child pipeline an orchestrator task started. */
  readonly childPipelineId?: string;
  /** The call deferred its result: completed later with the token of this nonce. */
  readonly deferNonce?: string;
}

/** Sends the result of `request`'s call to `replyAddress` (or, with `deferNonce`, that it deferred its result). */
export function sendResult(effects: Effects, replyAddress: Address, request: TaskRequest, fields: ResultFields): void {
  effects.send({
    target: replyTarget(replyAddress),
    typename: Typenames.taskResult,
    payload: codecs.taskResult.encode({
      ...TaskResult.create(),
      id: request.id,
      taskName: request.taskName,
      result: fields.result,
      state: fields.state,
      invocationId: request.invocationId,
      uid: request.uid,
      pauseAfter: fields.pauseAfter ?? false,
      branch: request.branch,
      childPipelineId: fields.childPipelineId ?? '',
      attempt: request.attempt,
      accepted: fields.deferNonce !== undefined,
      deferNonce: fields.deferNonce ?? '',
    }),
  });
}

/** Sends `error` to the pipeline that asked (it carries the state the task received). */
export function replyError(request: TaskRequest, error: TaskError, effects: Effects): void {
  const replyAddress = replyAddressOf(request);
  if (!replyAddress) {
    effects.log('warn', 'task failed but its request has no reply address', { task: request.taskName, id: request.id, error: error.message });
    return;
  }
  const e = toWireException(error, {
    id: request.id,
    taskName: request.taskName,
    state: request.state,
    invocationId: request.invocationId,
    uid: request.uid,
    branch: request.branch,
    displayName: request.displayName,
  });
  effects.send({ target: replyTarget(replyAddress), typename: Typenames.taskException, payload: codecs.taskException.encode(e) });
}

/** `bytes` if within `limits.maxResultBytes`; otherwise a `MessageSizeExceeded` error naming `what`. */
export function bounded(limits: Limits, d: TaskDescriptor, request: TaskRequest, bytes: Uint8Array, what: string): Uint8Array {
  const limit = limits.maxResultBytes;
  if (bytes.byteLength <= limit) return bytes;
  throw new TaskError({
    errorType: ErrorCode.MessageSizeExceeded,
    message: `${what} (task '${d.name}') is ${formatBytes(bytes.byteLength)}, more than limits.maxResultBytes (${formatBytes(limit)})`,
    taskName: d.name,
    taskId: request.id,
  });
}

/** `returned` encoded as a task's result; a `MessageSizeExceeded` error past `limits.maxResultBytes`. */
export function encodedResult(limits: Limits, d: TaskDescriptor, request: TaskRequest, returned: unknown): Uint8Array {
  const result = toValueBytes(returned, `the result of task '${d.name}'`);
  const size = result.byteLength;
  if (size <= limits.maxResultBytes) return result;
  throw new TaskError({
    errorType: ErrorCode.MessageSizeExceeded,
    message: `the result of task '${d.name}' is ${formatBytes(size)}, more than limits.maxResultBytes (${formatBytes(limits.maxResultBytes)})`,
    taskName: d.name,
    taskId: request.id,
  });
}

/**
 * Starts the pipeline an orchestrator task returned as a child of the
 * pipeline that called it, under the call's id, with the pipeline state
 * `state` and the trace context `meta`; returns the child's id.
 */
export function startChild(
  limits: Limits,
  d: TaskDescriptor,
  request: TaskRequest,
  pipeline: PipelineNode,
  state: Uint8Array | undefined,
  meta: TaskRequest['meta'],
  effects: Effects,
): string {
  const childId = request.id;
  const origin = originOf(request);
  const pipelineAddress = origin.pipelineAddress;
  if (!pipelineAddress) throw new Error('an orchestrator task needs the address of its pipeline');
  const child: TaskRequest = {
    ...request,
    pipelineId: origin.pipelineId,
    pipelineAddress,
    rootPipelineId: origin.rootPipelineId,
    rootPipelineAddress: origin.rootPipelineAddress,
    id: childId,
    taskName: '',
    args: new Uint8Array(0),
    state,
    retryPolicy: undefined,
    pipeline: pipelineToWire(pipeline),
    input: undefined,
    inputError: undefined,
    attempt: 0,
    isChild: true,
    isBranch: false,
    meta,
  };
  const payload = bounded(limits, d, request, codecs.taskRequest.encode(child), 'the pipeline it returned');
  effects.send({ target: { namespace: pipelineAddress.namespace, name: pipelineAddress.type, id: childId }, typename: Typenames.taskRequest, payload });
  return childId;
}
