/**
 * The StateFun adapter: binds the pipeline function and the worker functions
 * of a {@link FlinkTasks} registry into an `apache-flink-statefun` `StateFun`,
 * declares their value specs and custom types, and applies executor and
 * worker effects through the SDK. This is what Apache Flink calls.
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import { kafkaEgressMessage, messageBuilder, StateFun, type Context, type Message } from 'apache-flink-statefun';
import type { FunctionAddress } from '../core/address.js';
import type { FlinkTasks } from '../dsl/flink-tasks.js';
import { Effects, openSession, type PipelineSession } from '../executor/effects.js';
import type { EventsConfig } from '../executor/events.js';
import { PipelineExecutor } from '../executor/executor.js';
import { jsonLogger, type Logger } from '../core/log.js';
import { codecs } from '../wire/codec.js';
import { TaskWorker, type TaskStorage } from '../worker/task-worker.js';
import type { WorkerHooks } from '../worker/worker-hooks.js';
import { RecordCache } from './record-cache.js';
import { peekBatch } from './protocol.js';

/**
 * Egress typename for replies to clients.
 *
 * @example
 * ```ts
 * new FunctionServer(tasks, { repliesEgress: REPLIES_EGRESS }); // the default
 * // module.yaml: kind io.statefun.kafka.v1/egress with spec.id flinktasks/replies
 * ```
 */
export const REPLIES_EGRESS = 'flinktasks/replies';
/**
 * Egress typename for pipeline events.
 *
 * @example
 * ```ts
 * new FunctionServer(tasks, { events: { egress: EVENTS_EGRESS, topic: EVENTS_TOPIC } });
 * // module.yaml: kind io.statefun.kafka.v1/egress with spec.id flinktasks/events
 * ```
 */
export const EVENTS_EGRESS = 'flinktasks/events';
/**
 * Kafka topic of replies.
 *
 * @example
 * ```ts
 * const client = await KafkaTasksClient.connect({ brokers: ['127.0.0.1:19092'], replyTopic: REPLIES_TOPIC }); // the default replyTopic
 * ```
 */
export const REPLIES_TOPIC = 'flink-tasks.replies';
/**
 * Kafka topic of events.
 *
 * @example
 * ```ts
 * await serve(tasks, { events: { egress: EVENTS_EGRESS, topic: EVENTS_TOPIC } });
 * const client = await KafkaTasksClient.connect({ brokers: ['127.0.0.1:19092'], eventsTopic: EVENTS_TOPIC }); // the default eventsTopic
 * ```
 */
export const EVENTS_TOPIC = 'flink-tasks.events';

/**
 * Options of a {@link FunctionServer}.
 *
 * @example
 * ```ts
 * const server = new FunctionServer(tasks, {
 *   logger: jsonLogger('info'),
 *   events: { egress: EVENTS_EGRESS, topic: EVENTS_TOPIC },
 * });
 * ```
 */
export interface FunctionServerOptions {
  /** Receives structured logs; default: warnings and errors as JSON lines on stderr. */
  readonly logger?: Logger;
  /** Worker hooks. */
  readonly hooks?: WorkerHooks;
  /** Publish pipeline events to this egress and topic; default: no events. */
  readonly events?: EventsConfig;
  /** Egress typename for replies; default {@link REPLIES_EGRESS}. */
  readonly repliesEgress?: string;
}

type StorageOf<K extends string> = Record<K, Buffer | null>;

const bytesTypes = new Map<string, ReturnType<typeof StateFun.customType>>();
/** A StateFun type carrying raw bytes under `typename`. */
function bytesType(typename: string): ReturnType<typeof StateFun.customType> {
  let t = bytesTypes.get(typename);
  if (!t) {
    t = StateFun.customType(typename, (value: Uint8Array) => Buffer.from(value.buffer, value.byteOffset, value.byteLength), (buf: Buffer) => buf);
    bytesTypes.set(typename, t);
  }
  return t;
}

const RECORD_TYPE = 'io.flinktasks/PipelineRecord';
const PROGRESS_TYPE = 'io.flinktasks/PipelineProgress';
const TASK_STATE_TYPE = 'io.flinktasks/TaskState';

interface BatchSession extends PipelineSession {
  expected: number;
  seen: number;
}

interface WorkerBatch {
  readonly expected: number;
  seen: number;
  /** Tasks without function-scoped state, running side by side. */
  readonly running: Array<Promise<void>>;
  /** Tasks bound withContext, one after another (they share the address state). */
  sequential: Promise<void>;
}

/**
 * Serves the functions of one {@link FlinkTasks} registry through the
 * StateFun SDK. `handle(bytes)` answers one request-reply call in-process
 * (what the local runtime uses); {@link serve} exposes it over HTTP.
 *
 * @example
 * ```ts
 * const server = new FunctionServer(tasks);
 * http.createServer(server.statefun.handler()).listen(8000);
 * ```
 */
export class FunctionServer {
  /** The SDK object with every function bound. */
  readonly statefun = new StateFun();
  /** Typenames of the bound functions (`namespace/name`). */
  readonly functionTypes: readonly string[];
  /** Typename of the pipeline function. */
  readonly pipelineType: string;
  readonly #logger: Logger;
  readonly #executor: PipelineExecutor;
  readonly #worker: TaskWorker;
  readonly #sessions = new WeakMap<Context, BatchSession>();
  readonly #workerBatches = new WeakMap<Context, WorkerBatch>();
  readonly #records = new RecordCache(2048);
  /** Invocation counts of batches being handled, by target address. */
  readonly #batchSizes = new Map<string, number>();

  /**
   * @param tasks - the registry whose tasks the worker functions run.
   * @param options - logging, hooks and events.
   */
  constructor(readonly tasks: FlinkTasks, options: FunctionServerOptions = {}) {
    this.#logger = options.logger ?? jsonLogger('warn');
    this.#executor = new PipelineExecutor({
      groupSplitThreshold: tasks.groupSplitThreshold,
      chainSegmentLength: tasks.chainSegmentLength,
      finishedRetentionMs: tasks.finishedPipelineRetentionMs,
      repliesEgress: options.repliesEgress ?? REPLIES_EGRESS,
      events: options.events,
    });
    this.#worker = new TaskWorker(tasks, options.hooks);
    this.pipelineType = `${tasks.namespace}/${tasks.pipelineName}`;
    this.statefun.bind({
      typename: this.pipelineType,
      specs: [
        { name: 'record', type: bytesType(RECORD_TYPE) },
        { name: 'progress', type: bytesType(PROGRESS_TYPE) },
      ],
      fn: (context: Context, message: Message) => this.#pipelineFunction(context, message),
    });
    const workers = new Set<string>([`${tasks.namespace}/${tasks.workerName}`]);
    for (const name of tasks.taskNames) {
      const d = tasks.task(name);
      if (d) workers.add(`${d.namespace}/${d.workerName}`);
    }
    for (const typename of workers) {
      this.statefun.bind({
        typename,
        specs: [{ name: 'task_state', type: bytesType(TASK_STATE_TYPE) }],
        fn: (context: Context, message: Message) => this.#workerFunction(context, message),
      });
    }
    this.functionTypes = [this.pipelineType, ...workers];
  }

  /**
   * Answers one request-reply call: `ToFunction` bytes in, `FromFunction`
   * bytes out. Rejects only if the SDK answers with an error status.
   */
  async handle(body: Uint8Array): Promise<Uint8Array> {
    const { target, invocations } = peekBatch(body);
    const key = target ? batchKey(target.namespace, target.type, target.id) : undefined;
    if (key !== undefined) this.#batchSizes.set(key, invocations);
    let status = 0;
    let out: Uint8Array = new Uint8Array(0);
    try {
      await this.statefun.handle(singleChunk(body), {
        writeHead: (code: number) => {
          status = code;
        },
        end: (data?: Uint8Array) => {
          if (data) out = data;
        },
      });
    } finally {
      if (key !== undefined) this.#batchSizes.delete(key);
    }
    if (status !== 200) throw new Error(`the StateFun SDK answered ${status} for a batch to ${key ?? 'an unknown address'}`);
    return out;
  }

  #log(effects: Effects): void {
    for (const entry of effects.logs) this.#logger(entry);
  }

  #pipelineFunction(context: Context, message: Message): void {
    const self = addressOf(context);
    const storage = context.storage as StorageOf<'record' | 'progress'>;
    let session = this.#sessions.get(context);
    const effects = new Effects(Date.now());
    try {
      if (!session) {
        const progressBytes = storage.progress;
        const progress = progressBytes ? codecs.pipelineProgress.decode(progressBytes) : undefined;
        // The record of a run never changes: reuse its decoded form and IR.
        const cached = progress ? this.#records.get(self.id, progress.run) : undefined;
        let record = cached?.record;
        if (!record) {
          const recordBytes = storage.record;
          record = recordBytes ? codecs.pipelineRecord.decode(recordBytes) : undefined;
        }
        session = {
          ...openSession(record, progress),
          ir: cached?.ir,
          expected: this.#batchSizes.get(batchKey(self.namespace, self.name, self.id)) ?? 1,
          seen: 0,
        };
        this.#sessions.set(context, session);
      }
      this.#executor.apply(session, self, { typename: message.valueTypeName, payload: message.rawValueBytes, caller: context.caller ?? undefined }, effects);
      session.seen += 1;
      // State is written once per batch when the batch size is known, else after every message.
      if (session.seen >= session.expected) {
        // undefined: the pipeline's state was dropped (a finished child, an expired run).
        if (session.recordChanged) storage.record = session.record ? Buffer.from(codecs.pipelineRecord.encode(session.record)) : null;
        if (session.record && session.ir) this.#records.set(self.id, session.record.run, { record: session.record, ir: session.ir });
        if (session.progressChanged) storage.progress = session.progress ? Buffer.from(codecs.pipelineProgress.encode(session.progress)) : null;
        session.recordChanged = false;
        session.progressChanged = false;
      }
      applyEffects(context, effects);
    } catch (err) {
      effects.log('error', 'pipeline function could not apply its effects', { pipeline: self.id, error: String(err) });
    }
    this.#log(effects);
  }

  /**
   * Worker functions run the tasks of one batch side by side (the SDK would
   * await them one after another): each invocation starts its task, and the
   * batch's last invocation waits for all of them, so async tasks keep their
   * concurrency. Tasks bound `withContext` share the address state and run
   * one after another.
   */
  #workerFunction(context: Context, message: Message): Promise<void> | undefined {
    const self = addressOf(context);
    let batch = this.#workerBatches.get(context);
    if (!batch) {
      batch = { expected: this.#batchSizes.get(batchKey(self.namespace, self.name, self.id)) ?? 1, seen: 0, running: [], sequential: Promise.resolve() };
      this.#workerBatches.set(context, batch);
    }
    batch.seen += 1;
    const effects = new Effects(Date.now());
    const prepared = this.#worker.prepare(self, { typename: message.valueTypeName, payload: message.rawValueBytes, caller: context.caller ?? undefined }, effects);
    const run = async (): Promise<void> => {
      try {
        if (prepared) await this.#worker.execute(self, prepared, this.#taskStorage(context), effects);
        applyEffects(context, effects);
      } catch (err) {
        effects.log('error', 'worker function could not apply its effects', { worker: self.id, error: String(err) });
      }
      this.#log(effects);
    };
    if (prepared?.descriptor?.withContext) {
      batch.sequential = batch.sequential.then(run);
    } else {
      batch.running.push(run());
    }
    if (batch.seen < batch.expected) return undefined;
    const sequential = batch.sequential;
    return Promise.all(batch.running).then(() => sequential);
  }

  #taskStorage(context: Context): TaskStorage {
    const storage = context.storage as StorageOf<'task_state'>;
    return {
      get: () => storage.task_state ?? undefined,
      set: (bytes) => {
        storage.task_state = bytes === undefined ? null : Buffer.from(bytes);
      },
    };
  }
}

/** Key of a batch being handled: its target address. */
function batchKey(namespace: string, name: string, id: string): string {
  return `${namespace}/${name}/${id}`;
}

function addressOf(context: Context): FunctionAddress {
  return { namespace: context.self.namespace, name: context.self.name, id: context.self.id };
}

function applyEffects(context: Context, effects: Effects): void {
  for (const m of effects.outgoing) {
    context.send(messageBuilder({ typename: `${m.target.namespace}/${m.target.name}`, id: m.target.id, value: m.payload, valueType: bytesType(m.typename) }));
  }
  for (const m of effects.delayed) {
    const message = messageBuilder({ typename: `${m.target.namespace}/${m.target.name}`, id: m.target.id, value: m.payload, valueType: bytesType(m.typename) });
    context.sendAfter(Math.max(0, Math.round(m.delayMs)), message, m.cancellationToken);
  }
  for (const e of effects.egress) {
    context.send(kafkaEgressMessage({ typename: e.egress, topic: e.topic, key: e.key, value: e.value, valueType: bytesType('io.flinktasks/Bytes') }));
  }
}

async function* singleChunk(body: Uint8Array): AsyncGenerator<Uint8Array> {
  yield body;
}
