/**
 * The part every client shares: submissions and actions as commands to the
 * pipeline function, answered on a reply topic and matched by request id. A
 * client only says how its commands travel.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { parseDeferredToken } from '../core/deferred-token.js';
import { ErrorCode } from '../core/error-codes.js';
import { PipelineError, TaskError } from '../core/errors.js';
import { startPipelineSpan, tracingEnabled } from '../core/tracing.js';
import type { DeferredToken } from '../dsl/deferred.js';
import type { PipelineEvent } from '../observe/pipeline-events.js';
import { PipelineIndex } from '../observe/pipeline-index.js';
import type { ListOptions, PipelineObserver, PipelineSummary, PipelineView } from '../observe/pipeline-summary.js';
import type { Logger } from '../core/log.js';
import type { PipelineStatus } from '../core/status.js';
import type { ResultOf, RunnablePipeline } from '../dsl/types.js';
import type { PipelineNode } from '../ir/nodes.js';
import { codecs } from '../wire/codec.js';
import { TaskAction, TaskException, type PipelineCommand, type Reply, type TaskRequest, type Value } from '../wire/generated/flinktasks.js';
import { toWireException, toWireValue } from '../wire/values.js';
import { ReplyRouter } from './reply-router.js';
import { actionOf, pipelineIdOf, pipelineSpanName, settleAction, settleOutcome, submissionOf } from './requests.js';
import type { PipelineRef, ResultOfRef, ResultOptions, SubmitOptions, TasksClient } from './tasks-client.js';

/**
 * Base of the clients (`LocalRuntime`, `KafkaTasksClient`): implements
 * {@link TasksClient} on top of one way of sending a command to a pipeline
 * function, routes replies (bytes of a `Reply`) given to
 * {@link PipelineClient.deliverReply}, and keeps the pipelines seen in events
 * given to {@link PipelineClient.observe} for {@link PipelineObserver}.
 *
 * @example
 * ```ts
 * async function statusOf(client: PipelineClient, id: string) {
 *   return client.status(id); // 'RUNNING', 'COMPLETED' …
 * }
 * ```
 */
export abstract class PipelineClient implements TasksClient, PipelineObserver {
  readonly #router = new ReplyRouter();
  /** The pipelines seen in events. */
  protected readonly index = new PipelineIndex();
  #closed = false;

  /**
   * @param replyTopic - the topic replies are asked for on.
   * @param timeoutMs - reject a call that gets no reply within this time (none if undefined).
   * @param logger - where undecodable replies are reported.
   */
  protected constructor(
    private readonly replyTopic: string,
    private readonly timeoutMs: number | undefined,
    protected readonly logger: Logger,
  ) {}

  /** Sends a command (`PipelineCommand` bytes) to the pipeline function of pipeline `id`. */
  protected abstract sendCommand(id: string, payload: Uint8Array): Promise<void> | void;
  /** Releases the transport when the client closes. */
  protected abstract release(): Promise<void> | void;
  /**
   * Largest command the transport carries in one piece; a larger submission
   * goes in parts (see `SubmissionPart`). `undefined`: no limit.
   */
  protected maxCommandBytes(): number | undefined {
    return undefined;
  }

  /** Routes a reply (bytes of a `Reply`) to the call waiting for it; false if none waits or the bytes are not a reply. */
  protected deliverReply(bytes: Uint8Array): boolean {
    let reply: Reply;
    try {
      reply = codecs.reply.decode(bytes);
    } catch (err) {
      this.logger({
        level: 'warn',
        message: 'skipped a reply record that is not a flink-tasks reply',
        fields: { bytes: bytes.byteLength, error: String(err) },
      });
      return false;
    }
    return this.#router.deliver(reply);
  }

  /** Takes a pipeline event into account (listing, inspecting, watching, listeners). */
  protected observe(event: PipelineEvent): void {
    try {
      this.index.apply(event);
    } catch (err) {
      this.logger({ level: 'warn', message: 'an event listener threw', fields: { error: String(err) } });
    }
  }

  /**
   * Recent pipelines seen in events, newest first (default 100, without
   * runtime-made branches).
   *
   * @example
   * ```ts
   * for (const p of await client.list({ status: 'FAILED', limit: 10 })) console.log(p.id, p.error?.message);
   * ```
   */
  list(options?: ListOptions): Promise<readonly PipelineSummary[]> {
    return this.index.list(options);
  }

  /**
   * The live view of one pipeline: summary, shape, the state of each entry.
   *
   * @example
   * ```ts
   * const view = await client.inspect(job.id);
   * console.log(view?.summary.status, view?.summary.tasks);
   * ```
   */
  inspect(id: string): Promise<PipelineView | undefined> {
    return this.index.inspect(id);
  }

  /**
   * The events of one pipeline and its children, from now until it finishes.
   *
   * @example
   * ```ts
   * for await (const e of client.watch(job.id)) if (e.kind === 'taskProgress') console.log(e.fraction);
   * ```
   */
  watch(id: string): AsyncIterable<PipelineEvent> {
    return this.index.watch(id);
  }

  /**
   * Calls `listener` with every pipeline event; returns a function that unsubscribes.
   *
   * @example
   * ```ts
   * const stop = client.onEvent((e) => { if (e.kind === 'statusChanged') console.log(e.pipelineId, e.status); });
   * ```
   */
  onEvent(listener: (event: PipelineEvent) => void): () => void {
    return this.index.onEvent(listener);
  }

  #open(): void {
    if (this.#closed) throw new PipelineError(`this ${this.constructor.name} is closed`);
  }

  /** Sends `command` (a submission in parts if it is too large for one) and waits for the reply to `correlationId`. */
  async #call(id: string, correlationId: string, command: PipelineCommand): Promise<Reply> {
    const payloads = this.#pieces(command);
    const reply = this.#router.expect(correlationId, this.timeoutMs);
    // The timeout may fire while the send is still in flight: it is reported by the await below, not as an unhandled rejection.
    reply.catch(() => undefined);
    try {
      // Queued in order at once: the transport keeps their order.
      await Promise.all(payloads.map(async (payload) => this.sendCommand(id, payload)));
    } catch (err) {
      this.#router.forget(correlationId);
      throw err;
    }
    return reply;
  }

  /** The encoded command, or for a submission larger than the transport carries, its parts in order. */
  #pieces(command: PipelineCommand): Uint8Array[] {
    const whole = codecs.pipelineCommand.encode(command);
    const limit = this.maxCommandBytes();
    const c = command.command;
    if (limit === undefined || whole.byteLength <= limit || c?.$case !== 'submit') return [whole];
    const bytes = codecs.taskRequest.encode(c.value);
    // Room for the part's own fields (ids, numbers, topic) next to its bytes.
    const size = Math.max(1024, limit - 1024 - c.value.invocationId.length - (c.value.reply?.$case === 'replyTopic' ? c.value.reply.value.length : 0));
    const count = Math.ceil(bytes.byteLength / size);
    const replyTopic = c.value.reply?.$case === 'replyTopic' ? c.value.reply.value : '';
    return Array.from({ length: count }, (_, index) =>
      codecs.pipelineCommand.encode({
        command: {
          $case: 'submitPart',
          value: {
            requestId: c.value.invocationId,
            index,
            count,
            bytes: bytes.subarray(index * size, (index + 1) * size),
            replyTopic,
          },
        },
      }),
    );
  }

  /**
   * Runs `pipeline` under its id; resolves with its result, rejects with a `TaskError`.
   *
   * @example
   * ```ts
   * const [a, b] = await client.submit(inParallel([multiply.send(1, 2), greet.send('x')]));
   * ```
   */
  async submit<P extends RunnablePipeline<unknown>>(pipeline: P, options?: SubmitOptions): Promise<ResultOf<P>> {
    this.#open();
    const { id, requestId, request } = submissionOf(pipeline, this.replyTopic, options);
    // With a tracer registered: the pipeline's span, from now until its outcome arrives; its context travels in meta.
    const span = tracingEnabled() ? await startPipelineSpan(id, pipelineSpanName(request)) : undefined;
    if (!span) return this.#submit(id, requestId, request) as Promise<ResultOf<P>>;
    request.meta = span.meta();
    try {
      const result = await this.#submit(id, requestId, request);
      span.end({ outcome: 'completed' });
      return result as ResultOf<P>;
    } catch (err) {
      const e = TaskError.from(err);
      span.end({ outcome: e.errorType === ErrorCode.PipelineCancelled ? 'cancelled' : 'failed', error: e });
      throw err;
    }
  }

  async #submit(id: string, requestId: string, request: TaskRequest): Promise<unknown> {
    const reply = await this.#call(id, requestId, { command: { $case: 'submit', value: request } });
    const r = reply.reply;
    return settleOutcome(r?.$case === 'outcome' ? r.value : undefined);
  }

  async #action(ref: PipelineRef, action: TaskAction, wait = false): Promise<ReturnType<typeof settleAction>> {
    this.#open();
    const id = pipelineIdOf(ref);
    const { correlationId, request } = actionOf(id, action, this.replyTopic, wait);
    return settleAction(await this.#call(id, correlationId, { command: { $case: 'action', value: request } }), action);
  }

  /** The pipeline's status. */
  async status(pipeline: PipelineRef): Promise<PipelineStatus> {
    return (await this.#action(pipeline, TaskAction.GET_STATUS)).status;
  }

  /** The pipeline as submitted. */
  async request(pipeline: PipelineRef): Promise<PipelineNode> {
    return (await this.#action(pipeline, TaskAction.GET_REQUEST)).request as PipelineNode;
  }

  /** The result of a finished pipeline (or, with `{ wait: true }`, of a running one once it finishes); rejects with its error if it failed. */
  async result<P extends PipelineRef>(pipeline: P, options: ResultOptions = {}): Promise<ResultOfRef<P>> {
    return (await this.#action(pipeline, TaskAction.GET_RESULT, options.wait === true)).result as ResultOfRef<P>;
  }

  /** Pauses a running pipeline. */
  async pause(pipeline: PipelineRef): Promise<void> {
    await this.#action(pipeline, TaskAction.PAUSE_PIPELINE);
  }

  /** Resumes a paused pipeline. */
  async unpause(pipeline: PipelineRef): Promise<void> {
    await this.#action(pipeline, TaskAction.UNPAUSE_PIPELINE);
  }

  /** Cancels a running or paused pipeline. */
  async cancel(pipeline: PipelineRef): Promise<void> {
    await this.#action(pipeline, TaskAction.CANCEL_PIPELINE);
  }

  /**
   * Completes a deferred task with `value`: its result in its pipeline. Rejects
   * with `UnknownDeferral` if no task waits for this token (wrong, used, or its
   * pipeline cancelled or finished).
   *
   * @example
   * ```ts
   * await client.complete(token, true); // token: DeferredToken<boolean>, from ctx.defer<boolean>()
   * ```
   */
  async complete<T>(token: DeferredToken<T>, value: T): Promise<void> {
    await this.#deferred('complete', token, { value: toWireValue(value, 'the value completing a deferred task') });
  }

  /**
   * Fails a deferred task with `error` (its pipeline continues as if the task
   * had thrown it).
   *
   * @example
   * ```ts
   * await client.fail(token, new Error('the order was rejected'));
   * ```
   */
  async fail<T>(token: DeferredToken<T>, error: Error): Promise<void> {
    await this.#deferred('fail', token, { error: toWireException(TaskError.from(error)) });
  }

  async #deferred(what: string, token: string, outcome: { value?: Value; error?: TaskException }): Promise<void> {
    this.#open();
    const parsed = parseDeferredToken(token);
    if (!parsed) throw new PipelineError(`${what}: '${token.slice(0, 80)}' is not a deferred-task token (they come from ctx.defer().token)`);
    const correlationId = randomUUID();
    const reply = await this.#call(parsed.pipelineId, correlationId, {
      command: {
        $case: 'complete',
        value: {
          nonce: parsed.nonce,
          correlationId,
          reply: { $case: 'replyTopic', value: this.replyTopic },
          ...outcome,
        },
      },
    });
    settleAction(reply, TaskAction.GET_STATUS);
  }

  /** Closes the client; pending calls reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#router.rejectAll(new PipelineError(`the ${this.constructor.name} was closed`));
    await this.release();
  }
}
