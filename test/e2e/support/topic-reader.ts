/**
 * Reads one Kafka topic from its beginning, in a consumer group of its own,
 * decoding each record as it comes: what the tests look for on
 * flink-tasks.dead-letters and flink-tasks.replies, independently of any
 * client. Records that do not decode are kept with `value: undefined`.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { e2e } from './env.js';

export interface ReadRecord<T> {
  readonly key: string;
  readonly offset: string;
  readonly bytes: Buffer | null;
  /** The decoded value; undefined for a null value or one that does not decode. */
  readonly value: T | undefined;
}

export class TopicReader<T> {
  readonly records: Array<ReadRecord<T>> = [];
  readonly #listeners = new Set<() => void>();

  private constructor(private readonly consumer: Consumer) {}

  /** Starts reading `topic` from its beginning; resolves once the consumer has joined its group. */
  static async start<T>(topic: string, decode: (bytes: Uint8Array) => T): Promise<TopicReader<T>> {
    const kafka = new Kafka({ clientId: 'flink-tasks-e2e-topic-reader', brokers: e2e().brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `flink-tasks-e2e-reader-${randomUUID()}` });
    const reader = new TopicReader<T>(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let joined: () => void = () => undefined;
    const ready = new Promise<void>((r) => (joined = r));
    const off = consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({
      eachMessage: async ({ message }) => {
        let value: T | undefined;
        try {
          value = message.value ? decode(message.value) : undefined;
        } catch {
          value = undefined;
        }
        reader.records.push({ key: message.key?.toString() ?? '', offset: message.offset, bytes: message.value, value });
        for (const l of reader.#listeners) l();
      },
    });
    await ready;
    off();
    return reader;
  }

  /** The first record read so far whose decoded value satisfies `predicate`. */
  find(predicate: (value: T, record: ReadRecord<T>) => boolean): (ReadRecord<T> & { value: T }) | undefined {
    return this.records.find((r): r is ReadRecord<T> & { value: T } => r.value !== undefined && predicate(r.value, r));
  }

  /** Resolves with the first record satisfying `predicate`, waiting up to `timeoutMs` for it. */
  waitFor(predicate: (value: T, record: ReadRecord<T>) => boolean, what: string, timeoutMs = 30_000): Promise<ReadRecord<T> & { value: T }> {
    const found = this.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = this.find(predicate);
        if (!hit) return;
        clearTimeout(timer);
        this.#listeners.delete(check);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`TopicReader: no ${what} within ${timeoutMs} ms (${this.records.length} records read)`));
      }, timeoutMs);
      this.#listeners.add(check);
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
