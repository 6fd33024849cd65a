/**
 * The embedded local runtime: the default for development and tests.
 *
 * Importing it loads neither the StateFun SDK nor the functions it serves:
 * a `LocalRuntime` starts loading them when it is constructed, and the
 * first command waits for them (see `load-functions.ts`).
 *
 * @module
 */
import { toPipelineEvent } from '../client/events.js';
import { PipelineClient } from '../client/pipeline-client.js';
import type { PipelineEvent } from '../observe/pipeline-events.js';
import { systemClock, type Clock } from '../core/clock.js';
import { PipelineError } from '../core/errors.js';
import type { Limits } from '../core/limits.js';
import { jsonLogger, type Logger } from '../core/log.js';
import type { RoutesOptions } from '../core/routes.js';
import { DEAD_LETTERS_EGRESS, DEAD_LETTERS_TOPIC, EVENTS_EGRESS, EVENTS_TOPIC, REPLIES_EGRESS, REPLIES_TOPIC } from '../core/topics.js';
import { registriesOf } from '../dsl/builder.js';
import type { FlinkTasks } from '../dsl/flink-tasks.js';
import type { ResultOf, RunnablePipeline } from '../dsl/types.js';
import type { SubmitOptions } from '../client/tasks-client.js';
import type { FunctionServer, FunctionServerOptions } from '../statefun/function-server.js';
import { planFunctions } from '../statefun/functions-plan.js';
import { decodeKafkaRecord, type PbTypedValue } from '../statefun/protocol.js';
import { eventsOf } from '../wire/events.js';
import { codecs } from '../wire/codec.js';
import type { WorkerHooks } from '../worker/worker-hooks.js';
import { toDeadLetterInfo, type DeadLetterInfo } from './dead-letter-info.js';
import { LocalEngine, type FunctionEndpoint } from './engine.js';
import { routeRecord, type IngressRecord } from './ingress.js';
import { loadFunctionServer } from './load-functions.js';

/**
 * Counters of a {@link LocalRuntime}.
 *
 * @example
 * ```ts
 * await runtime.submit(multiply.send(3, 2));
 * const stats: LocalRuntimeStats = runtime.stats;
 * console.log(stats.requests, stats.invocations, stats.bytesSent.get('example/worker'));
 * ```
 */
export interface LocalRuntimeStats {
  /** Requests (batches) sent to functions. */
  readonly requests: number;
  /** Invocations (messages) delivered. */
  readonly invocations: number;
  /** Addresses currently holding state or messages. */
  readonly addresses: number;
  /** Request bytes sent, by function type (`namespace/name`), state values included. */
  readonly bytesSent: ReadonlyMap<string, number>;
}

/**
 * Options of a {@link LocalRuntime}.
 *
 * @example
 * ```ts
 * const runtime = new LocalRuntime(tasks, {
 *   logger: jsonLogger('debug'),
 *   events: true,
 *   maxBatchSize: 100,
 *   hooks: { taskRetry: (t) => console.log(t.taskName, t.retryCount, t.delayMs) },
 * });
 * ```
 */
export interface LocalRuntimeOptions {
  /** Structured logs; default: warnings and errors as JSON lines on stderr. */
  readonly logger?: Logger;
  /** Worker hooks. */
  readonly hooks?: WorkerHooks;
  /** Largest batch per address; default 1000 (StateFun's default). */
  readonly maxBatchSize?: number;
  /**
   * Publish pipeline events, for `list`, `inspect`, `watch` and `onEvent`;
   * default true. `false` saves their cost (e.g. in benchmarks); those then see nothing.
   */
  readonly events?: boolean;
  /** Called with every pipeline event. */
  readonly onEvent?: (event: PipelineEvent) => void;
  /** Receives records sent to egresses other than replies and events (e.g. by `TaskContext.sendEgress`). */
  readonly onEgress?: (record: EgressRecordInfo) => void;
  /** Receives messages the pipeline function had to drop (they are logged either way). */
  readonly onDeadLetter?: (letter: DeadLetterInfo) => void;
  /** Size and time limits (as on Flink). */
  readonly limits?: Partial<Limits>;
  /** Destinations besides this runtime's own functions (as on Flink). */
  readonly routes?: RoutesOptions;
  /**
   * Time for delayed messages (retries, delayed starts), timeouts and event
   * times; default the real clock. A {@link ManualClock} tests them in no time.
   */
  readonly clock?: Clock;
}

/**
 * A record published to an egress, as the local runtime captured it.
 *
 * @example
 * ```ts
 * const audit = tasks.bind({ name: 'audit', withContext: true },
 *   (ctx: TaskContext, what: string) => ctx.sendEgress('example/audit', 'audit', ctx.rootPipelineId, what));
 * const runtime = new LocalRuntime(tasks, {
 *   onEgress: (record: EgressRecordInfo) => console.log(record.egress, record.topic, record.key, record.value.byteLength),
 * });
 * ```
 */
export interface EgressRecordInfo {
  /** Egress typename, e.g. `example/audit`. */
  readonly egress: string;
  /** Kafka topic. */
  readonly topic: string;
  /** Kafka key. */
  readonly key: string;
  /** Record value. */
  readonly value: Uint8Array;
}

/**
 * Runs pipelines in-process with StateFun's semantics, driving the same
 * StateFun functions that Apache Flink calls, through the real request-reply
 * protocol (no HTTP).
 *
 * The StateFun SDK is loaded when the first `LocalRuntime` is constructed,
 * not when `flink-tasks` is imported; commands sent before it is loaded
 * wait for it. Options are checked in the constructor, which throws on
 * bad ones.
 *
 * @example
 * ```ts
 * const runtime = new LocalRuntime(tasks);
 * const six: number = await runtime.submit(multiply.send(3, 2));
 * await runtime.close();
 * ```
 */
export class LocalRuntime extends PipelineClient {
  /** The StateFun functions being driven, once loaded; rejects with why if they cannot be. */
  readonly #server: Promise<FunctionServer>;
  #loadError: Error | undefined;
  readonly #engine: LocalEngine;
  readonly #tasks: FlinkTasks;
  readonly #clock: Clock;
  readonly #eventsOn: boolean;
  /** The worker addresses (`namespace/name`) this runtime's FlinkTasks serves. */
  readonly #workerTypes: ReadonlySet<string>;

  constructor(tasks: FlinkTasks, options: LocalRuntimeOptions = {}) {
    const logger = options.logger ?? jsonLogger('warn');
    super(REPLIES_TOPIC, undefined, logger);
    this.#tasks = tasks;
    this.#clock = options.clock ?? systemClock;
    this.#eventsOn = options.events ?? true;
    const serverOptions: FunctionServerOptions = {
      logger,
      ...(options.hooks ? { hooks: options.hooks } : {}),
      ...(this.#eventsOn ? { events: { egress: EVENTS_EGRESS, topic: EVENTS_TOPIC } } : {}),
      deadLetters: { egress: DEAD_LETTERS_EGRESS, topic: DEAD_LETTERS_TOPIC },
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.routes ? { routes: options.routes } : {}),
      clock: this.#clock,
      // Tasks longer than the call budget finish in the background, as on Flink with a result sink.
      resultSink: {
        send: async (pipelineId, command) => {
          this.ingest({ key: pipelineId, value: command });
        },
      },
    };
    // Checked here, so that bad options throw from the constructor; the SDK loads meanwhile.
    const { functionTypes, workerTypes } = planFunctions(tasks, serverOptions);
    this.#workerTypes = new Set(workerTypes);
    this.#server = loadFunctionServer(tasks, serverOptions);
    this.#server.catch((err: unknown) => {
      this.#loadError = err instanceof Error ? err : new Error(String(err));
      logger({ level: 'error', message: 'the LocalRuntime cannot run pipelines', fields: { error: this.#loadError.message } });
    });
    const onDeadLetter = options.onDeadLetter;
    if (options.onEvent) super.onEvent(options.onEvent);
    const onEgress = options.onEgress;
    this.#engine = new LocalEngine({
      ...(options.maxBatchSize !== undefined ? { maxBatchSize: options.maxBatchSize } : {}),
      logger,
      clock: this.#clock,
      onEgress: (egress: string, argument: PbTypedValue) => {
        const record = decodeKafkaRecord(argument.value);
        if (egress === REPLIES_EGRESS) {
          if (!this.deliverReply(record.valueBytes)) logger({ level: 'debug', message: 'reply with no waiting request', fields: { key: record.key } });
        } else if (egress === EVENTS_EGRESS) {
          for (const e of eventsOf(record.valueBytes)) {
            const event = toPipelineEvent(e);
            if (event !== undefined) this.observe(event);
          }
        } else if (egress === DEAD_LETTERS_EGRESS) {
          if (onDeadLetter) onDeadLetter(toDeadLetterInfo(codecs.deadLetter.decode(record.valueBytes)));
        } else if (onEgress) {
          onEgress({ egress, topic: record.topic, key: record.key, value: record.valueBytes });
        }
      },
    });
    const endpoint: FunctionEndpoint = { handle: async (body) => (await this.#server).handle(body) };
    for (const typename of functionTypes) this.#engine.register(typename, endpoint);
  }

  /**
   * Runs `pipeline`, as {@link PipelineClient.submit}; first refuses, with a
   * {@link PipelineError}, a pipeline whose tasks were bound on another
   * `FlinkTasks` than this runtime's for a worker it serves (each would
   * fail as an unknown task).
   *
   * @example
   * ```ts
   * const six: number = await runtime.submit(multiply.send(3, 2));
   * ```
   */
  override async submit<P extends RunnablePipeline<unknown>>(pipeline: P, options?: SubmitOptions): Promise<ResultOf<P>> {
    for (const [address, registry] of registriesOf(pipeline) ?? []) {
      if (registry !== this.#tasks && this.#workerTypes.has(address)) {
        throw new PipelineError(
          `submit: the tasks of this pipeline for worker ${address} were bound on another FlinkTasks than this LocalRuntime's; bind them on the FlinkTasks the runtime was made with`,
        );
      }
    }
    return super.submit(pipeline, options);
  }

  /**
   * Calls `listener` with every pipeline event; returns a function that
   * unsubscribes. A runtime created with `events: false` has none to give.
   *
   * @example
   * ```ts
   * const stop = runtime.onEvent((e) => { if (e.kind === 'statusChanged') console.log(e.pipelineId, e.status); });
   * ```
   */
  override onEvent(listener: (event: PipelineEvent) => void): () => void {
    if (!this.#eventsOn) throw new PipelineError('events are off: this LocalRuntime was created with { events: false }');
    return super.onEvent(listener);
  }

  /**
   * Resolves when no function has work in flight or queued (delayed messages,
   * such as pending retries, excepted). A task that is still running keeps it
   * from resolving.
   *
   * @example
   * ```ts
   * void runtime.submit(pipeline);
   * await runtime.idle();
   * ```
   */
  idle(): Promise<void> {
    return this.#engine.idle();
  }

  /**
   * Counters of the embedded engine: requests sent to functions, invocations
   * delivered, and addresses currently holding state or messages.
   *
   * @example
   * ```ts
   * const { requests, invocations } = runtime.stats;
   * ```
   */
  get stats(): LocalRuntimeStats {
    return {
      requests: this.#engine.requests,
      invocations: this.#engine.invocations,
      addresses: this.#engine.addresses,
      bytesSent: new Map(this.#engine.bytesSent),
    };
  }

  #target(id: string) {
    return { namespace: this.#tasks.namespace, type: this.#tasks.pipelineName, id };
  }

  /**
   * Commands arrive like records of the Kafka ingress: at the pipeline's key,
   * from no caller. The send completes once the functions are loaded, so a
   * runtime that cannot load them rejects every call with why.
   */
  protected sendCommand(id: string, payload: Uint8Array): Promise<void> {
    if (this.#loadError) return Promise.reject(this.#loadError);
    this.ingest({ key: id, value: payload });
    return this.#server.then(() => undefined);
  }

  /**
   * Delivers a raw record to the pipeline function as the flink-tasks Kafka
   * ingress would: a record without a key or value, or with a key that is
   * too long, is dead-lettered instead of failing anything. For testing what
   * hostile or broken clients can do.
   *
   * @example
   * ```ts
   * const letters: DeadLetterInfo[] = [];
   * const runtime = new LocalRuntime(tasks, { onDeadLetter: (l) => letters.push(l) });
   * runtime.ingest({ key: null, value: new Uint8Array([1, 2, 3]) });
   * await runtime.idle(); // letters[0].reason === 'MissingKey'
   * ```
   */
  ingest(record: IngressRecord): void {
    const { id, typename, payload } = routeRecord(record, this.#clock.now());
    this.#engine.deliver(this.#target(id), { typename, hasValue: true, value: payload });
  }

  protected release(): void {
    this.#engine.close();
  }
}
