/**
 * What arrives about pending calls: the end of a background call (a
 * completion from its worker), its heartbeats, a client completing a deferred
 * task, and the pipeline's own look at a lease or deadline (CHECK_PENDING,
 * which fails the call with `TaskTimeout`, retried by the entry's policy), so
 * that nothing waits forever.
 *
 * @module
 */
import { ErrorCode, type ErrorCodeName } from '../core/error-codes.js';
import { isRetryable, retryDelay } from '../core/retry-rules.js';
import { isValidTopicName } from '../core/routes.js';
import { fromWireAddress } from '../wire/address.js';
import { codecs, Typenames } from '../wire/codec.js';
import {
  TaskAction,
  TaskException,
  TaskResult,
  type TaskActionRequest,
  type DeferredCompletion,
  type ForwardedEffect,
  type TaskCompletion,
  type TaskHeartbeat,
} from '../wire/generated/flinktasks.js';
import { formatBytes, valueBytes } from '../wire/sizes.js';
import { ACTIVE_STATUSES, Status } from '../wire/status.js';
import { dispatchTask, workerAddressOf } from './dispatch.js';
import { eventsFor } from './events.js';
import { onOutcome } from './outcomes.js';
import { entryOf, expiry, findPending, scheduleCheck } from './pending.js';
import { replyAction } from './replies.js';
import { loadRun, touch, type ActiveRun, type Step } from './run.js';
import { isFinished } from './slots.js';

/** The run a command from a worker or client addresses, if it is active and `invocationId` is its token. */
function activeRunFor(step: Step, invocationId: string): ActiveRun | undefined {
  const run = loadRun(step);
  if (run?.record.invocationId !== invocationId || !ACTIVE_STATUSES.has(run.progress.status)) return undefined;
  return run;
}

/** Does what a forwarded effect of a background call says, if the deployment can deliver it. */
function forward(run: ActiveRun, f: ForwardedEffect): void {
  const { routes, limits } = run.config;
  const e = f.effect;
  const drop = (why: string): void => {
    run.effects.log('warn', `dropped an effect of a background call: ${why}`, { pipeline: run.self.id });
  };
  if (e?.$case === 'message' || e?.$case === 'delayed') {
    const message = e.$case === 'message' ? e.value : e.value.message;
    const target = message?.target;
    if (!message || !target || !routes.servesFunction(target.namespace, target.type)) {
      drop(`no served function ${target ? `${target.namespace}/${target.type}` : ''}`);
      return;
    }
    if (message.payload.byteLength > limits.maxValueBytes) {
      drop(`a message of ${formatBytes(message.payload.byteLength)}`);
      return;
    }
    const out = { target: fromWireAddress(target), typename: message.typename, payload: message.payload };
    if (e.$case === 'message') run.effects.send(out);
    else run.effects.sendAfter({ ...out, delayMs: Math.max(0, e.value.delayMs) });
  } else if (e?.$case === 'egress') {
    const r = e.value;
    if (!routes.hasEgress(r.egress) || !isValidTopicName(r.topic)) {
      drop(`egress ${r.egress} / topic ${r.topic} not declared`);
      return;
    }
    if (r.value.byteLength > limits.maxResultBytes) {
      drop(`an egress record of ${formatBytes(r.value.byteLength)}`);
      return;
    }
    run.effects.publish({ egress: r.egress, topic: r.topic, key: r.key, value: r.value });
  }
}

/** A call that ran in the background has ended: do what it would have done, then record its outcome. */
export function onCompletion(step: Step, completion: TaskCompletion): void {
  const run = activeRunFor(step, completion.invocationId);
  if (!run) {
    step.effects.log('debug', 'dropped the completion of a call of another run, or of an ended pipeline', { pipeline: step.self.id, uid: completion.uid });
    return;
  }
  const i = findPending(run, (p) => p.uid === completion.uid && p.branch === completion.branch && p.attempt === completion.attempt);
  if (i < 0) {
    run.effects.log('debug', 'dropped the completion of a call the pipeline no longer waits for (its lease lapsed?)', {
      pipeline: step.self.id,
      uid: completion.uid,
    });
    return;
  }
  run.progress.pending.splice(i, 1);
  touch(run);
  for (const f of completion.effects) forward(run, f);
  if (completion.taskStateWritten && completion.worker) {
    run.effects.send({
      target: fromWireAddress(completion.worker),
      typename: Typenames.taskStateWrite,
      payload: codecs.taskStateWrite.encode({ taskState: completion.taskState }),
    });
  }
  const o = completion.outcome?.taskResultOrException;
  if (o?.$case === 'taskResult') onOutcome(step, { result: o.value });
  else if (o?.$case === 'taskException') onOutcome(step, { error: o.value });
}

/** Longest progress message an event carries (longer ones are cut; workers cut them first). */
const MAX_PROGRESS_MESSAGE = 500;

/**
 * A call is alive: renew its lease if it runs in the background, and report
 * its progress, whether it runs in the background or is the call the run is
 * waiting for right now (a worker with a result sink reports progress while
 * the call is still inside its StateFun call).
 */
export function onHeartbeat(step: Step, beat: TaskHeartbeat): void {
  const run = activeRunFor(step, beat.invocationId);
  if (!run) return;
  const i = findPending(run, (p) => p.uid === beat.uid && p.branch === beat.branch && p.attempt === beat.attempt);
  const pending = run.progress.pending[i];
  if (pending) {
    pending.leaseExpiresAt = run.effects.now + pending.leaseMs;
    touch(run);
  }
  if (!beat.hasProgress || !run.config.events || !(beat.fraction >= 0 && beat.fraction <= 1)) return;
  const inGroup = pending ? pending.inGroup : run.progress.group !== undefined;
  // A branch that has finished reports nothing more (a late beat after its result).
  if (!pending && inGroup && run.progress.group && isFinished(run.progress.group, beat.branch)) return;
  const entry = entryOf(run, beat.uid, beat.branch, inGroup);
  if (!entry) return;
  const message = beat.message.length > MAX_PROGRESS_MESSAGE ? beat.message.slice(0, MAX_PROGRESS_MESSAGE) : beat.message;
  eventsFor(run.config.events, run.record, run.self, run.effects)?.taskProgress(entry, inGroup ? beat.branch : undefined, beat.attempt, beat.fraction, message);
}

/** CHECK_PENDING: a pending call's lease or deadline may have passed. */
export function checkPending(step: Step, key: string): void {
  const run = loadRun(step);
  const [runNo, uid, branch, inGroup, attempt] = key.split(':').map(Number);
  if (!run || !ACTIVE_STATUSES.has(run.progress.status) || run.progress.run !== runNo) return;
  const i = findPending(run, (p) => p.uid === uid && p.branch === branch && p.inGroup === (inGroup === 1) && p.attempt === attempt);
  const pending = run.progress.pending[i];
  if (!pending) return;
  const now = run.effects.now;
  const at = expiry(pending);
  if (at === 0) return;
  if (now < at) {
    scheduleCheck(run, pending, at - now);
    return;
  }
  run.progress.pending.splice(i, 1);
  touch(run);
  const entry = entryOf(run, pending.uid, pending.branch, pending.inGroup);
  if (!entry) return;
  const lapsed = pending.leaseMs > 0 && pending.leaseExpiresAt <= now;
  const message = lapsed
    ? `task '${entry.taskName}' ran in the background and its worker stopped reporting (its lease of ${pending.leaseMs} ms lapsed); the worker may have died`
    : `deferred task '${entry.taskName}' was not completed within its timeout of ${entry.timeoutMs ?? 0} ms`;
  const rules = entry.retry;
  if (rules && pending.attempt < rules.maxRetries && isRetryable(rules, [ErrorCode.TaskTimeout])) {
    const retry = pending.attempt + 1;
    const delayMs = retryDelay(rules, retry);
    const input = pending.inGroup ? { branch: pending.branch } : entry.isExceptionally ? { inputError: run.progress.error } : { input: run.progress.value };
    dispatchTask(run, entry, input, { attempt: retry, delayMs });
    run.effects.log('info', 'retrying a call whose lease or deadline passed', {
      pipeline: run.self.id,
      task: entry.taskName,
      attempt: retry,
      worker: workerAddressOf(run, entry).id,
    });
    return;
  }
  onOutcome(step, {
    error: {
      ...TaskException.create(),
      id: `${run.record.pipelineId}/${run.record.run}.${entry.uid}`,
      taskName: entry.taskName,
      exceptionType: ErrorCode.TaskTimeout,
      exceptionMessage: message,
      invocationId: run.record.invocationId,
      uid: entry.uid,
      branch: pending.branch,
      displayName: entry.displayName ?? '',
      errorTypes: [ErrorCode.TaskTimeout],
    },
  });
}

/** A client completes or fails a deferred task: record its outcome and answer. */
export function onDeferredCompletion(step: Step, complete: DeferredCompletion): void {
  const { self } = step;
  const action: TaskActionRequest = { id: self.id, action: TaskAction.GET_STATUS, correlationId: complete.correlationId, reply: complete.reply, wait: false };
  const fail = (message: string, code: ErrorCodeName = ErrorCode.UnknownDeferral): void => {
    replyAction(step, action, {
      reply: {
        $case: 'actionException',
        value: { id: self.id, action: 0, exceptionType: code, exceptionMessage: message, stacktrace: '', correlationId: complete.correlationId },
      },
    });
  };
  const run = loadRun(step);
  const i = run && ACTIVE_STATUSES.has(run.progress.status) && complete.nonce !== '' ? findPending(run, (p) => p.deferNonce === complete.nonce) : -1;
  const pending = run?.progress.pending[i];
  if (!run || !pending) {
    fail(`no deferred task of pipeline '${self.id}' is waiting for this token: it is wrong, was used already, or its pipeline was cancelled or has finished`);
    return;
  }
  if (run.progress.status === Status.CANCELLING) {
    fail(`pipeline '${self.id}' is being cancelled; its deferred task cannot be completed`);
    return;
  }
  const size = complete.value ? valueBytes(complete.value) : 0;
  if (size > run.config.limits.maxResultBytes) {
    fail(
      `the value is ${formatBytes(size)}, more than limits.maxResultBytes (${formatBytes(run.config.limits.maxResultBytes)})`,
      ErrorCode.MessageSizeExceeded,
    );
    return;
  }
  const entry = entryOf(run, pending.uid, pending.branch, pending.inGroup);
  run.progress.pending.splice(i, 1);
  touch(run);
  const echo = {
    id: `${run.record.pipelineId}/${run.record.run}.${pending.uid}`,
    type: entry?.taskName ?? '',
    invocationId: run.record.invocationId,
    uid: pending.uid,
    branch: pending.branch,
  };
  replyAction(step, action, {
    reply: { $case: 'actionResult', value: { id: self.id, action: 0, correlationId: complete.correlationId, status: { value: run.progress.status } } },
  });
  if (complete.error) onOutcome(step, { error: { ...complete.error, ...echo, errorTypes: complete.error.errorTypes } });
  else onOutcome(step, { result: { ...TaskResult.create(), ...echo, result: complete.value ? codecs.value.encode(complete.value) : undefined } });
}
