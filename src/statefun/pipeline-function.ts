/**
 * The pipeline function as StateFun calls it: decodes the state of a batch
 * once, applies the executor to each message, writes the state back once,
 * and hands the effects to the SDK. Never throws.
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import type { Context, Message } from 'apache-flink-statefun';
import type { Clock } from '../core/clock.js';
import { type Logger, wantsDebug } from '../core/log.js';
import { Effects, openSession, type PipelineSession } from '../executor/effects.js';
import type { PipelineExecutor } from '../executor/executor.js';
import { codecs } from '../wire/codec.js';
import type { RecordCache } from './record-cache.js';
import { addressOf, applyEffects, batchKey, callerOf, payloadOf, type StorageOf } from './sdk.js';

interface BatchSession extends PipelineSession {
  expected: number;
  seen: number;
  /** Effects of the batch's invocations so far, handed to the SDK after its last. */
  readonly effects: Effects[];
}

/** Runs the executor for one pipeline function type. */
export class PipelineFunction {
  readonly #sessions = new WeakMap<Context, BatchSession>();

  /** Whether the logger keeps debug lines (fixed for its life): hot paths make them only then. */
  readonly #debug: boolean;

  /**
   * @param batchSizes - invocation counts of the batches being handled, by target address.
   */
  constructor(
    private readonly executor: PipelineExecutor,
    private readonly records: RecordCache,
    private readonly batchSizes: ReadonlyMap<string, number>,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {
    this.#debug = wantsDebug(logger);
  }

  /** Handles one invocation of a batch. */
  invoke(context: Context, message: Message): void {
    const self = addressOf(context);
    const storage = context.storage as StorageOf<'record' | 'progress' | 'upload'>;
    const effects = new Effects(this.clock.now(), this.#debug);
    let session: BatchSession | undefined;
    try {
      session = this.#sessions.get(context);
      if (!session) {
        const progressBytes = storage.progress;
        const progress = progressBytes ? codecs.pipelineProgress.decode(progressBytes) : undefined;
        // The record of a run never changes: reuse its decoded form and IR.
        const cached = progress ? this.records.get(self.id, progress.run) : undefined;
        let record = cached?.record;
        if (!record) {
          const recordBytes = storage.record;
          record = recordBytes ? codecs.pipelineRecord.decode(recordBytes) : undefined;
        }
        const uploadBytes = storage.upload;
        session = {
          ...openSession(record, progress),
          upload: uploadBytes ? codecs.submissionUpload.decode(uploadBytes) : undefined,
          ir: cached?.ir,
          expected: this.batchSizes.get(batchKey(self.namespace, self.name, self.id)) ?? 1,
          seen: 0,
          effects: [],
        };
        this.#sessions.set(context, session);
      }
      session.seen += 1;
      this.executor.apply(session, self, { typename: message.valueTypeName, payload: payloadOf(message), caller: callerOf(context) }, effects);
      // State is written once per batch when the batch size is known, else after every message.
      if (session.seen >= session.expected) {
        // undefined: the pipeline's state was dropped (a finished child, an expired run).
        if (session.recordChanged) storage.record = session.record ? Buffer.from(codecs.pipelineRecord.encode(session.record)) : null;
        if (session.record && session.ir) this.records.set(self.id, session.record.run, { record: session.record, ir: session.ir });
        if (session.progressChanged) storage.progress = session.progress ? Buffer.from(codecs.pipelineProgress.encode(session.progress)) : null;
        if (session.uploadChanged) storage.upload = session.upload ? Buffer.from(codecs.submissionUpload.encode(session.upload)) : null;
        session.recordChanged = false;
        session.progressChanged = false;
        session.uploadChanged = false;
      }
    } catch (err) {
      effects.log('error', 'pipeline function could not apply its effects', { pipeline: self.id, error: String(err) });
    }
    // Handed to the SDK together after the batch's last invocation, so that
    // the task requests of the whole batch go to each worker address as one message batch.
    const pending = session?.effects ?? [];
    pending.push(effects);
    if (!session || session.seen >= session.expected) {
      try {
        applyEffects(context, ...pending);
      } catch (err) {
        effects.log('error', 'pipeline function could not apply its effects', { pipeline: self.id, error: String(err) });
      }
      pending.length = 0;
    }
    for (const entry of effects.logs) this.logger(entry);
  }
}
