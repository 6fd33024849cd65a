/**
 * The messages a client sends (submissions, actions) and how their replies
 * turn into values or errors.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../core/error-codes.js';
import { PipelineError, TaskError } from '../core/errors.js';
import { pipelineIdProblem } from '../core/ids.js';
import type { PipelineStatus } from '../core/status.js';
import type { PipelineLike } from '../dsl/types.js';
import type { PipelineNode } from '../ir/nodes.js';
import { TaskAction, TaskRequest, type Reply, type TaskActionRequest, type TaskResultOrException } from '../wire/generated/flinktasks.js';
import { pipelineFromWire, pipelineToWire } from '../wire/pipeline.js';
import { statusNameOf } from '../wire/status.js';
import { fromWireException, fromWireValue } from '../wire/values.js';
import type { PipelineRef, SubmitOptions } from './tasks-client.js';

/** The id of a pipeline reference. */
export function pipelineIdOf(ref: PipelineRef): string {
  if (typeof ref === 'string') {
    if (ref === '') throw new PipelineError('a pipeline id must not be empty');
    return ref;
  }
  return ref.id;
}

/** Turns a pipeline outcome into a value or a thrown {@link TaskError}. */
export function settleOutcome(outcome: TaskResultOrException | undefined): unknown {
  const o = outcome?.taskResultOrException;
  if (o?.$case === 'taskResult') return fromWireValue(o.value.result);
  if (o?.$case === 'taskException') throw fromWireException(o.value);
  throw new TaskError({ errorType: ErrorCode.EmptyReply, message: 'flink-tasks: the runtime replied without an outcome' });
}

/** A submission of `pipeline` asking for replies on `replyTopic`. */
export function submissionOf(
  pipeline: PipelineLike<unknown>,
  replyTopic: string,
  options: SubmitOptions = {},
): { id: string; requestId: string; request: TaskRequest } {
  const delayMs = options.delayMs ?? 0;
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0)
    throw new PipelineError(`submit: delayMs must be a finite number of milliseconds >= 0, got ${String(delayMs)}`);
  if (options.ifRunning !== undefined && options.ifRunning !== 'reject' && options.ifRunning !== 'attach') {
    throw new PipelineError(`submit: ifRunning must be 'reject' or 'attach', got ${String(options.ifRunning)}`);
  }
  const problem = pipelineIdProblem(pipeline.id);
  if (problem !== undefined) throw new PipelineError(`submit: ${problem}`);
  const requestId = randomUUID();
  const request: TaskRequest = {
    ...TaskRequest.create(),
    id: pipeline.id,
    reply: { $case: 'replyTopic', value: replyTopic },
    invocationId: requestId,
    pipeline: pipelineToWire(pipeline.toIR()),
    attachIfRunning: options.ifRunning === 'attach',
    startDelayMs: delayMs,
  };
  return { id: pipeline.id, requestId, request };
}

/**
 * The name of a submitted pipeline's span: what it starts with, e.g.
 * `averageStdDev` or `inParallel(4)` (a pipeline's id is an attribute: span
 * names stay few).
 */
export function pipelineSpanName(request: TaskRequest): string {
  const first = request.pipeline?.entries[0]?.entry;
  if (first?.$case === 'taskEntry') return first.value.displayName || first.value.taskName;
  if (first?.$case === 'groupEntry') return `inParallel(${first.value.group.length})`;
  return request.id;
}

/** An action request on pipeline `id`, asking for the answer on `replyTopic`. */
export function actionOf(id: string, action: TaskAction, replyTopic: string, wait = false): { correlationId: string; request: TaskActionRequest } {
  const correlationId = randomUUID();
  return { correlationId, request: { id, reply: { $case: 'replyTopic', value: replyTopic }, action, correlationId, wait } };
}

/** Interprets the reply to an action: what the caller gets, or the error it throws. */
export function settleAction(reply: Reply, action: TaskAction): { status: PipelineStatus; request?: PipelineNode; result?: unknown } {
  const r = reply.reply;
  if (r?.$case === 'actionException') {
    const e = r.value;
    throw new TaskError({ errorType: e.exceptionType, message: e.exceptionMessage, taskId: e.id });
  }
  if (r?.$case !== 'actionResult')
    throw new TaskError({ errorType: ErrorCode.EmptyReply, message: 'flink-tasks: the runtime answered an action without a result' });
  const status: PipelineStatus = statusNameOf(r.value.status?.value ?? 0) ?? 'PENDING';
  if (action === TaskAction.GET_REQUEST) {
    if (!r.value.request) throw new TaskError({ errorType: ErrorCode.EmptyReply, message: 'flink-tasks: the runtime did not return the request' });
    return { status, request: pipelineFromWire(r.value.request) };
  }
  if (action === TaskAction.GET_RESULT) return { status, result: settleOutcome(r.value.outcome) };
  return { status };
}
