/**
 * A cancellation and the finallyDo it dispatches leave the pipeline function
 * in one response, to different function addresses; StateFun may deliver
 * them in either order. When the finallyDo's request reaches the worker
 * first, the cancel message that follows must not abort it: the pipeline
 * waits for its result to end (an e2e run on Flink lost 1 cancellation in 4
 * this way, the pipeline stuck CANCELLING, its submitter never answered).
 */
import { describe, expect, it } from 'vitest';
import { FlinkTasks, silentLogger } from '../../src/index.js';
import { FunctionServer } from '../../src/server.js';
import { actionOf, submissionOf } from '../../src/client/requests.js';
import { codecs, Typenames } from '../../src/wire/codec.js';
import { TaskAction } from '../../src/wire/generated/flinktasks.js';
import { callFunction, noPipelineState } from '../support/function-calls.js';

const tasks = new FlinkTasks({ namespace: 'race', workerName: 'worker' });
let releaseHeld: () => void = () => undefined;
const held = tasks.bind('held', () => new Promise<number>((resolve) => (releaseHeld = () => resolve(1))));
let finallyRuns = 0;
let releaseCleanup: () => void = () => undefined;
const cleanup = tasks.bind('cleanup', () => {
  finallyRuns += 1;
  return new Promise<string>((resolve) => (releaseCleanup = () => resolve('cleaned')));
});

describe('cancel while a task runs, with finallyDo', () => {
  it('the finallyDo reaching the worker before the cancel message is not aborted; the pipeline ends CANCELLED and answers', async () => {
    const server = new FunctionServer(tasks, { logger: silentLogger });
    const pipeline = { namespace: 'race', type: 'pipeline', id: 'order-1' };
    const states = noPipelineState();
    const submission = submissionOf(held.send().finallyDo(cleanup).withId('order-1'), 'flink-tasks.replies').request;
    const submitted = await callFunction(server, pipeline, states, [
      { typename: Typenames.pipelineCommand, value: codecs.pipelineCommand.encode({ command: { $case: 'submit', value: submission } }) },
    ]);
    const first = submitted.outgoingMessages.find((m) => m.argument?.typename === Typenames.taskRequest);
    if (!first?.target || !first.argument) throw new Error('the first task was not dispatched');
    // The held task runs (its call stays open, as on Flink until it ends or is aborted).
    const heldCall = callFunction(server, first.target, { task_state: undefined }, [{ typename: Typenames.taskRequest, value: first.argument.value }]);

    const { request: cancel } = actionOf('order-1', TaskAction.CANCEL_PIPELINE, 'flink-tasks.replies');
    const cancelled = await callFunction(server, pipeline, states, [
      { typename: Typenames.pipelineCommand, value: codecs.pipelineCommand.encode({ command: { $case: 'action', value: cancel } }) },
    ]);
    const cancelMessage = cancelled.outgoingMessages.find((m) => m.argument?.typename === Typenames.taskCancel);
    const finallyRequest = cancelled.outgoingMessages.find((m) => m.argument?.typename === Typenames.taskRequest);
    if (!cancelMessage?.target || !cancelMessage.argument || !finallyRequest?.target || !finallyRequest.argument) throw new Error('no cancel or no finallyDo');

    // The finallyDo's request first, then the cancel message.
    const finallyCall = callFunction(server, finallyRequest.target, { task_state: undefined }, [
      { typename: Typenames.taskRequest, value: finallyRequest.argument.value },
    ]);
    await new Promise((r) => setTimeout(r, 10));
    expect(finallyRuns).toBe(1);
    await callFunction(server, cancelMessage.target, { task_state: undefined }, [{ typename: Typenames.taskCancel, value: cancelMessage.argument.value }]);
    // The held task was aborted: its call ends without a result.
    expect((await heldCall).outgoingMessages).toEqual([]);
    releaseHeld();

    // The finallyDo was not: it ends, and its result ends the pipeline.
    releaseCleanup();
    const finallyAnswer = await finallyCall;
    const result = finallyAnswer.outgoingMessages.find((m) => m.argument?.typename === Typenames.taskResult);
    if (!result?.argument) throw new Error('the finallyDo was aborted: no result');
    const ended = await callFunction(server, pipeline, states, [
      { typename: Typenames.taskResult, value: result.argument.value, caller: { namespace: 'race', type: 'worker', id: finallyRequest.target.id } },
    ]);
    expect(ended.outgoingEgresses.length).toBeGreaterThan(0);
    const status = await callFunction(server, pipeline, states, [
      {
        typename: Typenames.pipelineCommand,
        value: codecs.pipelineCommand.encode({
          command: { $case: 'action', value: actionOf('order-1', TaskAction.GET_STATUS, 'flink-tasks.replies').request },
        }),
      },
    ]);
    expect(status.outgoingEgresses.length).toBe(1);
  });
});
