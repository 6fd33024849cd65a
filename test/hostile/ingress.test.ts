/**
 * Hostile and broken input through the ingress, on the embedded runtime:
 * every record is answered or dead-lettered, nothing fails anything else,
 * and a canary pipeline submitted right after completes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FlinkTasks, LocalRuntime, silentLogger, type DeadLetterInfo, type LogEntry } from '../../src/index.js';
import { codecs } from '../../src/wire/codec.js';
import { TaskRequest } from '../../src/wire/generated/flinktasks.js';
import { pipelineToWire } from '../../src/wire/pipeline.js';
import { gate } from '../fixtures.js';

const tasks = new FlinkTasks({ namespace: 'hostile', workerName: 'worker' });
const add = tasks.bind('add', (x: number, y: number) => x + y);
const waitFor = tasks.bind('waitFor', async (name: string, value: number) => {
  const g = gate(name);
  g.entered();
  await g.opened;
  return value;
});
const letters: DeadLetterInfo[] = [];
const letterWaiters: Array<() => void> = [];
const logs: LogEntry[] = [];
const runtime = new LocalRuntime(tasks, {
  logger: (e) => logs.push(e),
  onDeadLetter: (l) => {
    letters.push(l);
    for (const w of letterWaiters.splice(0)) w();
  },
});
/** Resolves at the next dead letter (idle() would wait for the gated tasks too). */
const nextLetter = (): Promise<void> => new Promise((resolve) => letterWaiters.push(resolve));
afterAll(() => runtime.close());

const canary = async (): Promise<void> => {
  expect(await runtime.submit(add.send(20, 22))).toBe(42);
};

function command(request: Partial<TaskRequest>): Uint8Array {
  return codecs.pipelineCommand.encode({ command: { $case: 'submit', value: TaskRequest.create(request) } });
}

describe('records the ingress cannot route', () => {
  it.each([
    ['a record without a key', { key: null, value: new Uint8Array([1, 2, 3]) }, 'MissingKey'],
    ['a record with an empty key', { key: '', value: new Uint8Array([1]) }, 'MissingKey'],
    ['a tombstone (key, no value)', { key: 'some-pipeline', value: null }, 'MissingValue'],
    ['a key longer than 1024 bytes', { key: 'k'.repeat(2000), value: new Uint8Array([1]) }, 'KeyTooLong'],
  ])('%s is dead-lettered with its reason, and the next pipeline runs', async (_name, record, reason) => {
    letters.length = 0;
    runtime.ingest(record);
    await runtime.idle();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ reason, record: { reason, topic: 'flink-tasks.requests' } });
    await canary();
  });

  it('a keyless submission with a reply topic is answered there with the reason', async () => {
    logs.length = 0;
    const bytes = command({
      id: 'p',
      reply: { $case: 'replyTopic', value: 'flink-tasks.replies' },
      invocationId: 'keyless-1',
      pipeline: pipelineToWire(add.send(1, 1).toIR()),
    });
    runtime.ingest({ key: null, value: bytes });
    await runtime.idle();
    // Nobody waits for request keyless-1 in this process: the reply reached the router and was reported as unclaimed.
    expect(logs.some((l) => l.message === 'reply with no waiting request')).toBe(true);
  });
});

describe('commands that do not decode', () => {
  it("garbage keyed with a running pipeline's id is dead-lettered and never touches that pipeline", async () => {
    letters.length = 0;
    const victim = waitFor.send('garbage-victim', 7);
    const result = runtime.submit(victim);
    await gate('garbage-victim').reached;
    const letter = nextLetter();
    runtime.ingest({ key: victim.id, value: new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]) });
    await letter;
    expect(letters.map((l) => [l.reason, l.targetId])).toEqual([['UndecodableMessage', victim.id]]);
    expect(await runtime.status(victim)).toBe('RUNNING');
    gate('garbage-victim').open();
    expect(await result).toBe(7);
    await canary();
  });

  it('a command with neither a submission nor an action is dead-lettered', async () => {
    letters.length = 0;
    runtime.ingest({ key: 'empty', value: new Uint8Array(0) });
    await runtime.idle();
    expect(letters[0]?.reason).toBe('InvalidPipelineRequest');
  });
});

describe('fields only flink-tasks may set', () => {
  it('a submission that sets a reply address cannot answer into another pipeline', async () => {
    letters.length = 0;
    const victim = waitFor.send('forged-victim', 2);
    const result = runtime.submit(victim);
    await gate('forged-victim').reached;
    // The forged child would reply 1000 into the victim's waiting step.
    const forged = command({
      id: 'attacker',
      reply: { $case: 'replyAddress', value: { namespace: 'hostile', type: 'pipeline', id: victim.id } },
      isChild: true,
      invocationId: '1',
      pipeline: pipelineToWire(add.send(999, 1).toIR()),
    });
    const letter = nextLetter();
    runtime.ingest({ key: 'attacker', value: forged });
    await letter;
    expect(letters[0]).toMatchObject({
      reason: 'InvalidPipelineRequest',
      message: expect.stringContaining('reply_address, is_child may only be set by flink-tasks'),
    });
    gate('forged-victim').open();
    expect(await result).toBe(2);
  });

  it("a client's action may not be an internal one", async () => {
    letters.length = 0;
    const p = add.send(1, 2);
    await runtime.submit(p);
    runtime.ingest({
      key: p.id,
      value: codecs.pipelineCommand.encode({ command: { $case: 'action', value: { id: p.id, action: 6, correlationId: '1', wait: false } } }),
    });
    await runtime.idle();
    expect(letters[0]?.reason).toBe('InvalidPipelineRequest');
    expect(await runtime.status(p)).toBe('COMPLETED');
  });
});

describe('reply topics', () => {
  it.each([
    ['not a valid topic name', 'no spaces allowed'],
    ['not one the deployment allows', 'someone-elses.topic'],
  ])('a submission whose reply topic is %s is dead-lettered and does not run', async (_name, topic) => {
    letters.length = 0;
    runtime.ingest({
      key: `bad-topic-${topic.length}`,
      value: command({ id: 'x', reply: { $case: 'replyTopic', value: topic }, invocationId: 'r', pipeline: pipelineToWire(add.send(1, 1).toIR()) }),
    });
    await runtime.idle();
    expect(letters[0]).toMatchObject({ reason: 'InvalidReplyTopic' });
    await expect(runtime.status(`bad-topic-${topic.length}`)).rejects.toMatchObject({ errorType: 'PipelineNotFound' });
    await canary();
  });

  it('an action whose reply topic is invalid is dead-lettered and changes nothing', async () => {
    letters.length = 0;
    const p = waitFor.send('bad-action-topic', 5);
    const result = runtime.submit(p);
    await gate('bad-action-topic').reached;
    const letter = nextLetter();
    runtime.ingest({
      key: p.id,
      value: codecs.pipelineCommand.encode({
        command: { $case: 'action', value: { id: p.id, action: 5, correlationId: 'u', reply: { $case: 'replyTopic', value: '../../etc' }, wait: false } },
      }),
    });
    await letter;
    expect(letters[0]?.reason).toBe('InvalidReplyTopic');
    expect(await runtime.status(p)).toBe('RUNNING');
    gate('bad-action-topic').open();
    expect(await result).toBe(5);
  });
});

describe('destinations the deployment does not serve', () => {
  const other = new FlinkTasks({ namespace: 'hostile', workerName: 'worker' });
  const elsewhere = other.bind({ name: 'elsewhere', namespace: 'nowhere', workerName: 'worker' }, (x: number) => x);
  const unserved = other.bind({ name: 'unserved', workerName: 'gpu' }, (x: number) => x);

  it.each([
    ['a namespace that is not routed', () => elsewhere.send(1), 'nowhere/worker'],
    ['a worker type in a served namespace that nobody serves', () => unserved.send(1), 'hostile/gpu'],
  ])('an entry naming %s fails the pipeline with UnknownFunction at once', async (_name, pipeline, address) => {
    const quiet = new LocalRuntime(tasks, { logger: silentLogger });
    await expect(quiet.submit(pipeline())).rejects.toMatchObject({ errorType: 'UnknownFunction', message: expect.stringContaining(address) });
    await quiet.close();
  });

  it('routes declare function types served elsewhere', async () => {
    const declared = new LocalRuntime(tasks, { logger: silentLogger, routes: { functions: ['nowhere/*'] } });
    // Declared, so it is sent; this runtime cannot deliver it and drops it with a log line, the pipeline waits.
    void declared.submit(elsewhere.send(1)).catch(() => undefined);
    await declared.idle();
    await declared.close();
  });
});
