/**
 * The StateFun adapter: binds the pipeline function and the worker functions
 * of a {@link FlinkTasks} registry into an `apache-flink-statefun` `StateFun`,
 * declares their value specs and custom types, and answers request-reply
 * calls. This is what Apache Flink calls. No call fails on a message: every
 * failure becomes a reply, a dead letter or a log line.
 *
 * @module
 */
import { StateFun, type Context, type Message } from 'apache-flink-statefun';
import { systemClock, type Clock } from '../core/clock.js';
import type { Limits } from '../core/limits.js';
import { jsonLogger, type Logger } from '../core/log.js';
import type { RoutesOptions } from '../core/routes.js';
import type { FlinkTasks } from '../dsl/flink-tasks.js';
import type { DeadLettersConfig } from '../executor/config.js';
import type { EventsConfig } from '../executor/events.js';
import { PipelineExecutor } from '../executor/executor.js';
import { TaskWorker } from '../worker/task-worker.js';
import type { ResultSink } from '../worker/result-sink.js';
import type { WorkerHooks } from '../worker/worker-hooks.js';
import { BackgroundCalls } from './background.js';
import { planFunctions } from './functions-plan.js';
import { PipelineFunction } from './pipeline-function.js';
import { peekBatch } from './protocol.js';
import { RecordCache } from './record-cache.js';
import { batchKey, bytesType } from './sdk.js';
import { answerUnserved } from './unserved.js';
import { WorkerFunction } from './worker-function.js';

/**
 * Options of a {@link FunctionServer}.
 *
 * @example
 * ```ts
 * const server = new FunctionServer(tasks, {
 *   logger: jsonLogger('info'),
 *   events: { egress: EVENTS_EGRESS, topic: EVENTS_TOPIC },
 *   deadLetters: { egress: DEAD_LETTERS_EGRESS, topic: DEAD_LETTERS_TOPIC },
 *   routes: { functions: ['images/*'] },
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
  /** Publish records that had to be dropped to this egress and topic; default: logged only. */
  readonly deadLetters?: DeadLettersConfig;
  /**
   * Publish cancellations to this egress and topic too (module.yaml must
   * declare the egress), which every worker process reads through its result
   * sink (`kafkaResultSink({ cancellationsTopic })`): a cancelled run's calls
   * are then aborted whichever replica runs them. Default: the cancel
   * message only, which reaches one replica of each worker type.
   */
  readonly cancellations?: DeadLettersConfig;
  /** Egress typename for replies; default {@link flink-tasks!REPLIES_EGRESS}. */
  readonly repliesEgress?: string;
  /** Size and time limits; defaults agree with the shipped configuration (see {@link flink-tasks!DEFAULT_LIMITS}). */
  readonly limits?: Partial<Limits>;
  /** Destinations the deployment declares besides this server's own functions and flink-tasks' egresses. */
  readonly routes?: RoutesOptions;
  /** Time for timeouts and event times; default the real clock. */
  readonly clock?: Clock;
  /**
   * Lets tasks run longer than `limits.callBudgetMs`: they go on in the
   * background and their outcome reaches the pipeline through this sink (on
   * Flink, `kafkaResultSink` from `flink-tasks/kafka`). Without one, such
   * tasks fail with `TaskTimeout`.
   */
  readonly resultSink?: ResultSink;
}

const RECORD_TYPE = 'io.flinktasks/PipelineRecord';
const PROGRESS_TYPE = 'io.flinktasks/PipelineProgress';
const TASK_STATE_TYPE = 'io.flinktasks/TaskState';
const UPLOAD_TYPE = 'io.flinktasks/SubmissionUpload';

/**
 * Serves the functions of one {@link FlinkTasks} registry through the
 * StateFun SDK. `handle(bytes)` answers one request-reply call in-process
 * (what the local runtime uses); {@link serve} exposes it over HTTP, with
 * its size and time limits. The SDK object stays inside: its types are not
 * part of flink-tasks' public types, so consumers compile without them.
 *
 * @example
 * ```ts
 * const server = new FunctionServer(tasks);
 * const reply: Uint8Array = await server.handle(requestBytes); // a StateFun ToFunction → its FromFunction
 * ```
 */
export class FunctionServer {
  /** The SDK object with every function bound. */
  readonly #statefun = new StateFun();
  /** Typenames of the bound functions (`namespace/name`). */
  readonly functionTypes: readonly string[];
  /** Typename of the pipeline function. */
  readonly pipelineType: string;
  /** The limits in force. */
  readonly limits: Limits;
  readonly #logger: Logger;
  /** Invocation counts of batches being handled, by target address. */
  readonly #batchSizes = new Map<string, number>();

  /**
   * @param tasks - the registry whose tasks the worker functions run.
   * @param options - logging, hooks, events, dead letters, limits and routes.
   */
  constructor(
    readonly tasks: FlinkTasks,
    options: FunctionServerOptions = {},
  ) {
    this.#logger = options.logger ?? jsonLogger('warn');
    const { limits, pipelineType, workerTypes: workers, functionTypes, repliesEgress, routes } = planFunctions(tasks, options);
    this.limits = limits;
    this.pipelineType = pipelineType;
    this.functionTypes = functionTypes;
    const executor = new PipelineExecutor({
      groupSplitThreshold: tasks.groupSplitThreshold,
      chainSegmentLength: tasks.chainSegmentLength,
      finishedRetentionMs: tasks.finishedPipelineRetentionMs,
      repliesEgress,
      events: options.events,
      deadLetters: options.deadLetters,
      cancellations: options.cancellations,
      limits: this.limits,
      routes,
    });
    const clock = options.clock ?? systemClock;
    const pipelineFunction = new PipelineFunction(executor, new RecordCache(2048), this.#batchSizes, this.#logger, clock);
    this.#statefun.bind({
      typename: this.pipelineType,
      specs: [
        { name: 'record', type: bytesType(RECORD_TYPE) },
        { name: 'progress', type: bytesType(PROGRESS_TYPE) },
        { name: 'upload', type: bytesType(UPLOAD_TYPE) },
      ],
      fn: (context: Context, message: Message) => {
        pipelineFunction.invoke(context, message);
      },
    });
    const worker = new TaskWorker(tasks, {
      hooks: options.hooks,
      limits: this.limits,
      routes,
      events: options.events,
      clock,
      logger: this.#logger,
      resultSink: options.resultSink,
    });
    // Cancellations read from Kafka, for calls this replica runs (the sink's close() ends them).
    options.resultSink?.onCancellation?.((cancel) => {
      try {
        const calls = worker.cancelRun(cancel);
        if (calls > 0) this.#logger({ level: 'debug', message: 'aborted the task calls of a cancelled pipeline', fields: { calls } });
      } catch (err) {
        this.#logger({ level: 'warn', message: 'dropped a cancellation record that does not decode', fields: { error: String(err) } });
      }
    });
    const background = options.resultSink ? new BackgroundCalls(options.resultSink, this.limits.backgroundLeaseMs, clock, this.#logger) : undefined;
    const workerFunction = new WorkerFunction(worker, this.limits, this.#batchSizes, this.#logger, clock, background);
    for (const typename of workers) {
      this.#statefun.bind({
        typename,
        specs: [{ name: 'task_state', type: bytesType(TASK_STATE_TYPE) }],
        fn: (context: Context, message: Message) => workerFunction.invoke(context, message),
      });
    }
  }

  /**
   * Answers one request-reply call: `ToFunction` bytes in, `FromFunction`
   * bytes out. A batch for a function type not served here is answered with
   * `UnknownFunction` failures. Rejects only on bytes that are not a
   * request-reply call (which Apache Flink never sends).
   */
  async handle(body: Uint8Array): Promise<Uint8Array> {
    const { target, invocations } = peekBatch(body);
    const type = target ? `${target.namespace}/${target.type}` : '';
    if (!this.functionTypes.includes(type)) return answerUnserved(body, this.functionTypes, this.#logger);
    const key = target ? batchKey(target.namespace, target.type, target.id) : undefined;
    if (key !== undefined) this.#batchSizes.set(key, invocations);
    let status = 0;
    let out: Uint8Array = new Uint8Array(0);
    try {
      await this.#statefun.handle(singleChunk(body), {
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
}

async function* singleChunk(body: Uint8Array): AsyncGenerator<Uint8Array> {
  yield body;
}
