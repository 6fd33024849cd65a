/**
 * Binary codecs for the wire schema in `types/flinktasks.proto`, built with
 * protobufjs from the schema file at load time.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import type {
  WireEvent,
  WirePipeline,
  WirePipelineProgress,
  WirePipelineRecord,
  WireTaskActionException,
  WireTaskActionRequest,
  WireTaskActionResult,
  WireTaskException,
  WireTaskRequest,
  WireTaskResult,
  WireTaskResultOrException,
  WirePipelineCommand,
  WireReply,
  WireValue,
} from './messages.js';

const schemaUrl = new URL('../../types/flinktasks.proto', import.meta.url);
const root = protobuf.parse(readFileSync(schemaUrl, 'utf8'), { keepCase: false }).root;

/** Encoder/decoder pair for one message type. */
export interface MessageCodec<T> {
  /** The StateFun typename used when this message travels as a typed value. */
  readonly typename: string;
  encode(message: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

function codecFor<T>(name: string): MessageCodec<T> {
  const type = root.lookupType(`flinktasks.${name}`);
  return Object.freeze({
    typename: `io.flinktasks/${name}`,
    encode: (message: T): Uint8Array => type.encode(message as object).finish(),
    decode: (bytes: Uint8Array): T => type.decode(bytes) as unknown as T,
  });
}

/** Codecs of every message that crosses a function boundary or is kept as state. */
export const codecs = Object.freeze({
  pipeline: codecFor<WirePipeline>('Pipeline'),
  value: codecFor<WireValue>('Value'),
  taskRequest: codecFor<WireTaskRequest>('TaskRequest'),
  taskResult: codecFor<WireTaskResult>('TaskResult'),
  taskException: codecFor<WireTaskException>('TaskException'),
  taskResultOrException: codecFor<WireTaskResultOrException>('TaskResultOrException'),
  taskActionRequest: codecFor<WireTaskActionRequest>('TaskActionRequest'),
  taskActionResult: codecFor<WireTaskActionResult>('TaskActionResult'),
  taskActionException: codecFor<WireTaskActionException>('TaskActionException'),
  event: codecFor<WireEvent>('Event'),
  pipelineRecord: codecFor<WirePipelineRecord>('PipelineRecord'),
  pipelineProgress: codecFor<WirePipelineProgress>('PipelineProgress'),
  reply: codecFor<WireReply>('Reply'),
  pipelineCommand: codecFor<WirePipelineCommand>('PipelineCommand'),
});

/** StateFun typenames of the messages, as they appear in typed values and Kafka ingress `valueType`s. */
export const Typenames = Object.freeze({
  taskRequest: codecs.taskRequest.typename,
  taskResult: codecs.taskResult.typename,
  taskException: codecs.taskException.typename,
  taskActionRequest: codecs.taskActionRequest.typename,
  taskActionResult: codecs.taskActionResult.typename,
  taskActionException: codecs.taskActionException.typename,
  taskResultOrException: codecs.taskResultOrException.typename,
  event: codecs.event.typename,
  reply: codecs.reply.typename,
  pipelineCommand: codecs.pipelineCommand.typename,
});
