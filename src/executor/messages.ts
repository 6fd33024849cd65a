/**
 * Messages the executor builds.
 *
 * @module
 */
import type { FunctionAddress } from '../core/address.js';
import type { ErrorCodeName } from '../core/error-codes.js';
import { codecs, Typenames } from '../wire/codec.js';
import { TaskActionRequest, TaskException, type TaskAction } from '../wire/generated/flinktasks.js';
import type { OutgoingMessage } from './effects.js';

/** A `TaskException` with `code` and `message`, other fields defaulted. */
export function exception(code: ErrorCodeName, message: string, fields: Partial<TaskException> = {}): TaskException {
  return { ...TaskException.create(), exceptionType: code, exceptionMessage: message, ...fields };
}

/** An action the pipeline function sends itself (or a child): `action` on pipeline `target.id`, tagged `uid`. */
export function actionMessage(target: FunctionAddress, action: TaskAction, uid: string): OutgoingMessage {
  return {
    target,
    typename: Typenames.taskActionRequest,
    payload: codecs.taskActionRequest.encode(TaskActionRequest.create({ id: target.id, action, correlationId: uid })),
  };
}
