/**
 * Records on flink-tasks.requests that StateFun's stock Kafka ingress cannot
 * route (no key, a null value, a key longer than maxKeyBytes) used to fail
 * the job, which then replayed them forever. The flink-tasks ingress
 * (io.flinktasks.kafka.v1/ingress, flink/ingress) hands them to the pipeline
 * function as io.flinktasks/InvalidRecord instead, which dead-letters them.
 * Each is produced straight onto the topic with kafkajs; then the job must
 * not have restarted, a canary pipeline submitted right after must complete
 * (the time until it does is printed), and the record must be on
 * flink-tasks.dead-letters with its reason, position, key and value.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaTasksClient } from 'flink-tasks/kafka';
import { codecs } from '../../src/wire/codec.js';
import type { DeadLetter } from '../../src/wire/generated/flinktasks.js';
import * as t from './fixtures/tasks.js';
import { connectClient, e2e, requestOffsets } from './support/env.js';
import { jobFailures, jobRestarts, runningJob } from './support/runtime.js';

const REQUESTS = 'flink-tasks.requests';
const DEAD_LETTERS = 'flink-tasks.dead-letters';
/** maxKeyBytes of the ingress in flink/module.yaml. */
const MAX_KEY_BYTES = 1024;

interface Poison {
  readonly name: string;
  readonly reason: 'MissingKey' | 'MissingValue' | 'KeyTooLong';
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

const poisons: Poison[] = [
  { name: 'a record without a key', reason: 'MissingKey', key: null, value: Buffer.from(`keyless ${randomUUID()}`) },
  { name: 'a record with a key and a null value (tombstone)', reason: 'MissingValue', key: Buffer.from(`tombstone-${randomUUID()}`), value: null },
  {
    name: `a key longer than maxKeyBytes (${MAX_KEY_BYTES})`,
    reason: 'KeyTooLong',
    key: Buffer.from(`${randomUUID()}-`.padEnd(MAX_KEY_BYTES + 500, 'k')),
    value: Buffer.from('too long a key'),
  },
];

let flink: KafkaTasksClient;
let kafka: Kafka;
let producer: Producer;
let jobId: string;
let restartsAtStart: number;
let failuresAtStart: number;
const produced = new Map<string, { partition: number; offset: string }>();
const timings: string[] = [];

beforeAll(async () => {
  kafka = new Kafka({ clientId: 'flink-tasks-e2e-poison', brokers: e2e().brokers, logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  [flink] = await Promise.all([connectClient(), producer.connect()]);
  const job = await runningJob();
  jobId = job.id;
  [restartsAtStart, failuresAtStart] = await Promise.all([jobRestarts(jobId), jobFailures(jobId)]);
});
afterAll(async () => {
  if (timings.length > 0) console.log(`[e2e] poison records → canary completed:\n${timings.map((l) => `  ${l}`).join('\n')}`);
  await producer?.disconnect();
  await flink?.close();
});

/** Until the ingress has consumed past `offset` (committed on a completed checkpoint). */
async function consumedPast(offset: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await requestOffsets()).committedByFlink <= offset) {
    if (Date.now() > deadline) throw new Error(`the ingress did not get past offset ${offset} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100)); // polling interval, not a synchronisation
  }
}

describe.each(poisons)('$name', (poison) => {
  it('does not restart the job, and a canary submitted right after completes', async () => {
    const started = performance.now();
    const [meta] = await producer.send({ topic: REQUESTS, messages: [{ key: poison.key, value: poison.value }] });
    if (!meta) throw new Error('kafkajs returned no record metadata');
    produced.set(poison.reason, { partition: meta.partition, offset: meta.baseOffset ?? '-1' });

    const canary = t.add.send(20, 22);
    expect(await flink.submit(canary)).toBe(42);
    const canaryMs = performance.now() - started;
    await consumedPast(Number(meta.baseOffset));

    // The ingress got past the record (a checkpoint completed after it), in the same job, with no failure on record.
    const job = await runningJob();
    expect(job.id).toBe(jobId);
    const failures = (await jobFailures(job.id)) - failuresAtStart;
    const restarts = (await jobRestarts(job.id)) - restartsAtStart;
    timings.push(`${poison.reason.padEnd(12)} (offset ${meta.baseOffset}): canary ${canaryMs.toFixed(0)} ms, job restarts ${restarts}, failures ${failures}`);
    expect(failures).toBe(0);
    expect(restarts).toBe(0);
  });
});

describe('dead letters', () => {
  let consumer: Consumer;
  const letters: DeadLetter[] = [];
  beforeAll(async () => {
    consumer = kafka.consumer({ groupId: `flink-tasks-e2e-dead-letters-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [DEAD_LETTERS], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value) letters.push(codecs.deadLetter.decode(message.value));
      },
    });
  });
  afterAll(async () => {
    await consumer?.disconnect();
  });

  it.each(poisons)('$name is on flink-tasks.dead-letters with its reason and position', async (poison) => {
    const at = produced.get(poison.reason);
    expect(at, 'the poison test above ran').toBeDefined();
    const find = (): DeadLetter | undefined =>
      letters.find((l) => l.record?.topic === REQUESTS && String(l.record.offset) === at?.offset && l.record.partition === at?.partition);
    const deadline = Date.now() + 30_000;
    while (!find() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const letter = find();
    expect(letter, `a dead letter for ${REQUESTS}/${at?.partition}@${at?.offset}`).toBeDefined();
    expect(letter?.record?.reason).toBe(poison.reason);
    expect(letter?.reason).toBe(poison.reason);
    expect(letter?.targetId).toBe('flinktasks.invalid-records');
    const expectedKey = poison.key ? poison.key.subarray(0, MAX_KEY_BYTES) : Buffer.alloc(0);
    expect(Buffer.from(letter?.record?.key ?? new Uint8Array())).toStrictEqual(expectedKey);
    expect(Buffer.from(letter?.record?.value ?? new Uint8Array())).toStrictEqual(poison.value ?? Buffer.alloc(0));
  });
});
