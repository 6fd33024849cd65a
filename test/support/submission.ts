/**
 * A client's submission as the pipeline function receives it, for tests
 * that drive the executor message by message.
 */
import type { FunctionMessage } from '../../src/executor/effects.js';
import type { PipelineNode } from '../../src/ir/nodes.js';
import { codecs, Typenames } from '../../src/wire/codec.js';
import { TaskRequest } from '../../src/wire/generated/flinktasks.js';
import { pipelineToWire } from '../../src/wire/pipeline.js';

/** The submission of `pipeline` under pipeline id `id`, request id `requestId`, answered on `flink-tasks.replies`. */
export function submission(id: string, pipeline: PipelineNode, requestId: string): FunctionMessage {
  return {
    typename: Typenames.taskRequest,
    payload: codecs.taskRequest.encode(
      TaskRequest.create({ id, reply: { $case: 'replyTopic', value: 'flink-tasks.replies' }, invocationId: requestId, pipeline: pipelineToWire(pipeline) }),
    ),
  };
}
