/** The executor as a pure state machine: no runtime, no SDK, no I/O. */
import { callsOf } from '../src/worker/task-request.js';
import { describe, expect, it } from 'vitest';
import { FlinkTasks, inParallel, RetryPolicy, type PipelineLike } from '../src/index.js';
import { Effects, openSession, type PipelineSession } from '../src/executor/effects.js';
import { PipelineExecutor } from '../src/executor/executor.js';
import { DEFAULT_LIMITS } from '../src/core/limits.js';
import { Routes } from '../src/core/routes.js';
import { codecs, Typenames } from '../src/wire/codec.js';
import { TaskAction, TaskRequest, TaskResult, type Reply } from '../src/wire/generated/flinktasks.js';
import { Status as StatusCode } from '../src/wire/status.js';
import { decodeJson, fromWireValue, toValueBytes } from '../src/wire/values.js';
import { submission } from './support/submission.js';

const tasks = new FlinkTasks({ namespace: 'ns', workerName: 'worker' });
const add = tasks.bind('add', (x: number, y: number) => x + y);
let runs = 0;
const executor = new PipelineExecutor({
  groupSplitThreshold: 4,
  repliesEgress: 'flinktasks/replies',
  limits: DEFAULT_LIMITS,
  routes: new Routes(['ns/pipeline', 'ns/worker'], ['flinktasks/replies']),
  newRunToken: () => `run-${++runs}`,
});
const self = { namespace: 'ns', name: 'pipeline', id: 'p1' };
/** Results come from a worker function (a message without a caller came from a client). */
const worker = { namespace: 'ns', name: 'worker', id: 'w' };

function submit(session: PipelineSession, pipeline: PipelineLike<unknown>, requestId = 'req-1'): Effects {
  const effects = new Effects();
  executor.apply(session, self, submission('p1', pipeline.toIR(), requestId), effects);
  return effects;
}

function taskRequests(effects: Effects): TaskRequest[] {
  // a map request stands for one request per branch, as the worker runs it
  return effects.outgoing.filter((m) => m.typename === Typenames.taskRequest).flatMap((m) => callsOf(codecs.taskRequest.decode(m.payload)));
}

function reply(session: PipelineSession, request: TaskRequest, value: unknown, invocationId = request.invocationId): Effects {
  const effects = new Effects();
  const payload = codecs.taskResult.encode(
    TaskResult.create({
      id: request.id,
      taskName: request.taskName,
      result: toValueBytes(value),
      state: request.state,
      invocationId,
      uid: request.uid,
      branch: request.branch,
    }),
  );
  executor.apply(session, self, { typename: Typenames.taskResult, payload, caller: worker }, effects);
  return effects;
}

function outcomeOf(effects: Effects): unknown {
  const record = effects.egress[0];
  if (!record) return 'no reply';
  return outcomeOfReply(codecs.reply.decode(record.value));
}

/** The result of an outcome reply, or the error code it carries. */
function outcomeOfReply(r: Reply): unknown {
  const o = r.reply?.$case === 'outcome' ? r.reply.value.taskResultOrException : undefined;
  return o?.$case === 'taskResult' ? fromWireValue(o.value.result) : o?.value.exceptionType;
}

describe('PipelineExecutor', () => {
  it('dispatches the first task to its worker, then continues with the result as input, then replies on the egress', () => {
    const session = openSession(undefined, undefined);
    const first = taskRequests(submit(session, add.send(1, 2).continueWith(add, 10)));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ taskName: 'add', uid: 0, invocationId: expect.stringMatching(/^run-/) });
    expect(decodeJson(first[0]!.args)).toEqual([1, 2]);
    const second = reply(session, first[0]!, 3);
    const next = taskRequests(second);
    expect(next[0]?.taskName).toBe('add');
    expect(fromWireValue(next[0]?.input)).toBe(3);
    expect(decodeJson(next[0]!.args)).toEqual([10]);
    const done = reply(session, next[0]!, 13);
    expect(outcomeOf(done)).toBe(13);
    expect(done.egress[0]).toMatchObject({ egress: 'flinktasks/replies', topic: 'flink-tasks.replies', key: 'p1' });
    expect(session.progress?.status).toBe(StatusCode.COMPLETED);
  });

  it('handles a batch of results in one session, recording each only once', () => {
    const session = openSession(undefined, undefined);
    const requests = taskRequests(submit(session, inParallel([add.send(1, 1), add.send(2, 2), add.send(3, 3)])));
    expect(requests.map((r) => r.branch)).toEqual([0, 1, 2]);
    reply(session, requests[2]!, 6);
    expect(outcomeOf(reply(session, requests[2]!, 999))).toBe('no reply');
    reply(session, requests[0]!, 2);
    expect(outcomeOf(reply(session, requests[1]!, 4))).toEqual([2, 4, 6]);
  });

  it('drops results of an earlier run of the same id', () => {
    const session = openSession(undefined, undefined);
    const run1 = taskRequests(submit(session, add.send(1, 2).continueWith(add, 1)))[0]!;
    const cancel = new Effects();
    executor.apply(
      session,
      self,
      {
        typename: Typenames.taskActionRequest,
        payload: codecs.taskActionRequest.encode({
          id: 'p1',
          action: TaskAction.CANCEL_PIPELINE,
          correlationId: 'a',
          reply: { $case: 'replyTopic', value: 'flink-tasks.replies' },
          wait: false,
        }),
      },
      cancel,
    );
    expect(session.progress?.status).toBe(StatusCode.CANCELLED);
    const run2 = taskRequests(submit(session, add.send(5, 5).continueWith(add, 1), 'req-2'))[0]!;
    expect(run2.invocationId).not.toBe(run1.invocationId);
    const before = JSON.stringify(session.progress);
    const stale = reply(session, run1, 3);
    expect(stale.outgoing).toEqual([]);
    expect(stale.egress).toEqual([]);
    expect(JSON.stringify(session.progress)).toBe(before);
    expect(taskRequests(reply(session, run2, 10))[0]?.taskName).toBe('add');
  });

  it('refuses a submission under the id of a running pipeline without touching it', () => {
    const session = openSession(undefined, undefined);
    submit(session, add.send(1, 2));
    const before = JSON.stringify(session.progress);
    const refused = submit(session, add.send(9, 9), 'req-other');
    expect(outcomeOf(refused)).toBe('PipelineAlreadyRunning');
    const refusal = codecs.reply.decode(refused.egress[0]!.value).reply;
    expect(refusal?.$case === 'outcome' ? refusal.value.taskResultOrException?.value.invocationId : undefined).toBe('req-other');
    expect(JSON.stringify(session.progress)).toBe(before);
  });

  it('answers malformed input with an error reply or a log line, never a throw', () => {
    const session = openSession(undefined, undefined);
    const garbage = new Effects();
    expect(() =>
      executor.apply(session, self, { typename: Typenames.taskResult, payload: new Uint8Array([0xff, 0xff, 0xff]), caller: worker }, garbage),
    ).not.toThrow();
    const unknown = new Effects();
    executor.apply(session, self, { typename: 'io.other/Thing', payload: new Uint8Array() }, unknown);
    expect(unknown.logs[0]).toMatchObject({ level: 'warn' });
    const invalid = new Effects();
    const bad = codecs.taskRequest.encode(
      TaskRequest.create({
        id: 'p1',
        reply: { $case: 'replyTopic', value: 'flink-tasks.replies' },
        invocationId: 'x',
        pipeline: { entries: [], inline: false },
      }),
    );
    executor.apply(session, self, { typename: Typenames.taskRequest, payload: bad }, invalid);
    expect(outcomeOf(invalid)).toBe('InvalidPipeline');
    expect(session.progress).toBeUndefined();
  });

  it('runs branches that are chains as child pipelines of its own function type', () => {
    const session = openSession(undefined, undefined);
    const effects = submit(session, inParallel([add.send(1, 1).continueWith(add, 1), add.send(2, 2)]));
    const child = taskRequests(effects).find((r) => r.pipeline);
    expect(child).toMatchObject({ id: 'p1/1.0.0', isChild: true, branch: 0, uid: 0 });
    expect(effects.outgoing.find((m) => m.target.id === 'p1/1.0.0')?.target).toMatchObject({ namespace: 'ns', name: 'pipeline' });
  });

  it('aggregates a group larger than the split threshold through sub-group child pipelines', () => {
    const session = openSession(undefined, undefined);
    const effects = submit(session, inParallel(Array.from({ length: 10 }, (_, i) => add.send(i, 0))));
    const children = taskRequests(effects).filter((r) => r.pipeline);
    expect(children).toHaveLength(3);
    expect(
      children.map((c) => {
        const entry = c.pipeline?.entries[0]?.entry;
        // each part travels in the compact form: one task, its branches' argument tuples
        return entry?.$case === 'groupEntry' ? { branches: entry.value.group.length, mapped: entry.value.mapCount, task: entry.value.mapTask?.taskName } : 0;
      }),
    ).toEqual([4, 4, 2].map((mapped) => ({ branches: 0, mapped, task: 'add' })));
  });

  it('writes the immutable record once per run and keeps progress small', () => {
    const session = openSession(undefined, undefined);
    const requests = taskRequests(submit(session, inParallel(Array.from({ length: 4 }, (_, i) => add.send(i, 0)))));
    expect(session.recordChanged).toBe(true);
    session.recordChanged = false;
    reply(session, requests[0]!, 0);
    expect(session.recordChanged).toBe(false);
    expect(codecs.pipelineProgress.encode(session.progress!).length).toBeLessThan(80);
  });

  it('a call in the background whose worker stops reporting fails with TaskTimeout when its lease lapses, or is retried', () => {
    for (const retries of [0, 1]) {
      const session = openSession(undefined, undefined);
      const t =
        retries > 0
          ? tasks.bind({ name: `leased-${retries}`, retry: new RetryPolicy({ maxRetries: 1, retryFor: ['TaskTimeout'], delayMs: 7 }) }, (x: number) => x)
          : add;
      const [request] = taskRequests(submit(session, t.send(1, 2)));
      const accepted = new Effects(10_000);
      executor.apply(
        session,
        self,
        {
          typename: Typenames.taskResult,
          caller: worker,
          payload: codecs.taskResult.encode(
            TaskResult.create({
              id: request!.id,
              invocationId: request!.invocationId,
              uid: request!.uid,
              accepted: true,
              leaseMs: 1_000,
            }),
          ),
        },
        accepted,
      );
      const check = accepted.delayed.find((d) => d.typename === Typenames.taskActionRequest);
      expect(check?.delayMs).toBe(1_000);
      const lapsed = new Effects(11_000);
      executor.apply(session, self, { typename: check!.typename, payload: check!.payload, caller: self }, lapsed);
      if (retries === 0) {
        expect(outcomeOf(lapsed)).toBe('TaskTimeout');
      } else {
        const retry = lapsed.delayed.find((d) => d.typename === Typenames.taskRequest);
        expect(retry?.delayMs).toBe(7);
        expect(codecs.taskRequest.decode(retry!.payload)).toMatchObject({ attempt: 1, uid: request!.uid });
        expect(session.progress?.status).toBe(StatusCode.RUNNING);
      }
    }
  });

  it('a heartbeat renews the lease: the check then looks again later', () => {
    const session = openSession(undefined, undefined);
    const [request] = taskRequests(submit(session, add.send(1, 2)));
    const accepted = new Effects(10_000);
    executor.apply(
      session,
      self,
      {
        typename: Typenames.taskResult,
        caller: worker,
        payload: codecs.taskResult.encode(
          TaskResult.create({
            id: request!.id,
            invocationId: request!.invocationId,
            uid: request!.uid,
            accepted: true,
            leaseMs: 1_000,
          }),
        ),
      },
      accepted,
    );
    const beat = codecs.pipelineCommand.encode({
      command: {
        $case: 'heartbeat',
        value: {
          invocationId: request!.invocationId,
          uid: request!.uid,
          branch: 0,
          attempt: 0,
          fraction: 0,
          message: '',
          hasProgress: false,
        },
      },
    });
    executor.apply(session, self, { typename: Typenames.pipelineCommand, payload: beat }, new Effects(10_800));
    const check = accepted.delayed.find((d) => d.typename === Typenames.taskActionRequest)!;
    const again = new Effects(11_000);
    executor.apply(session, self, { typename: check.typename, payload: check.payload, caller: self }, again);
    expect(outcomeOf(again)).toBe('no reply');
    expect(again.delayed.find((d) => d.typename === Typenames.taskActionRequest)?.delayMs).toBe(800);
    // A heartbeat with the wrong run token changes nothing.
    const forged = codecs.pipelineCommand.encode({
      command: {
        $case: 'heartbeat',
        value: {
          invocationId: 'guessed',
          uid: request!.uid,
          branch: 0,
          attempt: 0,
          fraction: 0,
          message: '',
          hasProgress: false,
        },
      },
    });
    const before = JSON.stringify(session.progress);
    executor.apply(session, self, { typename: Typenames.pipelineCommand, payload: forged }, new Effects(11_500));
    expect(JSON.stringify(session.progress)).toBe(before);
  });
});
