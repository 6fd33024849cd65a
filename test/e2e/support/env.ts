/**
 * What every end-to-end test file needs: the run context from the global
 * setup, a Kafka client, an independent reply/event recorder, and the Flink
 * REST API.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { inject } from 'vitest';
import { KafkaTasksClient } from 'flink-tasks/kafka';
import { codecs } from '../../../src/wire/codec.js';
import { eventsOf } from '../../../src/wire/events.js';
import type { E2EContext } from '../global-setup.js';

export const e2e = (): E2EContext => inject('e2e');

/** A KafkaTasksClient on the test broker; calls fail after `timeoutMs` without a reply. */
export function connectClient(timeoutMs = 120_000): Promise<KafkaTasksClient> {
  return KafkaTasksClient.connect({ brokers: e2e().brokers, timeoutMs });
}

export interface RecordedReply {
  readonly key: string;
  readonly offset: string;
  /** `outcome` replies answer submissions, `action` replies answer actions. */
  readonly kind: 'outcome' | 'action';
  /** invocationId of an outcome, uid of an action. */
  readonly correlationId: string;
}

/**
 * Reads flink-tasks.replies (and flink-tasks.events) with its own consumer
 * group, independently of any client, to count what was really published.
 * `readUncommitted: true` also shows records of aborted transactions.
 */
export class ReplyRecorder {
  readonly replies: RecordedReply[] = [];
  readonly events: Array<{ key: string; pipelineId: string; status: number | undefined }> = [];
  /** Records that did not decode (skipped). */
  skipped = 0;
  readonly #listeners = new Set<() => void>();

  private constructor(private readonly consumer: Consumer) {}

  static async start(options: { readUncommitted?: boolean } = {}): Promise<ReplyRecorder> {
    const kafka = new Kafka({ clientId: 'flink-tasks-e2e-recorder', brokers: e2e().brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `flink-tasks-e2e-recorder-${randomUUID()}`, readUncommitted: options.readUncommitted ?? false });
    const recorder = new ReplyRecorder(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: ['flink-tasks.replies', 'flink-tasks.events'], fromBeginning: true });
    let joined: () => void = () => undefined;
    const ready = new Promise<void>((r) => (joined = r));
    const off = consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const key = message.key?.toString() ?? '';
        if (!message.value) return;
        // Never throws: kafkajs would retry a record forever. Garbage (the
        // hostile suite writes some onto the replies topic) is skipped.
        try {
          if (topic === 'flink-tasks.replies') {
            const reply = codecs.reply.decode(message.value).reply;
            const kind = reply?.$case === 'outcome' ? 'outcome' : 'action';
            const correlationId =
              reply?.$case === 'outcome' ? (reply.value.taskResultOrException?.value.invocationId ?? '') : (reply?.value.correlationId ?? '');
            recorder.replies.push({ key, offset: message.offset, kind, correlationId });
          } else {
            for (const event of eventsOf(message.value)) {
              recorder.events.push({
                key,
                pipelineId: event.pipelineId,
                status: event.event?.$case === 'pipelineStatusChanged' ? event.event.value.status?.value : undefined,
              });
            }
          }
        } catch {
          recorder.skipped += 1;
          return;
        }
        for (const l of recorder.#listeners) l();
      },
    });
    await ready;
    off();
    return recorder;
  }

  /** Replies published under `key` (the pipeline id). */
  repliesFor(key: string, kind?: RecordedReply['kind']): RecordedReply[] {
    return this.replies.filter((r) => r.key === key && (kind === undefined || r.kind === kind));
  }

  /** Resolves once `predicate` holds for the records seen so far. */
  until(predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.#listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`ReplyRecorder: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#listeners.add(check);
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

interface JobsOverview {
  jobs: Array<{ jid: string; name: string; state: string }>;
}

/**
 * The running StateFun job: its id, state, when it last restarted (0: never)
 * and how many failures it has recorded. A restart would mean Flink recovered
 * from a checkpoint instead of just retrying calls.
 */
export async function flinkJob(): Promise<{ id: string; state: string; lastRestart: number; failures: number }> {
  const rest = e2e().flinkRest;
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${rest}${path}`);
    if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
    return (await res.json()) as T;
  };
  const overview = await get<JobsOverview>('/jobs/overview');
  const job = overview.jobs.find((j) => j.state === 'RUNNING') ?? overview.jobs[0];
  if (!job) throw new Error('no Flink job');
  const detail = await get<{ state: string; timestamps: Record<string, number> }>(`/jobs/${job.jid}`);
  const exceptions = await get<{ exceptionHistory?: { entries?: unknown[] } }>(`/jobs/${job.jid}/exceptions`);
  return {
    id: job.jid,
    state: detail.state,
    lastRestart: detail.timestamps.RESTARTING ?? 0,
    failures: exceptions.exceptionHistory?.entries?.length ?? 0,
  };
}

/**
 * Offsets of the requests topic: `end` is where the next record goes;
 * `committedByFlink` is how far StateFun's ingress (consumer group
 * `flink-tasks`, committed on each checkpoint) has consumed it.
 */
export async function requestOffsets(): Promise<{ end: number; committedByFlink: number }> {
  const kafka = new Kafka({ clientId: 'flink-tasks-e2e-admin', brokers: e2e().brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topic = 'flink-tasks.requests';
    const [ends, groups] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId: 'flink-tasks', topics: [topic] })]);
    const end = Number(ends.find((o) => o.partition === 0)?.offset ?? '0');
    const committed = Number(groups[0]?.partitions.find((o) => o.partition === 0)?.offset ?? '-1');
    return { end, committedByFlink: committed };
  } finally {
    await admin.disconnect();
  }
}
