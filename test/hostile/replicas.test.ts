/**
 * Cancellation with several replicas of a worker: a load balancer sends each
 * StateFun call to any replica, so the cancel message may reach a replica
 * that does not run the call. With `cancellations` configured, the pipeline
 * function also publishes the cancellation to a topic every worker process
 * reads (through its result sink), and the replica that runs the call aborts
 * it. Two `FunctionServer`s stand for two replicas; the topic is a list that
 * both sinks read, as each replica's consumer group reads the whole topic.
 */
import { describe, expect, it } from 'vitest';
import { CANCELLATIONS_EGRESS, CANCELLATIONS_TOPIC, FlinkTasks, silentLogger, type ResultSink, type TaskContext } from '../../src/index.js';
import { FunctionServer } from '../../src/server.js';
import { actionOf, submissionOf } from '../../src/client/requests.js';
import { codecs, Typenames } from '../../src/wire/codec.js';
import { TaskAction } from '../../src/wire/generated/flinktasks.js';
import { decodeKafkaRecord } from '../../src/statefun/protocol.js';
import { callFunction, noPipelineState } from '../support/function-calls.js';

const tasks = new FlinkTasks({ namespace: 'replicas', workerName: 'worker' });
const aborted: string[] = [];
const waitForCancel = tasks.bind({ name: 'waitForCancel', withContext: true }, (ctx: TaskContext, order: string) => {
  return new Promise<string>((resolve) => {
    ctx.signal.addEventListener('abort', () => {
      aborted.push(order);
      resolve('aborted');
    });
  });
});

/** A result sink whose cancellations come from `topic` (what a replica's Kafka consumer would read). */
function sinkReading(topic: ((cancel: Uint8Array) => void)[], withCancellations: boolean): ResultSink {
  return {
    send: () => Promise.resolve(),
    ...(withCancellations
      ? {
          onCancellation: (deliver: (cancel: Uint8Array) => void) => {
            topic.push(deliver);
            return () => undefined;
          },
        }
      : {}),
  };
}

/** Runs one cancellation scenario: the call runs on replica A, the cancel message reaches replica B. */
async function scenario(broadcast: boolean): Promise<{ abortedOnA: boolean; published: number }> {
  const topic: ((cancel: Uint8Array) => void)[] = [];
  const options = {
    logger: silentLogger,
    limits: { callBudgetMs: 20 },
    ...(broadcast ? { cancellations: { egress: CANCELLATIONS_EGRESS, topic: CANCELLATIONS_TOPIC } } : {}),
  };
  const a = new FunctionServer(tasks, { ...options, resultSink: sinkReading(topic, broadcast) });
  const b = new FunctionServer(tasks, { ...options, resultSink: sinkReading(topic, broadcast) });
  const order = `order-${broadcast ? 'broadcast' : 'message-only'}`;
  const pipelineAddress = { namespace: 'replicas', type: 'pipeline', id: order };
  const states = noPipelineState();

  // The submission, on replica B's pipeline function; its task request runs on replica A's worker.
  const submission = submissionOf(waitForCancel.send(order).withId(order), 'flink-tasks.replies').request;
  const submitted = await callFunction(b, pipelineAddress, states, [
    { typename: Typenames.pipelineCommand, value: codecs.pipelineCommand.encode({ command: { $case: 'submit', value: submission } }) },
  ]);
  const request = submitted.outgoingMessages.find((m) => m.argument?.typename === Typenames.taskRequest);
  if (!request?.target || !request.argument) throw new Error('no task was dispatched');
  // Past the 20 ms call budget the call goes on in A's background.
  await callFunction(a, request.target, { task_state: undefined }, [{ typename: Typenames.taskRequest, value: request.argument.value }]);

  // The cancel action: the pipeline function sends the cancel message (and, with cancellations, publishes it).
  const { request: cancel } = actionOf(order, TaskAction.CANCEL_PIPELINE, 'flink-tasks.replies');
  const cancelled = await callFunction(b, pipelineAddress, states, [
    { typename: Typenames.pipelineCommand, value: codecs.pipelineCommand.encode({ command: { $case: 'action', value: cancel } }) },
  ]);
  const message = cancelled.outgoingMessages.find((m) => m.argument?.typename === Typenames.taskCancel);
  if (!message?.target || !message.argument) throw new Error('no cancel message was sent');
  // The load balancer sends the cancel message to replica B, which runs nothing.
  await callFunction(b, message.target, { task_state: undefined }, [{ typename: Typenames.taskCancel, value: message.argument.value }]);
  const records = cancelled.outgoingEgresses.filter((e) => e.egressNamespace === 'flinktasks' && e.egressType === 'cancellations');
  // Kafka delivers each published record to every replica's consumer.
  for (const record of records) {
    const produced = decodeKafkaRecord(record.argument?.value ?? new Uint8Array(0));
    expect(produced.topic).toBe(CANCELLATIONS_TOPIC);
    for (const deliver of topic) deliver(produced.valueBytes);
  }
  await new Promise((r) => setTimeout(r, 20));
  return { abortedOnA: aborted.includes(order), published: records.length };
}

describe('a cancelled call on one of several worker replicas', () => {
  it('is not aborted when the cancel message reaches another replica and nothing is published (the limit this fixes)', async () => {
    expect(await scenario(false)).toEqual({ abortedOnA: false, published: 0 });
  });

  it('is aborted through the cancellations topic, which every replica reads', async () => {
    expect(await scenario(true)).toEqual({ abortedOnA: true, published: 1 });
  });
});
