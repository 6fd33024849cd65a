/**
 * The context a task bound `withContext` receives: its ids, its pipeline,
 * function-scoped state, and messages to functions and egresses the
 * deployment declares (checked, so a task cannot send the job something it
 * would fail on).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { FunctionAddress } from '../core/address.js';
import { deferredToken } from '../core/deferred-token.js';
import { ErrorCode } from '../core/error-codes.js';
import { TaskError } from '../core/errors.js';
import type { Limits } from '../core/limits.js';
import type { LogEntry, Logger, LogLevel } from '../core/log.js';
import { isValidTopicName, type Routes } from '../core/routes.js';
import type { TaskContext, TaskSignal } from '../dsl/context.js';
import { makeDeferred, type Deferred } from '../dsl/deferred.js';
import type { TaskDescriptor } from '../dsl/descriptor.js';
import type { Effects } from '../executor/effects.js';
import { fromWireAddress } from '../wire/address.js';
import { codecs, Typenames } from '../wire/codec.js';
import type { TaskRequest } from '../wire/generated/flinktasks.js';
import { formatBytes } from '../wire/sizes.js';
import { decodeJson, encodeJson, toWireValue } from '../wire/values.js';
import { checkProgress, type CallProgress } from './progress.js';
import { originOf } from './task-request.js';

/**
 * Function-scoped state of a worker address (for `TaskContext.getState`).
 *
 * @example
 * ```ts
 * let bytes: Uint8Array | undefined;
 * const storage: TaskStorage = { get: () => bytes, set: (next) => { bytes = next; } };
 * ```
 */
export interface TaskStorage {
  /** The stored bytes, if any. */
  get(): Uint8Array | undefined;
  /** Replaces the stored bytes; `undefined` deletes them. */
  set(bytes: Uint8Array | undefined): void;
}

/** What a context needs besides the request. */
export interface ContextDeps {
  readonly self: FunctionAddress;
  readonly storage: TaskStorage;
  readonly effects: Effects;
  readonly limits: Limits;
  readonly routes: Routes;
  /** Aborted when the call times out or its pipeline is cancelled. */
  readonly signal: TaskSignal;
  /** Where `ctx.progress` reports go (throttled). */
  readonly progress: CallProgress | undefined;
  /** The worker's logger (`ctx.log` adds the call's ids). */
  readonly logger: Logger;
}

const LEVELS: ReadonlySet<string> = new Set<LogLevel>(['debug', 'info', 'warn', 'error']);

/** `logger` with the ids of `request`'s call added to every entry; an entry that is not one throws a `TypeError`. */
export function callLogger(logger: Logger, d: TaskDescriptor, request: TaskRequest): Logger {
  const origin = originOf(request);
  const ids = { pipeline: origin.pipelineId, rootPipeline: origin.rootPipelineId, task: d.name, taskId: request.id, attempt: request.attempt };
  return (entry: LogEntry): void => {
    const e: Partial<LogEntry> | null = typeof entry === 'object' ? entry : null;
    if (!e || typeof e.level !== 'string' || !LEVELS.has(e.level) || typeof e.message !== 'string') {
      throw new TypeError(`task '${d.name}': ctx.log takes { level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: {...} }`);
    }
    const fields = typeof e.fields === 'object' && e.fields !== null ? e.fields : {};
    logger({ level: e.level, message: e.message, fields: { ...fields, ...ids } });
  };
}

function refuse(
  d: TaskDescriptor,
  request: TaskRequest,
  code: typeof ErrorCode.UnknownDestination | typeof ErrorCode.MessageSizeExceeded,
  message: string,
): TaskError {
  return new TaskError({ errorType: code, message: `task '${d.name}': ${message}`, taskName: d.name, taskId: request.id });
}

function checkSize(d: TaskDescriptor, request: TaskRequest, limits: Limits, bytes: Uint8Array, what: string): Uint8Array {
  if (bytes.byteLength > limits.maxResultBytes) {
    throw refuse(
      d,
      request,
      ErrorCode.MessageSizeExceeded,
      `${what} is ${formatBytes(bytes.byteLength)}, more than limits.maxResultBytes (${formatBytes(limits.maxResultBytes)})`,
    );
  }
  return bytes;
}

/** The context of one call of `d` for `request`. */
export function taskContext(request: TaskRequest, d: TaskDescriptor, deps: ContextDeps): TaskContext {
  const { self, storage, effects, limits, routes, signal, progress, logger } = deps;
  const origin = originOf(request);
  const pipelineAddress = origin.pipelineAddress ? fromWireAddress(origin.pipelineAddress) : { namespace: '', name: '', id: origin.pipelineId };
  return Object.freeze({
    taskId: self.id,
    taskName: d.name,
    displayName: request.displayName || d.displayName || d.name,
    pipelineId: origin.pipelineId,
    pipelineAddress,
    rootPipelineId: origin.rootPipelineId,
    rootPipelineAddress: origin.rootPipelineAddress ? fromWireAddress(origin.rootPipelineAddress) : pipelineAddress,
    caller: pipelineAddress,
    attempt: request.attempt,
    signal,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- implements TaskContext.getState<S>
    getState: <S>(): S | undefined => {
      const bytes = storage.get();
      return bytes && bytes.length > 0 ? (decodeJson(bytes) as S) : undefined;
    },
    setState: (value: unknown): void => {
      storage.set(value === undefined ? undefined : checkSize(d, request, limits, encodeJson(value, `the task state of '${d.name}'`), 'the task state'));
    },
    send: (target: FunctionAddress, value: unknown): void => {
      if (!routes.servesFunction(target.namespace, target.name)) {
        throw refuse(
          d,
          request,
          ErrorCode.UnknownDestination,
          `cannot send to ${target.namespace}/${target.name}: the deployment does not serve that function type (declare it in routes.functions)`,
        );
      }
      const payload = checkSize(d, request, limits, codecs.value.encode(toWireValue(value, 'a message')), 'the message');
      effects.send({ target, typename: Typenames.value, payload });
    },
    progress: (fraction: number, message?: string): void => {
      const checked = checkProgress(d.name, fraction, message);
      progress?.report(checked.fraction, checked.message);
    },
    log: callLogger(logger, d, request),
    defer: <T>(): Deferred<T> => {
      const nonce = randomUUID();
      return makeDeferred<T>(deferredToken(origin.pipelineId, nonce), nonce);
    },
    sendEgress: (egress: string, topic: string, key: string, value: unknown): void => {
      if (!routes.hasEgress(egress)) {
        throw refuse(
          d,
          request,
          ErrorCode.UnknownDestination,
          `cannot publish to egress ${egress}: the deployment does not declare it (declare it in routes.egresses and module.yaml)`,
        );
      }
      if (!isValidTopicName(topic)) throw refuse(d, request, ErrorCode.UnknownDestination, `'${topic.slice(0, 80)}' is not a valid Kafka topic name`);
      const bytes = checkSize(d, request, limits, encodeJson(value, 'an egress record'), 'the egress record');
      effects.publish({ egress, topic, key, value: bytes });
    },
  });
}
