/**
 * Binary codecs of the wire schema (`types/flinktasks.proto`), generated at
 * build time into `src/wire/generated/` (see `scripts/gen-wire.mjs`), and the
 * StateFun typenames the messages travel under.
 *
 * @module
 */
import * as wire from './generated/flinktasks.js';

/** Encoder/decoder pair for one message type. */
export interface MessageCodec<T> {
  /** The StateFun typename used when this message travels as a typed value. */
  readonly typename: string;
  encode(message: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

interface Generated<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

function codecFor<T>(name: string, generated: Generated<T>): MessageCodec<T> {
  return Object.freeze({
    typename: `io.flinktasks/${name}`,
    encode: (message: T): Uint8Array => generated.encode(message).finish(),
    decode: (bytes: Uint8Array): T => generated.decode(bytes),
  });
}

/** Codecs of every message that crosses a function boundary or is kept as state. */
export const codecs = Object.freeze({
  pipeline: codecFor('Pipeline', wire.Pipeline),
  value: codecFor('Value', wire.Value),
  taskRequest: codecFor('TaskRequest', wire.TaskRequest),
  taskResult: codecFor('TaskResult', wire.TaskResult),
  taskException: codecFor('TaskException', wire.TaskException),
  taskResultOrException: codecFor('TaskResultOrException', wire.TaskResultOrException),
  taskActionRequest: codecFor('TaskActionRequest', wire.TaskActionRequest),
  taskActionResult: codecFor('TaskActionResult', wire.TaskActionResult),
  taskActionException: codecFor('TaskActionException', wire.TaskActionException),
  event: codecFor('Event', wire.Event),
  pipelineRecord: codecFor('PipelineRecord', wire.PipelineRecord),
  pipelineProgress: codecFor('PipelineProgress', wire.PipelineProgress),
  reply: codecFor('Reply', wire.Reply),
  pipelineCommand: codecFor('PipelineCommand', wire.PipelineCommand),
  invalidRecord: codecFor('InvalidRecord', wire.InvalidRecord),
  deadLetter: codecFor('DeadLetter', wire.DeadLetter),
  taskCancel: codecFor('TaskCancel', wire.TaskCancel),
  taskStateWrite: codecFor('TaskStateWrite', wire.TaskStateWrite),
  submissionUpload: codecFor('SubmissionUpload', wire.SubmissionUpload),
  mapResults: codecFor('MapResults', wire.MapResults),
});

/** StateFun typenames of the messages, as they appear in typed values and Kafka ingress `valueType`s. */
export const Typenames = Object.freeze({
  taskRequest: codecs.taskRequest.typename,
  taskResult: codecs.taskResult.typename,
  taskException: codecs.taskException.typename,
  taskActionRequest: codecs.taskActionRequest.typename,
  taskActionResult: codecs.taskActionResult.typename,
  taskActionException: codecs.taskActionException.typename,
  pipelineCommand: codecs.pipelineCommand.typename,
  invalidRecord: codecs.invalidRecord.typename,
  value: codecs.value.typename,
  taskCancel: codecs.taskCancel.typename,
  taskStateWrite: codecs.taskStateWrite.typename,
  mapResults: codecs.mapResults.typename,
});
