/**
 * Submissions in parts (`SubmissionPart`): a client cuts a submission too
 * large for one Kafka record into pieces sent in order under the pipeline's
 * id; the pipeline function keeps them in its `upload` state and, once the
 * last has arrived, handles the whole as a submission. Parts out of order,
 * of another submission, or adding up to more than `limits.maxValueBytes`
 * refuse the submission (its sender is told, as for any refused submission).
 *
 * @module
 */
import { ErrorCode, type ErrorCodeName } from '../core/error-codes.js';
import { codecs, Typenames } from '../wire/codec.js';
import type { SubmissionPart, TaskRequest } from '../wire/generated/flinktasks.js';
import { formatBytes } from '../wire/sizes.js';
import { deadLetter } from './dead-letters.js';
import { answerSender } from './ingress.js';
import type { Step } from './run.js';
import { submit } from './submit.js';

/** A part of a submission has arrived (from a client: parts come through the ingress only). */
export function onSubmitPart(step: Step, part: SubmissionPart, fromClient: boolean): void {
  const { self, session, config } = step;
  const sender = { kind: 'submit' as const, replyTopic: part.replyTopic, correlationId: part.requestId };
  const refuse = (code: ErrorCodeName, message: string): void => {
    if (session.upload) {
      session.upload = undefined;
      session.uploadChanged = true;
    }
    deadLetter(step, { code, message, typename: Typenames.pipelineCommand, payload: new Uint8Array(0) });
    answerSender(step, sender, code, `flink-tasks: ${message}`);
  };
  if (!fromClient) {
    deadLetter(step, {
      code: ErrorCode.InvalidPipelineRequest,
      message: 'a part of a submission arrived from a function; parts only come from clients',
      typename: Typenames.pipelineCommand,
      payload: new Uint8Array(0),
    });
    return;
  }
  const limit = config.limits.maxValueBytes;
  if (part.requestId === '' || part.count < 1 || part.index >= part.count) {
    refuse(
      ErrorCode.InvalidPipelineRequest,
      `submission of pipeline '${self.id}' refused: part ${part.index} of ${part.count} of request '${part.requestId}' is not a part of anything`,
    );
    return;
  }
  let upload = session.upload;
  if (part.index === 0) {
    if (upload)
      step.effects.log('warn', 'an unfinished submission in parts was replaced by a new one', {
        pipeline: self.id,
        requestId: upload.requestId,
        received: upload.received,
        of: upload.count,
      });
    upload = { requestId: part.requestId, count: part.count, received: 0, bytes: new Uint8Array(0), replyTopic: part.replyTopic };
  } else if (upload?.requestId !== part.requestId || upload.count !== part.count || upload.received !== part.index) {
    refuse(
      ErrorCode.InvalidPipelineRequest,
      `submission of pipeline '${self.id}' refused: part ${part.index} of ${part.count} of request '${part.requestId}' arrived ${upload ? `after part ${upload.received - 1} of ${upload.count} of request '${upload.requestId}'` : 'without its first part'}`,
    );
    return;
  }
  const size = upload.bytes.byteLength + part.bytes.byteLength;
  if (size > limit) {
    refuse(
      ErrorCode.MessageSizeExceeded,
      `submission of pipeline '${self.id}' refused: its parts add up to more than ${formatBytes(limit)} (limits.maxValueBytes)`,
    );
    return;
  }
  const bytes = new Uint8Array(size);
  bytes.set(upload.bytes, 0);
  bytes.set(part.bytes, upload.bytes.byteLength);
  upload = { ...upload, received: part.index + 1, bytes };
  if (upload.received < upload.count) {
    session.upload = upload;
    session.uploadChanged = true;
    return;
  }
  session.upload = undefined;
  session.uploadChanged = true;
  let request: TaskRequest;
  try {
    request = codecs.taskRequest.decode(bytes);
  } catch (err) {
    refuse(
      ErrorCode.UndecodableMessage,
      `submission of pipeline '${self.id}' refused: its ${part.count} parts do not make a submission (${err instanceof Error ? err.message : String(err)})`,
    );
    return;
  }
  if (request.invocationId !== part.requestId) {
    refuse(
      ErrorCode.InvalidPipelineRequest,
      `submission of pipeline '${self.id}' refused: its parts carry request '${part.requestId}' but make request '${request.invocationId}'`,
    );
    return;
  }
  submit(step, request, true);
}
