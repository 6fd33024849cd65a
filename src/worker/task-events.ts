/**
 * Events a worker publishes about a task call (retries; progress reports).
 *
 * @module
 */
import type { TaskError } from '../core/errors.js';
import type { Effects } from '../executor/effects.js';
import type { EventsConfig } from '../executor/events.js';
import { codecs } from '../wire/codec.js';
import type { Event, TaskRequest } from '../wire/generated/flinktasks.js';
import { toWireException } from '../wire/values.js';
import { originOf } from './task-request.js';

/** The events of one task call, or nothing without an events egress. */
export function taskEvents(config: EventsConfig | undefined, request: TaskRequest, effects: Effects) {
  if (!config) return undefined;
  const origin = originOf(request);
  const publish = (event: Event['event']): void => {
    const value: Event = {
      pipelineId: origin.pipelineId,
      pipelineAddress: '',
      rootPipelineId: origin.rootPipelineId,
      rootPipelineAddress: '',
      parentPipelineId: '',
      time: effects.now,
      event,
    };
    effects.publish({ egress: config.egress, topic: config.topic, key: origin.rootPipelineId, value: codecs.event.encode(value), event: true });
  };
  const base = {
    uid: request.uid,
    branch: request.branch,
    taskName: request.taskName,
    displayName: request.displayName,
    attempt: request.attempt,
    error: undefined,
    delayMs: 0,
    fraction: 0,
    message: '',
  };
  return {
    retried(error: TaskError, delayMs: number): void {
      publish({
        $case: 'taskRetried',
        value: {
          ...base,
          delayMs,
          error: toWireException(error, {
            id: request.id,
            taskName: request.taskName,
            maybeRetry: true,
            uid: request.uid,
            branch: request.branch,
            displayName: request.displayName,
          }),
        },
      });
    },
  };
}
