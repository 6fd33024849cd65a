/**
 * What clients write through the Kafka ingress, checked before it is
 * trusted: undecodable commands and records the ingress could not route are
 * answered where the sender can be found, and dead-lettered; submissions and
 * actions may not set what only flink-tasks itself sets.
 *
 * @module
 */
import { ErrorCode, type ErrorCodeName } from '../core/error-codes.js';
import { codecs, Typenames } from '../wire/codec.js';
import { TaskAction, type InvalidRecord, type TaskActionRequest, type TaskRequest } from '../wire/generated/flinktasks.js';
import { peekCommandSender, type CommandSender } from '../wire/peek.js';
import { deadLetter } from './dead-letters.js';
import type { FunctionMessage } from './effects.js';
import { exception } from './messages.js';
import type { Step } from './run.js';

/** Answers `sender` with an error, if its reply topic is one this deployment may write to. */
export function answerSender(step: Step, sender: CommandSender | undefined, code: ErrorCodeName, message: string): void {
  if (!sender || sender.replyTopic === '' || step.config.routes.replyTopicProblem(sender.replyTopic) !== undefined) return;
  const { self, effects, config } = step;
  const reply =
    sender.kind === 'submit'
      ? codecs.reply.encode({
          reply: {
            $case: 'outcome',
            value: {
              taskResultOrException: {
                $case: 'taskException',
                value: exception(code, message, { id: self.id, invocationId: sender.correlationId }),
              },
            },
          },
        })
      : codecs.reply.encode({
          reply: {
            $case: 'actionException',
            value: {
              id: self.id,
              action: 0,
              exceptionType: code,
              exceptionMessage: message,
              stacktrace: '',
              correlationId: sender.correlationId,
            },
          },
        });
  effects.publish({ egress: config.repliesEgress, topic: sender.replyTopic, key: self.id, value: reply });
}

/** A message that does not decode: dead-lettered, and its sender told if it can be found. */
export function answerUndecodable(step: Step, message: FunctionMessage, sender: CommandSender | undefined, err: unknown): void {
  const why = `a ${message.typename} of ${message.payload.byteLength} bytes that cannot be decoded (${err instanceof Error ? err.message : String(err)})`;
  deadLetter(step, { code: ErrorCode.UndecodableMessage, message: why, typename: message.typename, payload: message.payload });
  answerSender(step, sender, ErrorCode.UndecodableMessage, `flink-tasks could not decode ${why}; it was dropped`);
}

const REASONS: Readonly<Record<string, { readonly code: ErrorCodeName; readonly why: string }>> = {
  MissingKey: { code: ErrorCode.MissingKey, why: "it has no key (a command's key must be its pipeline id)" },
  MissingValue: { code: ErrorCode.MissingValue, why: 'it has a key but no value' },
  KeyTooLong: { code: ErrorCode.KeyTooLong, why: 'its key is longer than the ingress allows' },
};

/** A Kafka record the flink-tasks ingress could not route: dead-lettered, and its sender told if it can be found. */
export function answerInvalidRecord(step: Step, record: InvalidRecord): void {
  const reason = REASONS[record.reason] ?? { code: ErrorCode.UndecodableMessage, why: `the ingress could not route it (${record.reason})` };
  const where = `record ${record.topic}/${record.partition}@${record.offset}`;
  const message = `${where} was dropped: ${reason.why}`;
  deadLetter(step, { code: reason.code, message, typename: Typenames.invalidRecord, payload: new Uint8Array(0), record });
  if (record.value.byteLength > 0) answerSender(step, peekCommandSender(record.value), reason.code, `flink-tasks: ${message}`);
}

/** Fields of a submission that only flink-tasks sets, which a client set anyway. */
export function systemFieldsOf(request: TaskRequest): string[] {
  const set: string[] = [];
  if (request.reply?.$case === 'replyAddress') set.push('reply_address');
  if (request.isChild) set.push('is_child');
  if (request.isBranch) set.push('is_branch');
  if (request.pipelineId !== '') set.push('pipeline_id');
  if (request.pipelineAddress) set.push('pipeline_address');
  if (request.rootPipelineId !== '') set.push('root_pipeline_id');
  if (request.rootPipelineAddress) set.push('root_pipeline_address');
  if (request.input) set.push('input');
  if (request.inputError) set.push('input_error');
  if (request.state) set.push('state');
  if (request.attempt !== 0) set.push('attempt');
  return set;
}

/** Why a client's action cannot be accepted, or `undefined`. */
export function clientActionProblem(action: TaskActionRequest): string | undefined {
  if (action.reply?.$case === 'replyAddress') return 'reply_address may only be set by flink-tasks';
  const internal: readonly number[] = [TaskAction.EXPIRE_PIPELINE, TaskAction.PUBLISH_OUTCOME, TaskAction.CHECK_PENDING, TaskAction.START_PIPELINE];
  if (internal.includes(action.action)) {
    return `action ${action.action} is internal to flink-tasks`;
  }
  return undefined;
}
