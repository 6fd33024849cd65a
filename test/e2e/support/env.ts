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
        if (topic === 'flink-tasks.replies') {
          const reply = codecs.reply.decode(message.value);
          const kind = reply.outcome ? 'outcome' : 'action';
          const correlationId = reply.outcome
            ? (reply.outcome.taskResult?.invocationId ?? reply.outcome.taskException?.invocationId ?? '')
            : (reply.actionResult?.uid ?? reply.actionException?.uid ?? '');
          recorder.replies.push({ key, offset: message.offset, kind, correlationId });
        } else {
          const event = codecs.event.decode(message.value);
          recorder.events.push({ key, pipelineId: event.pipelineId, status: event.pipelineStatusChanged?.status?.value });
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

/** The running StateFun job and how often Flink restarted it. */
export async function flinkJob(): Promise<{ id: string; state: string; restarts: number }> {
  const rest = e2e().flinkRest;
  const overview = (await (await fetch(`${rest}/jobs/overview`)).json()) as JobsOverview;
  const job = overview.jobs.find((j) => j.state === 'RUNNING') ?? overview.jobs[0];
  if (!job) throw new Error('no Flink job');
  const metrics = (await (await fetch(`${rest}/jobs/${job.jid}/metrics?get=numRestarts`)).json()) as Array<{ id: string; value: string }>;
  return { id: job.jid, state: job.state, restarts: Number(metrics.find((m) => m.id === 'numRestarts')?.value ?? 'NaN') };
}
