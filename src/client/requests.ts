/**
 * The messages a client sends (submissions, actions) and how their replies
 * turn into values or errors.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../core/error-codes.js';
import { PipelineError, TaskError } from '../core/errors.js';
import type { PipelineStatus } from '../core/status.js';
import type { PipelineLike } from '../dsl/types.js';
import type { PipelineNode } from '../ir/nodes.js';
import { TaskAction, TaskRequest, type Reply, type TaskActionRequest, type TaskResultOrException } from '../wire/generated/flinktasks.js';
import { pipelineFromWire, pipelineToWire } from '../wire/pipeline.js';
import { statusNameOf } from '../wire/status.js';
import { fromWireException, fromWireValue } from '../wire/values.js';
import type { PipelineRef } from './tasks-client.js';

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
export function submissionOf(pipeline: PipelineLike<unknown>, replyTopic: string): { id: string; requestId: string; request: TaskRequest } {
  const requestId = randomUUID();
  const request: TaskRequest = {
    ...TaskRequest.create(),
    id: pipeline.id,
    reply: { $case: 'replyTopic', value: replyTopic },
    invocationId: requestId,
    pipeline: pipelineToWire(pipeline.toIR()),
  };
  return { id: pipeline.id, requestId, request };
}

/** An action request on pipeline `id`, asking for the answer on `replyTopic`. */
export function actionOf(id: string, action: TaskAction, replyTopic: string): { uid: string; request: TaskActionRequest } {
  const uid = randomUUID();
  return { uid, request: { id, reply: { $case: 'replyTopic', value: replyTopic }, action, uid } };
}

/** Interprets the reply to an action: what the caller gets, or the error it throws. */
export function settleAction(reply: Reply, action: TaskAction): { status: PipelineStatus; request?: PipelineNode; result?: unknown } {
  const r = reply.reply;
  if (r?.$case === 'actionException') {
    const e = r.value;
    throw new TaskError({ errorType: e.exceptionType, message: e.exceptionMessage, taskId: e.id });
  }
  if (r?.$case !== 'actionResult') throw new TaskError({ errorType: ErrorCode.EmptyReply, message: 'flink-tasks: the runtime answered an action without a result' });
  const status: PipelineStatus = statusNameOf(r.value.status?.value ?? 0) ?? 'PENDING';
  if (action === TaskAction.GET_REQUEST) {
    if (!r.value.request) throw new TaskError({ errorType: ErrorCode.EmptyReply, message: 'flink-tasks: the runtime did not return the request' });
    return { status, request: pipelineFromWire(r.value.request) };
  }
  if (action === TaskAction.GET_RESULT) return { status, result: settleOutcome(r.value.outcome) };
  return { status };
}
