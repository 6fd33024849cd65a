/**
 * The part every client shares: submissions and actions as request
 * messages, answered on a reply topic and matched by request id. A client
 * only says how its messages travel.
 *
 * @module
 */
import type { PipelineLike, ResultOf, RunnablePipeline } from '../dsl/types.js';
import { PipelineError } from '../errors.js';
import type { PipelineNode } from '../ir/nodes.js';
import { TaskAction, type TaskActionCode } from '../wire/messages.js';
import {
  actionOf,
  pipelineIdOf,
  ReplyRouter,
  settleAction,
  settleOutcome,
  submissionOf,
  type PipelineRef,
  type PipelineStatus,
  type ResultOfRef,
  type TasksClient,
} from './tasks-client.js';

/**
 * Base of the clients ({@link LocalRuntime}, `KafkaTasksClient`):
 * implements {@link TasksClient} on top of two ways of sending a message to
 * a pipeline function, and routes replies (bytes of a `Reply`) given to
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
   */
  protected constructor(
    private readonly replyTopic: string,
    private readonly timeoutMs: number | undefined,
  ) {}

  /** Sends a submission (`TaskRequest` bytes) to the pipeline function of pipeline `id`. */
  protected abstract sendSubmission(id: string, payload: Uint8Array): Promise<void> | void;
  /** Sends an action (`TaskActionRequest` bytes) to the pipeline function of pipeline `id`. */
  protected abstract sendAction(id: string, payload: Uint8Array): Promise<void> | void;
  /** Releases the transport when the client closes. */
  protected abstract release(): Promise<void> | void;

  /** Routes a reply to the call waiting for it; false if none waits (e.g. after a timeout). */
  protected deliverReply(bytes: Uint8Array): boolean {
    return this.#router.deliver(bytes);
  }

  #open(): void {
    if (this.#closed) throw new PipelineError(`this ${this.constructor.name} is closed`);
  }

  /**
   * Runs `pipeline` under its id; resolves with its result, rejects with a `TaskError`.
   *
   * @example
   * ```ts
   * const [a, b] = await client.submit(inParallel([multiply.send(1, 2), greet.send('x')]));
   * ```
   */
  async submit<P extends RunnablePipeline<unknown>>(pipeline: P): Promise<ResultOf<P>> {
    this.#open();
    const { id, requestId, payload } = submissionOf(pipeline, this.replyTopic);
    const reply = this.#router.expect(requestId, this.timeoutMs);
    await this.sendSubmission(id, payload);
    return settleOutcome((await reply).outcome) as ResultOf<P>;
  }

  async #action(ref: PipelineRef, action: TaskActionCode): Promise<ReturnType<typeof settleAction>> {
    this.#open();
    const id = pipelineIdOf(ref);
    const { uid, payload } = actionOf(id, action, this.replyTopic);
    const reply = this.#router.expect(uid, this.timeoutMs);
    await this.sendAction(id, payload);
    return settleAction(await reply, action);
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
