/**
 * Messages the executor builds.
 *
 * @module
 */
import type { ErrorCodeName } from '../core/error-codes.js';
import { TaskException } from '../wire/generated/flinktasks.js';

/** A `TaskException` with `code` and `message`, other fields defaulted. */
export function exception(code: ErrorCodeName, message: string, fields: Partial<TaskException> = {}): TaskException {
  return { ...TaskException.create(), exceptionType: code, exceptionMessage: message, ...fields };
}
