/**
 * Reading a task request: where it came from and what the task is called with.
 *
 * @module
 */
import { ErrorCode } from '../core/error-codes.js';
import { TaskError } from '../core/errors.js';
import { ArgsTable } from '../ir/args-table.js';
import type { Address, TaskRequest } from '../wire/generated/flinktasks.js';
import { decodeJson, fromWireException, fromWireValue } from '../wire/values.js';

/** The dispatching pipeline and its root, filling what a compact request leaves out. */
export interface TaskOrigin {
  readonly pipelineId: string;
  readonly pipelineAddress: Address | undefined;
  readonly rootPipelineId: string;
  readonly rootPipelineAddress: Address | undefined;
}

/** The address a task request's result goes to. */
export function replyAddressOf(request: TaskRequest): Address | undefined {
  return request.reply?.$case === 'replyAddress' ? request.reply.value : undefined;
}

/** Where a request came from (a compact request leaves the pipeline and root implicit). */
export function originOf(request: TaskRequest): TaskOrigin {
  const pipelineAddress = request.pipelineAddress ?? replyAddressOf(request);
  const pipelineId = request.pipelineId !== '' ? request.pipelineId : (pipelineAddress?.id ?? '');
  return {
    pipelineId,
    pipelineAddress,
    rootPipelineId: request.rootPipelineId || pipelineId,
    rootPipelineAddress: request.rootPipelineAddress ?? pipelineAddress,
  };
}

const EMPTY = new Uint8Array(0);

/**
 * The calls a task request asks for: itself, or for a map request
 * (`map_branches`) one request per branch, each as if sent alone. Throws a
 * `RangeError` when a map request's packed arguments do not match its branches.
 */
export function callsOf(request: TaskRequest): TaskRequest[] {
  const branches = request.mapBranches;
  if (branches.length === 0) return [request];
  const args = ArgsTable.fromPacked(request.mapArgs, branches.length);
  const calls = new Array<TaskRequest>(branches.length);
  for (let j = 0; j < branches.length; j++) calls[j] = callOf(request, j, args.at(j));
  return calls;
}

/** The request of call `j` of map request `request`, as if sent alone, called with `args` (its tuple of the packed arguments). */
export function callOf(request: TaskRequest, j: number, args: Uint8Array): TaskRequest {
  const branch = request.mapBranches[j] as number;
  const uid = request.uid + branch;
  return { ...request, id: `${request.id}${uid}`, uid, branch, args, mapBranches: [], mapArgs: EMPTY };
}

/** An error in the arguments of `request` (never retried). */
export function argumentError(request: TaskRequest, message: string): TaskError {
  return new TaskError({ errorType: ErrorCode.TaskArgumentError, message, taskName: request.taskName, taskId: request.id });
}

/** What kind of value `value` is, for messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * The arguments the task is called with: its input (previous result, or the
 * error being handled) first, then its own arguments.
 */
export function argumentsOf(request: TaskRequest): unknown[] {
  let own: unknown;
  try {
    own = request.args.length > 0 ? decodeJson(request.args) : [];
  } catch (err) {
    throw argumentError(request, `the arguments of task '${request.taskName}' could not be decoded: ${String(err)}`);
  }
  if (!Array.isArray(own)) throw argumentError(request, `the arguments of task '${request.taskName}' must be a list, got ${kindOf(own)}`);
  const list: unknown[] = own;
  if (request.inputError) return [fromWireException(request.inputError), ...list];
  if (request.input) return [fromWireValue(request.input), ...list];
  return list;
}
