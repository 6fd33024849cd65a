/**
 * Sending: replies to whoever submitted a pipeline or asked an action, and
 * messages that wait while a pipeline is paused.
 *
 * @module
 */
import type { FunctionAddress } from '../core/address.js';
import { fromWireAddress, toWireAddress } from '../wire/address.js';
import { codecs, Typenames } from '../wire/codec.js';
import type { Reply, TaskActionRequest, TaskResultOrException, TaskRequest } from '../wire/generated/flinktasks.js';
import { Status } from '../wire/status.js';
import { touch, type ActiveRun, type Step } from './run.js';

/** Where a reply goes: a Kafka topic (clients) or a function address (parent pipelines). */
export type ReplyTo = TaskRequest['reply'];

/**
 * Sends a pipeline outcome to `to`. `expected`: whoever asked must be told
 * (a reply with nowhere to go is then logged).
 */
export function replyOutcome(step: Step, to: ReplyTo, key: string, outcome: TaskResultOrException, expected: boolean): void {
  const { effects } = step;
  if (to?.$case === 'replyTopic') {
    effects.publish({ egress: step.config.repliesEgress, topic: to.value, key, value: codecs.reply.encode({ reply: { $case: 'outcome', value: outcome } }) });
    return;
  }
  const result = outcome.taskResultOrException;
  if (to?.$case === 'replyAddress') {
    const target = fromWireAddress(to.value);
    if (result?.$case === 'taskResult') {
      effects.send({ target, typename: Typenames.taskResult, payload: codecs.taskResult.encode(result.value) });
    } else if (result?.$case === 'taskException') {
      effects.send({ target, typename: Typenames.taskException, payload: codecs.taskException.encode(result.value) });
    }
    return;
  }
  if (expected || result?.$case === 'taskException') {
    effects.log('warn', 'no reply address for a pipeline outcome; dropped', { pipeline: key });
  }
}

/** Answers an action. */
export function replyAction(step: Step, action: TaskActionRequest, reply: Reply): void {
  const { effects, self } = step;
  const to = action.reply;
  if (to?.$case === 'replyTopic') {
    effects.publish({ egress: step.config.repliesEgress, topic: to.value, key: self.id, value: codecs.reply.encode(reply) });
  } else if (to?.$case === 'replyAddress') {
    const target = fromWireAddress(to.value);
    const r = reply.reply;
    if (r?.$case === 'actionResult') effects.send({ target, typename: Typenames.taskActionResult, payload: codecs.taskActionResult.encode(r.value) });
    if (r?.$case === 'actionException') effects.send({ target, typename: Typenames.taskActionException, payload: codecs.taskActionException.encode(r.value) });
  }
}

/** Sends now, or holds the message while the pipeline is paused. */
export function emit(run: ActiveRun, target: FunctionAddress, typename: string, payload: Uint8Array): void {
  if (run.progress.status === Status.PAUSED) {
    run.progress.held.push({ target: toWireAddress(target), typename, payload });
    touch(run);
    return;
  }
  run.effects.send({ target, typename, payload });
}
