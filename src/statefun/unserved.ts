/**
 * Answering a batch for a function type this server does not serve. The SDK
 * would answer HTTP 500, and StateFun would retry the batch until its call
 * timeout and then restart the job, blocking every pipeline meanwhile. Instead
 * every task request in the batch is answered with an `UnknownFunction`
 * failure to its pipeline; anything else is dropped with a log line.
 *
 * @module
 */
import { ErrorCode } from '../core/error-codes.js';
import type { Logger } from '../core/log.js';
import { MESSAGE_BATCH_TYPENAME, readBatch } from '../wire/batch.js';
import { callsOf } from '../worker/task-request.js';
import { codecs, Typenames } from '../wire/codec.js';
import { FromFunction, ToFunction, type FromFunction_Invocation } from '../wire/generated/statefun/request-reply.js';
import { TaskException } from '../wire/generated/flinktasks.js';

/** The `FromFunction` bytes answering `body`, a batch to a function type nobody here serves. */
export function answerUnserved(body: Uint8Array, served: readonly string[], logger: Logger): Uint8Array {
  const outgoing: FromFunction_Invocation[] = [];
  let target = 'an unknown address';
  try {
    const request = ToFunction.decode(body).request;
    const batch = request?.$case === 'invocation' ? request.value : undefined;
    if (batch?.target) target = `${batch.target.namespace}/${batch.target.type}/${batch.target.id}`;
    const messages: { typename: string; payload: Uint8Array }[] = [];
    for (const invocation of batch?.invocations ?? []) {
      const argument = invocation.argument;
      if (argument?.typename === MESSAGE_BATCH_TYPENAME) readBatch(argument.value, (item) => messages.push(item));
      else messages.push({ typename: argument?.typename ?? '', payload: argument?.value ?? new Uint8Array(0) });
    }
    for (const message of messages) {
      if (message.typename !== Typenames.taskRequest) {
        logger({ level: 'warn', message: 'dropped a message to a function type this server does not serve', fields: { target, typename: message.typename } });
        continue;
      }
      const task = codecs.taskRequest.decode(message.payload);
      const reply = task.reply?.$case === 'replyAddress' ? task.reply.value : undefined;
      if (!reply) continue;
      // A map request asks for one call per branch: each fails.
      for (const call of callsOf(task)) {
        const error: TaskException = {
          ...TaskException.create(),
          id: call.id,
          taskName: task.taskName,
          invocationId: task.invocationId,
          uid: call.uid,
          branch: call.branch,
          state: task.state,
          exceptionType: ErrorCode.UnknownFunction,
          exceptionMessage: `no function ${target.split('/').slice(0, 2).join('/')} is served at this endpoint (it serves ${served.join(', ')}); task '${task.taskName}' cannot run there`,
          displayName: task.displayName,
        };
        outgoing.push({ target: reply, argument: { typename: Typenames.taskException, hasValue: true, value: codecs.taskException.encode(error) } });
      }
    }
  } catch (err) {
    logger({ level: 'error', message: 'dropped a batch to an unserved function type that could not be decoded', fields: { target, error: String(err) } });
  }
  logger({ level: 'warn', message: 'answered a batch to a function type this server does not serve', fields: { target, failedTasks: outgoing.length } });
  return FromFunction.encode({
    response: { $case: 'invocationResult', value: { stateMutations: [], outgoingMessages: outgoing, delayedInvocations: [], outgoingEgresses: [] } },
  }).finish();
}
