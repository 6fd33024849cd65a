/**
 * The part every client shares: submissions and actions as commands to the
 * pipeline function, answered on a reply topic and matched by request id. A
 * client only says how its commands travel.
 *
 * @module
 */
import { PipelineError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { PipelineStatus } from '../core/status.js';
import type { PipelineLike, ResultOf } from '../dsl/types.js';
import type { PipelineNode } from '../ir/nodes.js';
import { codecs } from '../wire/codec.js';
import { TaskAction, type PipelineCommand, type Reply } from '../wire/generated/flinktasks.js';
import { ReplyRouter } from './reply-router.js';
import { actionOf, pipelineIdOf, settleAction, settleOutcome, submissionOf } from './requests.js';
import type { PipelineRef, ResultOfRef, TasksClient } from './tasks-client.js';

/**
 * Base of the clients (`LocalRuntime`, `KafkaTasksClient`): implements
 * {@link TasksClient} on top of one way of sending a command to a pipeline
 * function, and routes replies (bytes of a `Reply`) given to
 * {@link PipelineClient.deliverReply}.
 *
 * @example
 * ```ts
 * async function statusOf(client: PipelineClient, id: string) {
 *   return client.status(id); // 'RUNNING', 'COMPLETED' …
 * }
 * ```
 */
export abstract class PipelineClient implements TasksClient {
  readonly #router = new ReplyRouter();
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

  /** Routes a reply (bytes of a `Reply`) to the call waiting for it; false if none waits or the bytes are not a reply. */
  protected deliverReply(bytes: Uint8Array): boolean {
    let reply: Reply;
    try {
      reply = codecs.reply.decode(bytes);
    } catch (err) {
      this.logger({ level: 'warn', message: 'skipped a reply record that is not a flink-tasks reply', fields: { bytes: bytes.byteLength, error: String(err) } });
      return false;
    }
    return this.#router.deliver(reply);
  }

  #open(): void {
    if (this.#closed) throw new PipelineError(`this ${this.constructor.name} is closed`);
  }

  /** Sends `command` and waits for the reply to `correlationId`. */
  async #call(id: string, correlationId: string, command: PipelineCommand): Promise<Reply> {
    const payload = codecs.pipelineCommand.encode(command);
    const reply = this.#router.expect(correlationId, this.timeoutMs);
    try {
      await this.sendCommand(id, payload);
    } catch (err) {
      this.#router.forget(correlationId);
      throw err;
    }
    return reply;
  }

  /**
   * Runs `pipeline` under its id; resolves with its result, rejects with a `TaskError`.
   *
   * @example
   * ```ts
   * const [a, b] = await client.submit(inParallel([multiply.send(1, 2), greet.send('x')]));
   * ```
   */
  async submit<P extends PipelineLike<unknown>>(pipeline: P): Promise<ResultOf<P>> {
    this.#open();
    const { id, requestId, request } = submissionOf(pipeline, this.replyTopic);
    const reply = await this.#call(id, requestId, { command: { $case: 'submit', value: request } });
    const r = reply.reply;
    return settleOutcome(r?.$case === 'outcome' ? r.value : undefined) as ResultOf<P>;
  }

  async #action(ref: PipelineRef, action: TaskAction): Promise<ReturnType<typeof settleAction>> {
    this.#open();
    const id = pipelineIdOf(ref);
    const { uid, request } = actionOf(id, action, this.replyTopic);
    return settleAction(await this.#call(id, uid, { command: { $case: 'action', value: request } }), action);
  }

  /** The pipeline's status. */
  async status(pipeline: PipelineRef): Promise<PipelineStatus> {
    return (await this.#action(pipeline, TaskAction.GET_STATUS)).status;
  }

  /** The pipeline as submitted. */
  async request(pipeline: PipelineRef): Promise<PipelineNode> {
    return (await this.#action(pipeline, TaskAction.GET_REQUEST)).request as PipelineNode;
  }

  /** The result of a finished pipeline; rejects with its error if it failed. */
  async result<P extends PipelineRef>(pipeline: P): Promise<ResultOfRef<P>> {
    return (await this.#action(pipeline, TaskAction.GET_RESULT)).result as ResultOfRef<P>;
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

  /** Closes the client; pending calls reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#router.rejectAll(new PipelineError(`the ${this.constructor.name} was closed`));
    await this.release();
  }
}
