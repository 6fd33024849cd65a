/**
 * The pipeline function as a pure state machine: (state, message) → (new
 * state, messages, delayed messages, egress records). It knows nothing of
 * HTTP, Kafka or the StateFun SDK, reads no clock, and never throws: every
 * failure becomes a reply, a dead letter or a log line.
 *
 * Messages are decoded before anything else: bytes that do not decode are
 * dead-lettered and never touch the pipeline at their address. Messages
 * without a caller come from a Kafka ingress, i.e. from clients, and may not
 * set what only flink-tasks itself sets.
 *
 * @module
 */
import type { FunctionAddress } from '../core/address.js';
import { ErrorCode } from '../core/error-codes.js';
import { MESSAGE_BATCH_TYPENAME, readBatch } from '../wire/batch.js';
import { codecs, Typenames } from '../wire/codec.js';
import type {
  DeferredCompletion,
  InvalidRecord,
  MapResults,
  SubmissionPart,
  TaskActionRequest,
  TaskCompletion,
  TaskHeartbeat,
  TaskRequest,
} from '../wire/generated/flinktasks.js';
import { peekCommandSender } from '../wire/peek.js';
import { tupleBounds, type TupleBounds } from '../wire/tuple-bounds.js';
import { ACTIVE_STATUSES, Status } from '../wire/status.js';
import { onAction } from './actions.js';
import type { ExecutorConfig } from './config.js';
import { deadLetter } from './dead-letters.js';
import type { Effects, FunctionMessage, PipelineSession } from './effects.js';
import { finish } from './finish.js';
import { answerInvalidRecord, answerUndecodable } from './ingress.js';
import { exception } from './messages.js';
import { onMapResults, onOutcome, type Outcome } from './outcomes.js';
import { onCompletion, onDeferredCompletion, onHeartbeat } from './pending-commands.js';
import { loadRun, type Step } from './run.js';
import { submit } from './submit.js';
import { onSubmitPart } from './upload.js';

/** A message, decoded. `fromClient`: it came through an ingress (no caller), so a client wrote it. */
type Decoded =
  | { readonly kind: 'submit'; readonly request: TaskRequest; readonly fromClient: boolean }
  | { readonly kind: 'completion'; readonly completion: TaskCompletion }
  | { readonly kind: 'heartbeat'; readonly heartbeat: TaskHeartbeat }
  | { readonly kind: 'complete'; readonly complete: DeferredCompletion }
  | { readonly kind: 'part'; readonly part: SubmissionPart; readonly fromClient: boolean }
  | { readonly kind: 'action'; readonly action: TaskActionRequest; readonly fromClient: boolean }
  | { readonly kind: 'outcome'; readonly outcome: Outcome; readonly fromClient: boolean }
  | { readonly kind: 'mapResults'; readonly results: MapResults; readonly values: TupleBounds; readonly fromClient: boolean }
  | { readonly kind: 'invalidRecord'; readonly record: InvalidRecord }
  | { readonly kind: 'empty' }
  | { readonly kind: 'unknown' };

function decode(message: FunctionMessage): Decoded {
  const fromClient = message.caller === undefined;
  switch (message.typename) {
    case Typenames.pipelineCommand: {
      const command = codecs.pipelineCommand.decode(message.payload).command;
      if (command?.$case === 'submit') return { kind: 'submit', request: command.value, fromClient };
      if (command?.$case === 'action') return { kind: 'action', action: command.value, fromClient };
      if (command?.$case === 'completion') return { kind: 'completion', completion: command.value };
      if (command?.$case === 'heartbeat') return { kind: 'heartbeat', heartbeat: command.value };
      if (command?.$case === 'complete') return { kind: 'complete', complete: command.value };
      if (command?.$case === 'submitPart') return { kind: 'part', part: command.value, fromClient };
      return { kind: 'empty' };
    }
    case Typenames.taskRequest:
      return { kind: 'submit', request: codecs.taskRequest.decode(message.payload), fromClient };
    case Typenames.taskActionRequest:
      return { kind: 'action', action: codecs.taskActionRequest.decode(message.payload), fromClient };
    case Typenames.taskResult:
      return { kind: 'outcome', outcome: { result: codecs.taskResult.decode(message.payload) }, fromClient };
    case Typenames.taskException:
      return { kind: 'outcome', outcome: { error: codecs.taskException.decode(message.payload) }, fromClient };
    case Typenames.mapResults: {
      const results = codecs.mapResults.decode(message.payload);
      const values = tupleBounds(results.values, results.branches.length);
      if (!values) throw new RangeError(`flink-tasks: the packed values of a MapResults do not hold its ${results.branches.length} results`);
      return { kind: 'mapResults', results, values, fromClient };
    }
    case Typenames.invalidRecord:
      return { kind: 'invalidRecord', record: codecs.invalidRecord.decode(message.payload) };
    default:
      return { kind: 'unknown' };
  }
}

/**
 * Runs pipelines. One instance serves every pipeline function address; all
 * per-pipeline data lives in the {@link PipelineSession}.
 *
 * @example
 * ```ts
 * const executor = new PipelineExecutor({ groupSplitThreshold: 512, repliesEgress: 'flinktasks/replies', limits: DEFAULT_LIMITS, routes });
 * const session = openSession(undefined, undefined);
 * const effects = new Effects(Date.now());
 * executor.apply(session, { namespace: 'example', name: 'pipeline', id: 'p1' }, message, effects);
 * ```
 */
export class PipelineExecutor {
  constructor(readonly config: ExecutorConfig) {}

  /**
   * Applies one incoming message: a message batch (`io.flinktasks/MessageBatch`)
   * message by message, in order. Never throws.
   */
  apply(session: PipelineSession, self: FunctionAddress, message: FunctionMessage, effects: Effects): void {
    if (message.typename !== MESSAGE_BATCH_TYPENAME) {
      this.#applyOne(session, self, message, effects);
      return;
    }
    try {
      readBatch(message.payload, (item) => {
        this.#applyOne(session, self, { typename: item.typename, payload: item.payload, caller: message.caller }, effects);
      });
    } catch (err) {
      // readBatch throws only before handing out any message: nothing of the batch was applied.
      deadLetter(
        { config: this.config, self, session, effects },
        {
          code: ErrorCode.UndecodableMessage,
          message: `a message batch that does not decode: ${String(err)}`,
          typename: message.typename,
          payload: message.payload,
        },
      );
    }
  }

  #applyOne(session: PipelineSession, self: FunctionAddress, message: FunctionMessage, effects: Effects): void {
    const step: Step = { config: this.config, self, session, effects };
    let decoded: Decoded;
    try {
      decoded = decode(message);
    } catch (err) {
      try {
        answerUndecodable(step, message, peekCommandSender(message.payload), err);
      } catch (again) {
        effects.log('error', 'pipeline function could not report an undecodable message', { pipeline: self.id, error: String(again) });
      }
      return;
    }
    try {
      switch (decoded.kind) {
        case 'submit':
          submit(step, decoded.request, decoded.fromClient);
          return;
        case 'part':
          onSubmitPart(step, decoded.part, decoded.fromClient);
          return;
        case 'action':
          onAction(step, decoded.action, decoded.fromClient);
          return;
        case 'outcome':
          if (decoded.fromClient) {
            deadLetter(step, {
              code: ErrorCode.InvalidPipelineRequest,
              message: 'a task result arrived from a client; results only come from functions',
              typename: message.typename,
              payload: message.payload,
            });
            return;
          }
          onOutcome(step, decoded.outcome);
          return;
        case 'mapResults': {
          if (decoded.fromClient) {
            deadLetter(step, {
              code: ErrorCode.InvalidPipelineRequest,
              message: 'task results arrived from a client; results only come from functions',
              typename: message.typename,
              payload: message.payload,
            });
            return;
          }
          // Each is the TaskResult its call would have sent alone.
          onMapResults(step, decoded.results, decoded.values);
          return;
        }
        case 'invalidRecord':
          answerInvalidRecord(step, decoded.record);
          return;
        // Matched on the run token, which only workers see.
        case 'completion':
          onCompletion(step, decoded.completion);
          return;
        case 'heartbeat':
          onHeartbeat(step, decoded.heartbeat);
          return;
        case 'complete': {
          const to = decoded.complete.reply;
          const problem =
            to?.$case === 'replyTopic'
              ? step.config.routes.replyTopicProblem(to.value)
              : to?.$case === 'replyAddress'
                ? 'a client may not ask for a reply address'
                : undefined;
          if (problem !== undefined) {
            deadLetter(step, {
              code: ErrorCode.InvalidReplyTopic,
              message: `completion of a deferred task refused: ${problem}`,
              typename: message.typename,
              payload: message.payload,
            });
            return;
          }
          onDeferredCompletion(step, decoded.complete);
          return;
        }
        case 'empty':
          deadLetter(step, {
            code: ErrorCode.InvalidPipelineRequest,
            message: 'a command with neither a submission nor an action',
            typename: message.typename,
            payload: message.payload,
          });
          return;
        case 'unknown':
          deadLetter(step, {
            code: ErrorCode.UndecodableMessage,
            message: `a message of unknown type '${message.typename}'`,
            typename: message.typename,
            payload: message.payload,
          });
          return;
      }
    } catch (err) {
      failInternally(step, err);
    }
  }
}

/** A bug while handling a decoded message: fail the run at this address with a clear error. */
function failInternally(step: Step, err: unknown): void {
  const { self, effects } = step;
  const message = err instanceof Error ? err.message : String(err);
  effects.log('error', 'pipeline function failed internally', { pipeline: self.id, error: message, stack: err instanceof Error ? err.stack : undefined });
  try {
    const run = loadRun(step);
    if (run && ACTIVE_STATUSES.has(run.progress.status)) {
      run.progress.outcome = {
        taskResultOrException: {
          $case: 'taskException',
          value: exception(ErrorCode.PipelineInternalError, `flink-tasks internal error in pipeline '${self.id}': ${message}`, { id: self.id }),
        },
      };
      finish(run, Status.FAILED);
    }
  } catch (again) {
    effects.log('error', 'pipeline function could not report an internal failure', { pipeline: self.id, error: String(again) });
  }
}
