/**
 * Actions on a pipeline: status, request, result, pause, unpause, cancel,
 * and the internal expiry of a finished run's state.
 *
 * @module
 */
import { ErrorCode, type ErrorCodeName } from '../core/error-codes.js';
import { TaskAction, type TaskActionRequest, type TaskActionResult } from '../wire/generated/flinktasks.js';
import { ACTIVE_STATUSES, Status, statusName } from '../wire/status.js';
import { Typenames } from '../wire/codec.js';
import { resume } from './advance.js';
import { cancel, pause, unpause } from './control.js';
import { deadLetter } from './dead-letters.js';
import { publishPendingOutcome } from './finish.js';
import { checkPending } from './pending-commands.js';
import { startDelayed } from './submit.js';
import { answerSender, clientActionProblem } from './ingress.js';
import { replyAction } from './replies.js';
import { forget } from './retention.js';
import { loadRun, type Step } from './run.js';

const ACTION_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(TaskAction).map(([k, v]) => [v, k]));

/** Applies an action and answers it. `fromClient`: it came through the ingress. */
export function onAction(step: Step, action: TaskActionRequest, fromClient: boolean): void {
  const { self } = step;
  const drop = (code: ErrorCodeName, message: string): void => {
    deadLetter(step, { code, message, typename: Typenames.taskActionRequest, payload: new Uint8Array(0) });
  };
  const topic = action.reply?.$case === 'replyTopic' ? action.reply.value : '';
  if (fromClient) {
    const problem = clientActionProblem(action);
    if (problem !== undefined) {
      drop(ErrorCode.InvalidPipelineRequest, `action on pipeline '${self.id}' refused: ${problem}`);
      answerSender(
        step,
        { kind: 'action', replyTopic: topic, correlationId: action.correlationId },
        ErrorCode.InvalidPipelineRequest,
        `flink-tasks: ${problem}`,
      );
      return;
    }
  }
  if (topic !== '') {
    const problem = step.config.routes.replyTopicProblem(topic);
    if (problem !== undefined) {
      drop(ErrorCode.InvalidReplyTopic, `action on pipeline '${self.id}' refused: ${problem}`);
      return;
    }
  }
  const run = loadRun(step);
  const fail = (code: ErrorCodeName, message: string): void => {
    replyAction(step, action, {
      reply: {
        $case: 'actionException',
        value: {
          id: self.id,
          action: action.action,
          exceptionType: code,
          exceptionMessage: message,
          stacktrace: '',
          correlationId: action.correlationId,
        },
      },
    });
  };
  const ok = (extra: Partial<TaskActionResult> = {}): void => {
    replyAction(step, action, {
      reply: {
        $case: 'actionResult',
        value: {
          id: self.id,
          action: action.action,
          correlationId: action.correlationId,
          status: { value: step.session.progress?.status ?? Status.PENDING },
          ...extra,
        },
      },
    });
  };
  if (action.action === TaskAction.EXPIRE_PIPELINE) {
    // Only the run it was scheduled for, and only if that run has ended.
    if (run && !ACTIVE_STATUSES.has(run.progress.status) && String(run.progress.run) === action.correlationId) forget(step.session);
    return;
  }
  if (action.action === TaskAction.PUBLISH_OUTCOME) {
    if (run && String(run.progress.run) === action.correlationId) publishPendingOutcome(run);
    return;
  }
  if (action.action === TaskAction.CHECK_PENDING) {
    checkPending(step, action.correlationId);
    return;
  }
  if (action.action === TaskAction.START_PIPELINE) {
    startDelayed(step, action.correlationId);
    return;
  }
  const name = ACTION_NAMES[action.action] ?? String(action.action);
  if (!run) {
    fail(ErrorCode.PipelineNotFound, `${name}: no pipeline with id '${self.id}' has been submitted`);
    return;
  }
  const status = run.progress.status;
  switch (action.action) {
    case TaskAction.GET_STATUS:
      ok();
      return;
    case TaskAction.GET_REQUEST:
      ok({ request: run.record.pipeline });
      return;
    case TaskAction.GET_RESULT:
      if (ACTIVE_STATUSES.has(status) && action.wait && topic !== '') {
        // Answered when the pipeline has finished.
        run.progress.waiters.push({ replyTopic: topic, correlationId: action.correlationId, isAction: true });
        step.session.progressChanged = true;
      } else if (ACTIVE_STATUSES.has(status)) {
        fail(
          ErrorCode.PipelineNotFinished,
          `GET_RESULT: pipeline '${self.id}' is ${statusName(status)}; it has no result yet (ask with { wait: true } to wait for it)`,
        );
      } else {
        ok({ outcome: run.progress.outcome });
      }
      return;
    case TaskAction.PAUSE_PIPELINE:
      if (status !== Status.RUNNING) {
        fail(ErrorCode.InvalidAction, `PAUSE_PIPELINE: pipeline '${self.id}' is ${statusName(status)}; only a RUNNING pipeline can be paused`);
        return;
      }
      pause(run);
      ok();
      return;
    case TaskAction.UNPAUSE_PIPELINE:
      if (status !== Status.PAUSED) {
        fail(ErrorCode.InvalidAction, `UNPAUSE_PIPELINE: pipeline '${self.id}' is ${statusName(status)}; only a PAUSED pipeline can be unpaused`);
        return;
      }
      unpause(run);
      resume(run);
      ok();
      return;
    case TaskAction.CANCEL_PIPELINE:
      if (status !== Status.RUNNING && status !== Status.PAUSED && status !== Status.PENDING) {
        fail(ErrorCode.InvalidAction, `CANCEL_PIPELINE: pipeline '${self.id}' is ${statusName(status)}; only a running or paused pipeline can be cancelled`);
        return;
      }
      cancel(run);
      ok();
      return;
    default:
      fail(ErrorCode.InvalidAction, `unknown action ${action.action}`);
  }
}
