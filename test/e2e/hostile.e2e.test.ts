/**
 * Hostile input on the real path (issue 9, "Done when"): Flink StateFun +
 * Kafka, the worker process, KafkaTasksClient. One test per kind of input
 * that used to stop, hang or corrupt something: destinations nobody serves,
 * results too large for the egress, bad reply topics, tasks that run too long
 * or throw unreadable values, garbage and forged commands aimed at a running
 * pipeline, garbage on the replies topic, 3,000 submissions at once, sends
 * that fail, oversized and stalled HTTP requests to the worker, undecodable
 * and deeply nested submissions. (Records the ingress cannot route, and the
 * restart faults, are in poison-ingress.e2e.test.ts and restart.e2e.test.ts.)
 *
 * After each input: the Flink job is the same one, RUNNING, with no new
 * failure and no restart (its REST API); a canary pipeline submitted right
 * after the input completes; and the sender got a clear error, or the record
 * is on flink-tasks.dead-letters (read back and decoded). Each test adds a
 * line to the table printed at the end: input → what the sender saw → job
 * restarts → ms from the input until the canary completed.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request, type ClientRequest, type OutgoingHttpHeaders } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inParallel, TaskError, type LogEntry, type Pipeline } from 'flink-tasks';
import { KafkaTasksClient } from 'flink-tasks/kafka';
import { settleOutcome } from '../../src/client/requests.js';
import { codecs } from '../../src/wire/codec.js';
import { TaskAction, TaskActionRequest, TaskRequest, type DeadLetter, type Reply } from '../../src/wire/generated/flinktasks.js';
import { pipelineToWire } from '../../src/wire/pipeline.js';
import { peekCommandSender } from '../../src/wire/peek.js';
import * as t from './fixtures/tasks.js';
import { connectClient, e2e, flinkJob, ReplyRecorder } from './support/env.js';
import { GateServer } from './support/gate.js';
import { jobRestarts } from './support/runtime.js';
import { TopicReader } from './support/topic-reader.js';
import { recordedWorkerPid, REPO_ROOT, startWorker, stopWorker } from './support/worker-process.js';

const REQUESTS = 'flink-tasks.requests';
const REPLIES = 'flink-tasks.replies';
const DEAD_LETTERS = 'flink-tasks.dead-letters';
const MiB = 1024 * 1024;
/** Kafka's record limit in flink/ (broker message.max.bytes, topics' max.message.bytes). */
const KAFKA_MAX_MESSAGE_BYTES = 16 * MiB;
/** The default limits.maxReplyBytes and maxResultBytes the fixture worker runs with (src/core/limits.ts). */
const MAX_REPLY_BYTES = 16 * MiB - 64 * 1024;
const MAX_RESULT_BYTES = 1 * MiB;
/** The default serve() maxRequestBytes. */
const MAX_REQUEST_BYTES = 128 * MiB;
/** status value of COMPLETED in events. */
const COMPLETED = 2;

let flink: KafkaTasksClient;
/** A second client whose log lines the tests read. */
let watcher: KafkaTasksClient;
const watcherLogs: LogEntry[] = [];
let kafka: Kafka;
let producer: Producer;
let gates: GateServer;
let recorder: ReplyRecorder;
let deadLetters: TopicReader<DeadLetter>;
let replies: TopicReader<Reply>;
/** The job as the file found it. */
let job: { id: string; lastRestart: number; failures: number };
/** Its numRestarts metric then. */
let restartsAtStart = 0;
/** Failures of the job when the current test started. */
let failuresBefore = 0;

interface Row {
  readonly input: string;
  readonly saw: string;
  readonly restarts: number;
  readonly canaryMs: number;
}
const rows: Row[] = [];

beforeAll(async () => {
  kafka = new Kafka({ clientId: 'flink-tasks-e2e-hostile', brokers: e2e().brokers, logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  [flink, watcher, gates, recorder, deadLetters, replies] = await Promise.all([
    connectClient(120_000),
    KafkaTasksClient.connect({ brokers: e2e().brokers, timeoutMs: 120_000, logger: (entry) => watcherLogs.push(entry) }),
    new GateServer().start(),
    ReplyRecorder.start(),
    TopicReader.start(DEAD_LETTERS, (b) => codecs.deadLetter.decode(b)),
    TopicReader.start(REPLIES, (b) => codecs.reply.decode(b)),
    producer.connect(),
  ]);
  job = await flinkJob();
  restartsAtStart = await jobRestarts(job.id);
});

afterAll(async () => {
  if (rows.length > 0) {
    const ms = (n: number): string => n.toFixed(0);
    console.log(
      [
        '[e2e] hostile inputs on Flink:',
        '| input | what the sender saw | job restarts | canary completed after (ms) |',
        '| --- | --- | --- | --- |',
        ...rows.map((r) => `| ${r.input} | ${r.saw.replaceAll('|', '\\|')} | ${r.restarts} | ${ms(r.canaryMs)} |`),
      ].join('\n'),
    );
  }
  await Promise.allSettled([producer?.disconnect(), flink?.close(), watcher?.close(), gates?.close(), recorder?.stop(), deadLetters?.stop(), replies?.stop()]);
});

beforeEach(async () => {
  failuresBefore = (await flinkJob()).failures;
});

// --- helpers ------------------------------------------------------------------

/** Submits a canary pipeline now; resolves with the milliseconds from `t0` until it completed. */
async function canary(t0: number): Promise<number> {
  expect(await flink.submit(t.add.send(20, 22))).toBe(42);
  return performance.now() - t0;
}

/** The error `call` rejects with (fails the test if it resolves). */
async function errorOf(call: Promise<unknown>): Promise<TaskError> {
  const outcome = await call.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)?.slice(0, 200)}`);
  expect(outcome.error).toBeInstanceOf(TaskError);
  return outcome.error as TaskError;
}

const said = (e: TaskError): string => `${e.errorType}: ${e.message.length > 140 ? `${e.message.slice(0, 140)}…` : e.message}`;

/** After an input: the same job, running, no new failure, no restart; adds the table row. */
async function report(input: string, saw: string, canaryMs: number): Promise<void> {
  const now = await flinkJob();
  const restarts = now.failures - failuresBefore;
  rows.push({ input, saw, restarts, canaryMs });
  expect(now.id, 'the Flink job was replaced').toBe(job.id);
  expect(now.state).toBe('RUNNING');
  expect(restarts, 'the job failed (each failure restarts it)').toBe(0);
  expect(now.lastRestart, 'the job restarted').toBe(job.lastRestart);
}

/** Produces one record straight onto the requests topic (as any Kafka client could). */
async function produce(key: string | null, value: Buffer | Uint8Array | null, topic = REQUESTS): Promise<void> {
  await producer.send({ topic, messages: [{ key, value: value === null ? null : Buffer.from(value) }] });
}

/** A PipelineCommand carrying submission `request`, encoded. */
function submission(request: Partial<TaskRequest>): Uint8Array {
  return codecs.pipelineCommand.encode({ command: { $case: 'submit', value: TaskRequest.create(request) } });
}

/** The dead letter for pipeline id `targetId` with `reason`, once the pipeline function published it. */
async function deadLetterFor(targetId: string, reason: string): Promise<DeadLetter> {
  return (await deadLetters.waitFor((l) => l.targetId === targetId && l.reason === reason, `dead letter ${reason} for '${targetId}'`)).value;
}

/** Lines of the worker's log (JSON lines, warnings and errors). */
function workerLog(): string[] {
  return readFileSync(join(e2e().runDir, 'worker.log'), 'utf8').split('\n');
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

// --- 1. destinations nobody serves ---------------------------------------------

describe('a task naming a function type the deployment does not serve', () => {
  const cases: Array<{ input: string; pipeline: () => Pipeline<unknown>; names: string; started: boolean }> = [
    {
      input: 'a task in namespace `nowhere` (module.yaml routes `example/*` only)',
      pipeline: () => t.elsewhere.send(1),
      names: 'nowhere/worker',
      started: false,
    },
    { input: 'a task on worker type `example/gpu` (routed namespace, not served)', pipeline: () => t.onGpu.send(1), names: 'example/gpu', started: false },
    {
      input: 'a served task followed by one in namespace `nowhere`',
      pipeline: () => t.add.send(1, 2).continueWith(t.elsewhere),
      names: 'nowhere/worker',
      started: false,
    },
    { input: 'an orchestrator task returning a pipeline on `nowhere`', pipeline: () => t.delegateElsewhere.send(1), names: 'nowhere/worker', started: true },
  ];

  it.each(cases)('$input: the pipeline fails with UnknownFunction, nothing is sent there', async ({ input, pipeline, names, started }) => {
    const p = pipeline();
    const t0 = performance.now();
    const outcome = errorOf(flink.submit(p));
    const canaryMs = await canary(t0);
    const error = await outcome;
    expect(error.errorType).toBe('UnknownFunction');
    expect(error.message).toContain(names);
    if (!started) {
      // Refused on submission: no run was created (no events), so no task of it went anywhere.
      const barrier = t.add.send(1, 1);
      await flink.submit(barrier);
      await recorder.until(() => recorder.events.some((e) => e.pipelineId === barrier.id && e.status === COMPLETED));
      expect(recorder.events.filter((e) => e.pipelineId === p.id)).toEqual([]);
    }
    // The worker never got a batch for a type it does not serve (it would have answered and logged it).
    expect(workerLog().filter((l) => l.includes('does not serve'))).toEqual([]);
    await report(input, said(error), canaryMs);
  });
});

// --- 2. results and the egress -----------------------------------------------------

describe('results and what the replies egress can take', () => {
  /**
   * 16 branches of `count` characters each: every branch result is under
   * maxResultBytes (1 MiB), the group's combined value under maxValueBytes
   * (16 MiB); the reply is just over (OVER) or just under (UNDER)
   * maxReplyBytes (16 MiB − 64 KiB), itself under Kafka's 16 MiB.
   */
  const BRANCHES = 16;
  const OVER = 1_046_000;
  const UNDER = 1_040_000;
  const group = (count: number, fill: string): Pipeline<string[]> => inParallel(Array.from({ length: BRANCHES }, () => t.sized.send(count, fill)));

  it('a final result larger than the egress can take fails with MessageSizeExceeded', async () => {
    expect(BRANCHES * OVER).toBeGreaterThan(MAX_REPLY_BYTES);
    expect(OVER + 64).toBeLessThan(MAX_RESULT_BYTES);
    const t0 = performance.now();
    const outcome = errorOf(flink.submit(group(OVER, 'o')));
    const canaryMs = await canary(t0);
    const error = await outcome;
    expect(error.errorType).toBe('MessageSizeExceeded');
    expect(error.message).toContain('limits.maxReplyBytes');
    await report(`a ${BRANCHES}-branch group whose result is ~${((BRANCHES * OVER) / MiB).toFixed(2)} MiB (> maxReplyBytes)`, said(error), canaryMs);
  });

  it('a result of 300 KiB (over the 256 KiB inline reply size) is delivered intact', async () => {
    const count = 300 * 1024;
    const t0 = performance.now();
    const result = flink.submit(t.sized.send(count, 'l'));
    const canaryMs = await canary(t0);
    const value = await result;
    expect(value).toHaveLength(count);
    expect(value).toBe('l'.repeat(count));
    await report('a 300 KiB task result', `the result, ${value.length} characters, intact`, canaryMs);
  });

  it('a result just under maxReplyBytes (~15.9 MiB) goes through Kafka and is delivered intact', async () => {
    expect(BRANCHES * UNDER + 1024).toBeLessThan(MAX_REPLY_BYTES);
    expect(MAX_REPLY_BYTES).toBeLessThan(KAFKA_MAX_MESSAGE_BYTES);
    const t0 = performance.now();
    const result = flink.submit(group(UNDER, 'u'));
    const canaryMs = await canary(t0);
    const value = await result;
    const expected = 'u'.repeat(UNDER);
    expect(value).toHaveLength(BRANCHES);
    expect(value.every((s) => s === expected)).toBe(true);
    await report(
      `a ${BRANCHES}-branch group whose result is ~${((BRANCHES * UNDER) / MiB).toFixed(2)} MiB (< maxReplyBytes)`,
      `the result, ${BRANCHES} × ${UNDER} characters, intact`,
      canaryMs,
    );
  });
});

// --- 3. reply topics -----------------------------------------------------------------

describe('reply topics', () => {
  it('an action whose reply topic is not a valid topic name is dead-lettered (InvalidReplyTopic) and changes nothing', async () => {
    const name = `bad-action-topic-${randomUUID()}`;
    const victim = t.gate.send(gates.url, name, 5);
    const victimResult = flink.submit(victim);
    await gates.arrived(name);
    const t0 = performance.now();
    // A cancel that would have to be answered on `../../etc passwd`.
    await produce(
      victim.id,
      codecs.pipelineCommand.encode({
        command: {
          $case: 'action',
          value: TaskActionRequest.create({
            id: victim.id,
            action: TaskAction.CANCEL_PIPELINE,
            correlationId: randomUUID(),
            reply: { $case: 'replyTopic', value: '../../etc passwd' },
          }),
        },
      }),
    );
    const canaryMs = await canary(t0);
    const letter = await deadLetterFor(victim.id, 'InvalidReplyTopic');
    expect(letter.message).toContain('not a valid Kafka topic name');
    expect(await flink.status(victim)).toBe('RUNNING');
    gates.open(name);
    expect(await victimResult).toBe(5);
    await report(
      'a cancel action with reply topic `../../etc passwd`',
      `no reply (no valid topic to answer on); dead letter ${letter.reason}; the pipeline was not cancelled`,
      canaryMs,
    );
  });

  it('a submission whose reply topic is valid but not allowed is dead-lettered (InvalidReplyTopic), does not run, and nothing is written there', async () => {
    const id = `disallowed-topic-${randomUUID()}`;
    const topic = `someone-elses.replies-${randomUUID()}`;
    const t0 = performance.now();
    await produce(
      id,
      submission({ id, reply: { $case: 'replyTopic', value: topic }, invocationId: randomUUID(), pipeline: pipelineToWire(t.add.send(1, 1).toIR()) }),
    );
    const canaryMs = await canary(t0);
    const letter = await deadLetterFor(id, 'InvalidReplyTopic');
    expect(letter.message).toContain('not allowed by this deployment');
    await expect(flink.status(id)).rejects.toMatchObject({ errorType: 'PipelineNotFound' });
    // The egress never wrote to that topic (the broker would have created it on the first write).
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).not.toContain(topic);
    } finally {
      await admin.disconnect();
    }
    await report(
      'a submission asking for replies on `someone-elses.replies-…`',
      `no reply (the topic is not allowed); dead letter ${letter.reason}; it did not run`,
      canaryMs,
    );
  });
});

// --- 4. tasks throwing values that cannot be read ------------------------------------

describe('a task throwing a value that cannot be read safely', () => {
  it.each([
    { kind: 'getter' as const, input: 'a null-prototype object whose `message` getter throws', errorType: 'object' },
    { kind: 'revoked-proxy' as const, input: 'a revoked Proxy', errorType: 'object' },
    { kind: 'error-message-getter' as const, input: 'a RangeError whose `message` getter throws', errorType: 'RangeError' },
  ])('$input: the pipeline fails with a readable error', async ({ kind, input, errorType }) => {
    const t0 = performance.now();
    const outcome = errorOf(flink.submit(t.throwUnreadable.send(kind)));
    const canaryMs = await canary(t0);
    const error = await outcome;
    expect(error.errorType).toBe(errorType);
    expect(typeof error.message).toBe('string');
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.taskName).toBe('throwUnreadable');
    await report(`a task throwing ${input}`, said(error), canaryMs);
  });
});

// --- 5. commands aimed at a running pipeline -------------------------------------------

describe('commands aimed at a running pipeline', () => {
  it("garbage keyed with a running pipeline's id is dead-lettered (UndecodableMessage); the pipeline completes normally", async () => {
    const name = `garbage-victim-${randomUUID()}`;
    const victim = t.gate.send(gates.url, name, 7).continueWith(t.add, 1);
    const victimResult = flink.submit(victim);
    await gates.arrived(name);
    const t0 = performance.now();
    await produce(victim.id, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]));
    const canaryMs = await canary(t0);
    const letter = await deadLetterFor(victim.id, 'UndecodableMessage');
    expect(letter.message).toContain('cannot be decoded');
    expect(await flink.status(victim)).toBe('RUNNING');
    gates.open(name);
    expect(await victimResult).toBe(8);
    await report(
      "7 bytes of garbage keyed with a running pipeline's id",
      `nobody to answer; dead letter ${letter.reason}; the running pipeline completed (8)`,
      canaryMs,
    );
  });

  it('a submission setting replyAddress/isChild to answer into a running pipeline is refused (InvalidPipelineRequest); the victim returns its own result', async () => {
    const name = `forged-victim-${randomUUID()}`;
    const victim = t.gate.send(gates.url, name, 2);
    const victimResult = flink.submit(victim);
    await gates.arrived(name);
    const pipeline = pipelineToWire(t.add.send(999, 1).toIR());
    const victimAddress = { namespace: 'example', type: 'pipeline', id: victim.id };
    // Attacker 1 asks for its outcome (1000) to be delivered into the victim, as if it were the victim's child.
    const viaAddress = `attacker-${randomUUID()}`;
    // Attacker 2 does the same but wants its own answer on the replies topic.
    const viaTopic = `attacker-${randomUUID()}`;
    const attacker2Request = randomUUID();
    const t0 = performance.now();
    await produce(
      viaAddress,
      submission({ id: viaAddress, reply: { $case: 'replyAddress', value: victimAddress }, isChild: true, invocationId: '1', pipeline }),
    );
    await produce(
      viaTopic,
      submission({
        id: viaTopic,
        reply: { $case: 'replyTopic', value: REPLIES },
        isChild: true,
        pipelineId: victim.id,
        pipelineAddress: victimAddress,
        invocationId: attacker2Request,
        pipeline,
      }),
    );
    const canaryMs = await canary(t0);
    const [letter1, letter2] = await Promise.all([deadLetterFor(viaAddress, 'InvalidPipelineRequest'), deadLetterFor(viaTopic, 'InvalidPipelineRequest')]);
    expect(letter1.message).toContain('reply_address, is_child may only be set by flink-tasks');
    expect(letter2.message).toContain('is_child, pipeline_id, pipeline_address may only be set by flink-tasks');
    const answer = await replies.waitFor(
      (r) => r.reply?.$case === 'outcome' && r.reply.value.taskResultOrException?.value.invocationId === attacker2Request,
      'the answer to attacker 2',
    );
    const error = (() => {
      try {
        settleOutcome(answer.value.reply?.$case === 'outcome' ? answer.value.reply.value : undefined);
      } catch (e) {
        return e as TaskError;
      }
      throw new Error('attacker 2 got a result');
    })();
    expect(error.errorType).toBe('InvalidPipelineRequest');
    expect(await flink.status(victim)).toBe('RUNNING');
    gates.open(name);
    expect(await victimResult).toBe(2);
    await expect(flink.status(viaAddress)).rejects.toMatchObject({ errorType: 'PipelineNotFound' });
    await report(
      'submissions with `reply_address` = a running pipeline and `is_child` (one also with a reply topic)',
      `dead letters ${letter1.reason}; the one with a topic: ${said(error)}; the victim returned 2`,
      canaryMs,
    );
  });
});

// --- 6. undecodable and deeply nested submissions ------------------------------------

describe('submissions that do not decode, or nest deeply', () => {
  it('a submission whose bytes do not decode but whose reply topic and request id can be read: the sender gets UndecodableMessage', async () => {
    const id = `undecodable-${randomUUID()}`;
    const requestId = randomUUID();
    // A TaskRequest with its reply topic and request id, then field 12 (pipeline) announcing 1,000 bytes and carrying 3.
    const head = codecs.taskRequest.encode(TaskRequest.create({ id, reply: { $case: 'replyTopic', value: REPLIES }, invocationId: requestId }));
    const inner = Buffer.concat([Buffer.from(head), Buffer.from([0x62, 0xe8, 0x07, 1, 2, 3])]);
    const bytes = Buffer.concat([Buffer.from([0x0a]), varint(inner.length), inner]);
    expect(() => codecs.pipelineCommand.decode(bytes)).toThrow();
    expect(peekCommandSender(bytes)).toEqual({ kind: 'submit', replyTopic: REPLIES, correlationId: requestId });

    const t0 = performance.now();
    await produce(id, bytes);
    const canaryMs = await canary(t0);
    const answer = await replies.waitFor(
      (r) => r.reply?.$case === 'outcome' && r.reply.value.taskResultOrException?.value.invocationId === requestId,
      'the answer to the undecodable submission',
    );
    expect(answer.key).toBe(id);
    let error: TaskError | undefined;
    try {
      settleOutcome(answer.value.reply?.$case === 'outcome' ? answer.value.reply.value : undefined);
    } catch (e) {
      error = e as TaskError;
    }
    expect(error?.errorType).toBe('UndecodableMessage');
    expect(error?.message).toContain('could not decode');
    const letter = await deadLetterFor(id, 'UndecodableMessage');
    expect(Buffer.from(letter.payload)).toStrictEqual(bytes);
    await report(
      'a submission truncated inside its pipeline (reply topic and request id readable)',
      `${said(error as TaskError)} (and a dead letter)`,
      canaryMs,
    );
  });

  it('groups nested 50 deep complete on Flink', async () => {
    let p: Pipeline<unknown> = t.add.send(1, 1);
    let expected: unknown = 2;
    for (let depth = 0; depth < 50; depth++) {
      p = inParallel([p]);
      expected = [expected];
    }
    const t0 = performance.now();
    const result = flink.submit(p);
    const canaryMs = await canary(t0);
    expect(await result).toStrictEqual(expected);
    await report('groups nested 50 deep', 'the result, nested 50 deep', canaryMs);
  });
});

// --- 7. KafkaTasksClient ---------------------------------------------------------------

describe('KafkaTasksClient', () => {
  it('a garbage record on the replies topic does not stop later replies to a connected client', async () => {
    const t0 = performance.now();
    await produce('garbage', Buffer.from([0xff, 0xff, 0xff, 0x01]), REPLIES);
    const results = await Promise.all([
      watcher.submit(t.add.send(1, 2)),
      watcher.submit(t.multiply.send(3, 4)),
      watcher.status(t.add.send(0, 0).id).catch((e: unknown) => e),
    ]);
    const canaryMs = await canary(t0);
    expect(results.slice(0, 2)).toEqual([3, 12]);
    expect(results[2]).toMatchObject({ errorType: 'PipelineNotFound' });
    expect(watcherLogs.filter((l) => l.message.includes('not a flink-tasks reply'))).toHaveLength(1);
    await report('4 bytes of garbage on flink-tasks.replies', 'later replies arrive (3, 12, PipelineNotFound); one warning logged', canaryMs);
  });

  it('3,000 submissions issued at once, 18 MB of commands in all, all complete', async () => {
    const N = 3_000;
    const padding = 'p'.repeat(6_000);
    // Together more than Kafka takes in one record batch: they must go out in several produce requests.
    expect(N * padding.length).toBeGreaterThan(KAFKA_MAX_MESSAGE_BYTES);
    const pipelines = Array.from({ length: N }, (_, i) => t.padded.send(padding, i));
    const t0 = performance.now();
    const all = Promise.all(pipelines.map((p) => flink.submit(p)));
    const canaryMs = await canary(t0);
    const results = await all;
    const ms = performance.now() - t0;
    console.log(`[e2e] ${N} submissions at once: all completed in ${ms.toFixed(0)} ms`);
    expect(results).toStrictEqual(pipelines.map((_, i) => padding.length + i));
    await report(`${N} submissions issued at once (6 KB each, 18 MB in all)`, `all ${N} results, in ${(ms / 1000).toFixed(1)} s`, canaryMs);
  });

  /** Runs fixtures/failed-send-client.ts as a process of its own; resolves with its exit code, output and log. */
  function failedSendClient(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/e2e/fixtures/failed-send-client.ts')], {
        cwd: REPO_ROOT,
        env: { ...process.env, E2E_BROKERS: e2e().brokers.join(','), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** What a failed-send client process saw, for the table. */
  function sawOf(run: { code: number | null; stdout: string; stderr: string }): string {
    if (run.code !== 0) {
      const thrown = /^(\w*Error): (.*)$/m.exec(run.stderr);
      return `the process died (exit ${run.code}) of an unhandled ${thrown ? `${thrown[1]}: ${thrown[2]}` : 'error'}`;
    }
    const { outcomes } = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { outcomes: Array<{ rejected?: string; resolved?: string; ms: number }> };
    return outcomes.map((o) => `${o.rejected ?? `resolved ${o.resolved ?? ''}`} after ${o.ms} ms`).join('; ');
  }

  it('a send that fails (request topic missing, createTopics false) rejects that call with the send error and leaves no unhandled rejection', async () => {
    const t0 = performance.now();
    const child = failedSendClient({ E2E_TIMEOUT_MS: '2000', E2E_RETRIES: '1' });
    const canaryMs = await canary(t0);
    const run = await child;
    await report("a send that fails before the client's timeout (submit and status; request topic missing)", sawOf(run), canaryMs);
    expect(run.code, `the client process exited with ${run.code}:\n${run.stderr.slice(-2000)}`).toBe(0);
    expect(run.stderr).toBe('');
    const { outcomes } = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { outcomes: Array<{ rejected?: string; resolved?: string; ms: number }> };
    expect(outcomes).toHaveLength(2);
    for (const o of outcomes) {
      expect(o.resolved).toBeUndefined();
      expect(o.rejected).toMatch(/does not host this topic-partition/);
      expect(o.ms).toBeLessThan(2_000);
    }
  });

  // Found by this suite: the reply waiter's timeout could reject while #call
  // was still awaiting sendCommand, unhandled, ending the client process.
  it("a send that fails after the client's timeout rejects that call and leaves no unhandled rejection", async () => {
    const t0 = performance.now();
    const child = failedSendClient({ E2E_TIMEOUT_MS: '300', E2E_RETRIES: '3' });
    const canaryMs = await canary(t0);
    const run = await child;
    rows.push({
      input: "a send that fails after the client's timeout (300 ms; submit and status; request topic missing)",
      saw: sawOf(run),
      restarts: (await flinkJob()).failures - failuresBefore,
      canaryMs,
    });
    expect(run.code, `the client process exited with ${run.code}:\n${run.stderr.slice(-2000)}`).toBe(0);
  });
});

// --- 8. the worker's HTTP endpoint -------------------------------------------------------

/** VmRSS of process `pid`, in bytes. */
function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** Samples the RSS of `pid` every 10 ms until stopped; the peak. */
function sampleRss(pid: number): { stop(): number } {
  let peak = rssOf(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssOf(pid));
    } catch {
      // the process is gone: the test sees that elsewhere
    }
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, rssOf(pid));
    },
  };
}

/**
 * POSTs to the worker's /statefun with `headers`, then `feed` writes the
 * body; resolves with the status of the response (-1 if the connection was
 * reset before one arrived) and how long it took.
 */
function postToWorker(
  headers: OutgoingHttpHeaders,
  feed: (req: ClientRequest, answered: () => boolean) => Promise<void> | void,
): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    const req = request({ host: '127.0.0.1', port: e2e().workerPort, path: '/statefun', method: 'POST', headers }, (res) => {
      status = res.statusCode ?? 0;
      res.resume();
      res.once('end', () => resolve({ status: status ?? 0, ms: performance.now() - started }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (status !== undefined) return;
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') resolve({ status: -1, ms: performance.now() - started });
      else reject(err);
    });
    void Promise.resolve(feed(req, () => status !== undefined)).catch(() => undefined);
  });
}

/** Writes `total` bytes in 1 MiB chunks, respecting back-pressure, until done or `stop()`. */
async function writeBody(req: ClientRequest, total: number, stop: () => boolean): Promise<void> {
  const chunk = Buffer.alloc(MiB, 0x61);
  for (let sent = 0; sent < total && !stop() && !req.destroyed; sent += chunk.byteLength) {
    if (!req.write(chunk)) {
      await new Promise<void>((r) => {
        const done = (): void => {
          req.off('drain', done);
          req.off('close', done);
          r();
        };
        req.once('drain', done);
        req.once('close', done);
      });
    }
  }
  if (!stop() && !req.destroyed) req.end();
}

describe("the worker's HTTP endpoint", () => {
  const BODY = 256 * MiB;
  /** Tries per kind of client (whether the sender reads the 413 or a reset is a race). */
  const ATTEMPTS = 5;
  /** What each sender of a declared 256 MiB body got: a status, or -1 for a reset. */
  const declaredOutcomes: number[] = [];
  /** Peak RSS growth of the worker while a chunked 256 MiB body was refused. */
  let chunkedGrowth = 0;

  it("256 MiB bodies with their length declared are refused before they are read; the worker's RSS does not grow", async () => {
    const pid = recordedWorkerPid(e2e().runDir) as number;
    const before = rssOf(pid);
    const sampler = sampleRss(pid);
    const t0 = performance.now();
    let slowest = 0;
    for (const waitsForContinue of [true, false]) {
      for (let i = 0; i < ATTEMPTS; i++) {
        const headers: OutgoingHttpHeaders = {
          'Content-Length': BODY,
          'Content-Type': 'application/octet-stream',
          ...(waitsForContinue ? { Expect: '100-continue' } : {}),
        };
        const { status, ms } = await postToWorker(headers, (req, answered) => {
          if (waitsForContinue) req.once('continue', () => void writeBody(req, BODY, answered));
          else return writeBody(req, BODY, answered);
        });
        declaredOutcomes.push(status);
        slowest = Math.max(slowest, ms);
      }
    }
    const grew = sampler.stop() - before;
    const canaryMs = await canary(t0);
    const count = (status: number): number => declaredOutcomes.filter((s) => s === status).length;
    const saw = `413 × ${count(413)}, connection reset × ${count(-1)} (each within ${slowest.toFixed(0)} ms); worker RSS peak +${(grew / MiB).toFixed(1)} MiB`;
    console.log(
      `[e2e] 256 MiB declared bodies, ${ATTEMPTS} waiting for 100-continue then ${ATTEMPTS} writing at once: ${JSON.stringify(declaredOutcomes)}; ${saw} (RSS before ${(before / MiB).toFixed(0)} MiB)`,
    );
    for (const status of declaredOutcomes) expect([413, -1]).toContain(status);
    expect(slowest).toBeLessThan(5_000);
    expect(grew).toBeLessThan(8 * MiB);
    await report(`${2 * ATTEMPTS} POSTs declaring a 256 MiB body (half waiting for 100-continue)`, saw, canaryMs);
  });

  // Found by this suite: serve() used to destroy the connection right after
  // the 413, so a sender still writing got a reset; now 100-continue is
  // refused outright and the rest of a body is read and dropped.
  it('every sender of a declared 256 MiB body reads the 413', () => {
    expect(declaredOutcomes.filter((s) => s !== 413)).toEqual([]);
  });

  it('a 256 MiB chunked body is refused with 411 (StateFun always declares the length); the worker lives on', async () => {
    const pid = recordedWorkerPid(e2e().runDir) as number;
    const before = rssOf(pid);
    const sampler = sampleRss(pid);
    const t0 = performance.now();
    const { status, ms } = await postToWorker({ 'Transfer-Encoding': 'chunked', 'Content-Type': 'application/octet-stream' }, (req, answered) =>
      writeBody(req, BODY, answered),
    );
    chunkedGrowth = sampler.stop() - before;
    const canaryMs = await canary(t0);
    const saw = `${status === -1 ? 'connection reset' : status} after ${ms.toFixed(0)} ms; worker RSS peak +${(chunkedGrowth / MiB).toFixed(1)} MiB`;
    console.log(`[e2e] 256 MiB chunked body: ${saw} (RSS before ${(before / MiB).toFixed(0)} MiB)`);
    expect(status).toBe(411);
    expect(chunkedGrowth).toBeLessThan(MAX_REQUEST_BYTES + 64 * MiB);
    await report('a POST streaming a 256 MiB chunked body', saw, canaryMs);
  });

  // Found by this suite: without a declared length, serve() used to buffer up
  // to maxRequestBytes before refusing; now it refuses at once (StateFun's
  // transports always send Content-Length).
  it("a 256 MiB chunked body does not grow the worker's RSS by more than a few MiB", () => {
    expect(chunkedGrowth).toBeLessThan(8 * MiB);
  });
});

// --- 9. a worker with a short call budget and request timeout -------------------------

/** Replaces the worker process with one started with `env` (see fixtures/worker.ts). */
async function restartWorker(env: Record<string, string>): Promise<void> {
  const { runDir, workerPort } = e2e();
  const pid = recordedWorkerPid(runDir);
  if (pid !== undefined) await stopWorker(pid);
  await startWorker(runDir, workerPort, 60_000, env);
}

describe('a worker without a result sink, holding a StateFun call at most 3 s and waiting at most 2 s for a request', () => {
  const CALL_BUDGET_MS = 3_000;
  const REQUEST_TIMEOUT_MS = 2_000;
  beforeAll(async () => {
    // No result sink: a task over the budget cannot go on in the background.
    await restartWorker({
      E2E_WORKER_CALL_BUDGET_MS: String(CALL_BUDGET_MS),
      E2E_WORKER_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      E2E_WORKER_RESULT_SINK: 'off',
    });
  });
  afterAll(async () => {
    // The other test files get the worker with the default limits back.
    await restartWorker({});
  });

  it('a task running longer than the call budget fails with TaskTimeout; the job never restarts and the task is not run again', async () => {
    const name = `overrun-${randomUUID()}`;
    const t0 = performance.now();
    const outcome = errorOf(flink.submit(t.gate.send(gates.url, name, 1)));
    await gates.arrived(name);
    const canaryMs = await canary(t0);
    const error = await outcome;
    const failedAfter = performance.now() - t0;
    expect(error.errorType).toBe('TaskTimeout');
    expect(error.message).toContain('callBudgetMs');
    expect(failedAfter).toBeGreaterThanOrEqual(CALL_BUDGET_MS);
    gates.open(name); // the task itself ends now; its late result goes nowhere
    await canary(performance.now());
    expect(gates.arrivals(name), 'the task ran again').toBe(1);
    await report(
      "a task running longer than the worker's 3 s call budget (held at a gate)",
      `${said(error)} after ${(failedAfter / 1000).toFixed(1)} s`,
      canaryMs,
    );
  });

  it('a request whose body stalls gets 408; a canary submitted meanwhile completes', async () => {
    const t0 = performance.now();
    const stalled = postToWorker({ 'Content-Length': 1000 }, (req) => {
      req.write(Buffer.alloc(10));
    });
    const canaryMs = await canary(t0);
    const { status, ms } = await stalled;
    expect(status).toBe(408);
    expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    await report('a POST sending 10 of its 1,000 bytes, then nothing', `408 after ${ms.toFixed(0)} ms`, canaryMs);
  });

  it('a request whose headers stall gets 408; a canary submitted meanwhile completes', async () => {
    const t0 = performance.now();
    const stalled = new Promise<{ answer: string; ms: number }>((resolve, reject) => {
      const socket = connectTcp({ host: '127.0.0.1', port: e2e().workerPort });
      let answer = '';
      socket.on('connect', () => socket.write('POST /statefun HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl'));
      socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
      socket.on('error', reject);
      socket.on('close', () => resolve({ answer, ms: performance.now() - t0 }));
    });
    const canaryMs = await canary(t0);
    const { answer, ms } = await stalled;
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    await report('a POST whose headers stop half way', `408 after ${ms.toFixed(0)} ms`, canaryMs);
  });
});

describe('after every input above', () => {
  it('the job is the one the file started with, and its numRestarts metric has not moved', async () => {
    const now = await flinkJob();
    expect(now.id).toBe(job.id);
    expect(now.failures).toBe(job.failures);
    expect(await jobRestarts(job.id)).toBe(restartsAtStart);
    // What the inputs left in Flink state (retained finished pipelines included), for the record.
    const res = await fetch(`${e2e().flinkRest}/jobs/${job.id}/checkpoints`);
    const checkpoints = (await res.json()) as { latest?: { completed?: { state_size?: number; checkpointed_size?: number } | null } };
    const size = checkpoints.latest?.completed?.state_size ?? checkpoints.latest?.completed?.checkpointed_size;
    console.log(`[e2e] hostile: latest checkpoint ${size === undefined ? 'size unknown' : `${(size / MiB).toFixed(1)} MiB`}`);
  });
});
