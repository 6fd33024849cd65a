/**
 * The pipeline function as a pure state machine: (state, message) → (new
 * state, messages, delayed messages, egress records). It knows nothing of
 * HTTP, Kafka or the StateFun SDK, reads no clock, and never throws: every
 * failure becomes a reply or a log line.
 *
 * @module
 */
import type { FunctionAddress } from '../core/address.js';
import { ErrorCode } from '../core/error-codes.js';
import { codecs, Typenames } from '../wire/codec.js';
import { ACTIVE_STATUSES, Status } from '../wire/status.js';
import { onAction } from './actions.js';
import type { ExecutorConfig } from './config.js';
import type { Effects, FunctionMessage, PipelineSession } from './effects.js';
import { finish } from './finish.js';
import { exception } from './messages.js';
import { onOutcome } from './outcomes.js';
import { loadRun, type Step } from './run.js';
import { submit } from './submit.js';

/**
 * Runs pipelines. One instance serves every pipeline function address; all
 * per-pipeline data lives in the {@link PipelineSession}.
 *
 * @example
 * ```ts
 * const executor = new PipelineExecutor({ groupSplitThreshold: 512, repliesEgress: 'flinktasks/replies' });
 * const session = openSession(undefined, undefined);
 * const effects = new Effects();
 * executor.apply(session, { namespace: 'example', name: 'pipeline', id: 'p1' }, message, effects);
 * ```
 */
export class PipelineExecutor {
  constructor(readonly config: ExecutorConfig) {}

  /** Applies one incoming message. Never throws. */
  apply(session: PipelineSession, self: FunctionAddress, message: FunctionMessage, effects: Effects): void {
    const step: Step = { config: this.config, self, session, effects };
    try {
      switch (message.typename) {
        case Typenames.taskRequest:
          submit(step, codecs.taskRequest.decode(message.payload));
          return;
        case Typenames.taskResult:
          onOutcome(step, { result: codecs.taskResult.decode(message.payload) });
          return;
        case Typenames.taskException:
          onOutcome(step, { error: codecs.taskException.decode(message.payload) });
          return;
        case Typenames.taskActionRequest:
          onAction(step, codecs.taskActionRequest.decode(message.payload));
          return;
        case Typenames.pipelineCommand: {
          const command = codecs.pipelineCommand.decode(message.payload).command;
          if (command?.$case === 'submit') submit(step, command.value);
          else if (command?.$case === 'action') onAction(step, command.value);
          else effects.log('warn', 'pipeline function dropped an empty command', { pipeline: self.id });
          return;
        }
        default:
          effects.log('warn', 'pipeline function dropped a message of unknown type', { pipeline: self.id, typename: message.typename });
      }
    } catch (err) {
      failInternally(step, err);
    }
  }
}

/** A bug (or an undecodable message) while handling: fail the run at this address with a clear error. */
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
