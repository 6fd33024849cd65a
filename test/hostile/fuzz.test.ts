/**
 * Fuzzing the functions as StateFun calls them. Whatever bytes arrive — as a
 * message of any flink-tasks type, mutated from a valid one or random, with
 * state that is missing, valid or corrupt — at the pipeline function or a
 * worker function, the call is answered (nothing throws out of `handle`),
 * and pipelines run afterwards as before. On Flink a throw would fail the
 * whole job; this is the property that keeps it running.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlinkTasks, LocalRuntime, silentLogger } from '../../src/index.js';
import { FunctionServer } from '../../src/server.js';
import { submissionOf } from '../../src/client/requests.js';
import { MESSAGE_BATCH_TYPENAME } from '../../src/wire/batch.js';
import { codecs, Typenames } from '../../src/wire/codec.js';
import { TaskRequest } from '../../src/wire/generated/flinktasks.js';
import { decodeFromFunction } from '../../src/statefun/protocol.js';
import { callBytes } from '../support/function-calls.js';

const tasks = new FlinkTasks({ namespace: 'fuzz', workerName: 'worker' });
const add = tasks.bind('add', (a: number, b: number) => a + b);

const server = new FunctionServer(tasks, { logger: silentLogger });
const pipelineAddress = { namespace: 'fuzz', type: server.pipelineType.split('/')[1] ?? '', id: 'victim' };
const workerAddress = { namespace: 'fuzz', type: 'worker', id: 'w' };

/** Valid messages of each kind, to mutate. */
const submission = codecs.pipelineCommand.encode({
  command: { $case: 'submit', value: submissionOf(add.send(1, 2).withId('victim'), 'flink-tasks.replies').request },
});
const taskRequest = codecs.taskRequest.encode({
  ...TaskRequest.create(),
  id: 'victim/1.0',
  taskName: 'add',
  invocationId: 'tok',
  args: new TextEncoder().encode('{"json":[1,2]}'),
  reply: { $case: 'replyAddress', value: pipelineAddress },
});
const seeds: Uint8Array[] = [submission, taskRequest, new Uint8Array(0)];
const typenames = [...Object.values(Typenames), MESSAGE_BATCH_TYPENAME, 'io.flinktasks/Unknown', ''];
const callers = fc.constantFrom(undefined, workerAddress, pipelineAddress, { namespace: 'fuzz', type: 'pipeline', id: 'someone-else' });

/** `bytes` with some of its bytes changed, cut short, or grown. */
const mutated = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    fc.option(fc.nat(), { nil: undefined }),
    fc.uint8Array({ maxLength: 16 }),
  )
  .map(([seed, flips, cut, tail]) => {
    const out = new Uint8Array([...seed, ...tail]);
    for (const [at, value] of flips) if (out.length > 0) out[at % out.length] = value;
    return cut === undefined || out.length === 0 ? out : out.subarray(0, cut % out.length);
  });
const payload = fc.oneof(mutated, fc.uint8Array({ maxLength: 64 }));

/** A state value: absent, or these bytes. */
const stateValue = fc.option(fc.uint8Array({ maxLength: 48 }), { nil: undefined });

const call = callBytes;

describe('fuzzed calls', () => {
  it('reach the functions (the harness is right: an unmutated submission and task request do their work)', async () => {
    const started = decodeFromFunction(
      await server.handle(
        call(pipelineAddress, { record: undefined, progress: undefined, upload: undefined }, [{ typename: Typenames.pipelineCommand, value: submission }]),
      ),
    );
    const out = started.response?.$case === 'invocationResult' ? started.response.value.outgoingMessages : [];
    expect(out.map((m) => m.argument?.typename)).toContain(Typenames.taskRequest);
    const ran = decodeFromFunction(
      await server.handle(call(workerAddress, { task_state: undefined }, [{ typename: Typenames.taskRequest, value: taskRequest }])),
    );
    const reply = ran.response?.$case === 'invocationResult' ? ran.response.value.outgoingMessages : [];
    expect(reply.map((m) => m.argument?.typename)).toEqual([Typenames.taskResult]);
  });

  it('the pipeline function answers every call, whatever its messages and state', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ typename: fc.constantFrom(...typenames), value: payload, caller: callers }), { minLength: 1, maxLength: 4 }),
        stateValue,
        stateValue,
        stateValue,
        async (messages, record, progress, upload) => {
          const answer = decodeFromFunction(await server.handle(call(pipelineAddress, { record, progress, upload }, messages)));
          expect(answer.response?.$case).toBe('invocationResult');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a worker function answers every call, whatever its messages and task state', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ typename: fc.constantFrom(...typenames), value: payload, caller: callers }), { minLength: 1, maxLength: 4 }),
        stateValue,
        async (messages, taskState) => {
          const answer = decodeFromFunction(await server.handle(call(workerAddress, { task_state: taskState }, messages)));
          expect(answer.response?.$case).toBe('invocationResult');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a running pipeline answers every fuzzed result, exception or command of its own run', async () => {
    // A real run: the submission's state and the worker's real answer, which the fuzz then mutates.
    const pipelineStates = { record: undefined, progress: undefined, upload: undefined } as Record<string, Uint8Array | undefined>;
    const submitted = decodeFromFunction(
      await server.handle(call(pipelineAddress, pipelineStates, [{ typename: Typenames.pipelineCommand, value: submission }])),
    );
    if (submitted.response?.$case !== 'invocationResult') throw new Error('the submission was not run');
    for (const m of submitted.response.value.stateMutations) pipelineStates[m.stateName] = m.mutationType === 1 ? m.stateValue?.value : undefined;
    const request = submitted.response.value.outgoingMessages.find((m) => m.argument?.typename === Typenames.taskRequest)?.argument?.value;
    if (!request) throw new Error('no task was dispatched');
    const ran = decodeFromFunction(await server.handle(call(workerAddress, { task_state: undefined }, [{ typename: Typenames.taskRequest, value: request }])));
    const answered = ran.response?.$case === 'invocationResult' ? ran.response.value.outgoingMessages[0]?.argument : undefined;
    if (!answered) throw new Error('the worker did not answer');
    const result = answered.value;
    const ofTheRun = fc
      .tuple(fc.constantFrom(result, request, submission), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }))
      .map(([seed, flips]) => {
        const out = new Uint8Array(seed);
        for (const [at, value] of flips) out[at % out.length] = value;
        return out;
      });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ typename: fc.constantFrom(...typenames), value: ofTheRun, caller: callers }), { minLength: 1, maxLength: 3 }),
        async (messages) => {
          const answer = decodeFromFunction(await server.handle(call(pipelineAddress, pipelineStates, messages)));
          expect(answer.response?.$case).toBe('invocationResult');
        },
      ),
      { numRuns: 1000 },
    );
    // And the real result still completes the run: the reply to the submitter goes out.
    const done = decodeFromFunction(
      await server.handle(
        call(pipelineAddress, pipelineStates, [{ typename: answered.typename, value: result, caller: { ...workerAddress, id: 'victim~0' } }]),
      ),
    );
    const egress = done.response?.$case === 'invocationResult' ? done.response.value.outgoingEgresses : [];
    expect(egress.length).toBeGreaterThan(0);
  });

  it('the embedded runtime takes fuzzed ingress records and still runs pipelines', async () => {
    const runtime = new LocalRuntime(tasks, { logger: silentLogger });
    try {
      const records = fc.sample(fc.record({ key: fc.oneof(fc.constant('victim'), fc.string({ maxLength: 8 })), value: payload }), { numRuns: 200, seed: 7 });
      for (const r of records) runtime.ingest(r);
      await runtime.idle();
      expect(await runtime.submit(add.send(20, 22))).toBe(42);
    } finally {
      await runtime.close();
    }
  });
});
