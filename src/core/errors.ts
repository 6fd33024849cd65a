/**
 * Errors that flink-tasks reports to users.
 *
 * @module
 */
import { describeThrown } from './describe.js';
import { ErrorCode, type ErrorCodeName } from './error-codes.js';

/**
 * Where and why a task failed; what {@link TaskError} is built from.
 *
 * @example
 * ```ts
 * const init: TaskErrorInit = { errorType: 'QuotaExceeded', message: 'daily quota used up', taskName: 'fetchQuote' };
 * new TaskError(init).errorType; // 'QuotaExceeded'
 * ```
 */
export interface TaskErrorInit {
  /** A code from {@link ErrorCode}, or the class name of the error a task threw (e.g. `TypeError`). */
  readonly errorType: ErrorCodeName | (string & {});
  /** Message of the original error. */
  readonly message: string;
  /** Stack trace captured where the task failed. */
  readonly stack?: string | undefined;
  /** Name the failing task was bound under (empty for pipeline-level errors). */
  readonly taskName?: string | undefined;
  /** Id of the failing task invocation. */
  readonly taskId?: string | undefined;
  /** For a failed group: one error per failed branch, in declaration order. */
  readonly errors?: readonly TaskError[] | undefined;
  /** For an error inside a group: the index of its branch. */
  readonly branch?: number | undefined;
  /** Class names from the thrown error's class up to `Error`; default `[errorType]`. */
  readonly errorTypes?: readonly string[] | undefined;
}

/**
 * The error a pipeline reports when a task throws, a group has failed
 * branches, or the pipeline was cancelled. It survives serialisation: the
 * original error's class name is kept in {@link TaskError.errorType}.
 *
 * @example
 * ```ts
 * try {
 *   await runtime.submit(divide.send(1, 0));
 * } catch (e) {
 *   if (e instanceof TaskError) console.log(e.errorType, e.taskName, e.message);
 * }
 * ```
 */
export class TaskError extends Error {
  /** A code from {@link ErrorCode}, or the class name of the error a task threw, e.g. `'RangeError'`. */
  readonly errorType: ErrorCodeName | (string & {});
  /** Name the failing task was bound under. */
  readonly taskName: string;
  /** Id of the failing task invocation. */
  readonly taskId: string;
  /** Failed branches of a group, in declaration order (empty otherwise). */
  readonly errors: readonly TaskError[];
  /** Branch index of this error inside its group, if any. */
  readonly branch: number | undefined;
  /**
   * Class names from the thrown error's class up to `Error`, most specific
   * first, e.g. `['QuotaError', 'RangeError', 'Error']` (a retry policy's
   * `retryFor` matches any of them); `[errorType]` for the library's codes.
   */
  readonly errorTypes: readonly string[];

  constructor(init: TaskErrorInit) {
    super(init.message);
    this.name = 'TaskError';
    this.errorType = init.errorType;
    this.taskName = init.taskName ?? '';
    this.taskId = init.taskId ?? '';
    this.errors = Object.freeze([...(init.errors ?? [])]);
    this.branch = init.branch;
    this.errorTypes = Object.freeze([...(init.errorTypes && init.errorTypes.length > 0 ? init.errorTypes : [init.errorType])]);
    if (init.stack !== undefined && init.stack !== '') this.stack = init.stack;
  }

  /**
   * Builds a `TaskError` from anything a task may throw.
   *
   * @example
   * ```ts
   * const e = TaskError.from(new RangeError('too big'), { taskName: 'resize' });
   * e.errorType; // 'RangeError'
   * ```
   */
  static from(thrown: unknown, where: { taskName?: string; taskId?: string } = {}): TaskError {
    if (isTaskError(thrown)) return thrown;
    const d = describeThrown(thrown);
    return new TaskError({ errorType: d.errorType, errorTypes: d.errorTypes, message: d.message, stack: d.stack, ...where });
  }

  /**
   * Whether this error is the outcome of a cancelled pipeline.
   *
   * @example
   * ```ts
   * await runtime.cancel(p);
   * await runtime.result(p).catch((e) => TaskError.isCancellation(e)); // true
   * ```
   */
  static isCancellation(error: unknown): boolean {
    return error instanceof TaskError && error.errorType === CANCELLED_ERROR_TYPE;
  }
}

/** `errorType` of the error a cancelled pipeline ends with. */
export const CANCELLED_ERROR_TYPE = ErrorCode.PipelineCancelled;

/** `instanceof TaskError` that cannot throw (a revoked Proxy throws on `instanceof`). */
function isTaskError(value: unknown): value is TaskError {
  try {
    return value instanceof TaskError;
  } catch {
    return false;
  }
}

/**
 * Thrown (synchronously, to the caller) when a value cannot travel through a
 * pipeline: a function, a symbol, or an instance of a class that was not
 * registered with {@link registerClass}.
 *
 * @example
 * ```ts
 * // the types reject a function argument; an untyped caller gets this at run time:
 * const untyped = identity.send as (...args: unknown[]) => unknown;
 * try { untyped(() => 1); } catch (e) { e instanceof SerializationError; } // true
 * ```
 */
export class SerializationError extends TypeError {
  /** Path of the offending value inside what was serialised, e.g. `[0].callback`. */
  readonly path: string;
  constructor(what: string, path: string, problem: string) {
    super(
      `flink-tasks: ${what} cannot be serialised: ${path === '' ? 'the value' : `the value at ${path}`} ${problem}. ` +
        'Pass data (JSON values, Date, Map, Set, BigInt, RegExp, URL, Error, typed arrays, undefined) or register the class with registerClass().',
    );
    this.name = 'SerializationError';
    this.path = path;
  }
}

/**
 * Thrown when a pipeline is built or submitted wrongly (an invalid IR, an
 * unknown task, a duplicate pipeline id …). The message says what and where.
 *
 * @example
 * ```ts
 * try { ir.validatePipeline(ir.PipelineNode.create({ entries: [], inline: false, initialState: undefined })); }
 * catch (e) { e instanceof PipelineError; } // true: a pipeline needs at least one entry
 * ```
 */
export class PipelineError extends Error {
  constructor(message: string) {
    super(`flink-tasks: ${message}`);
    this.name = 'PipelineError';
  }
}
