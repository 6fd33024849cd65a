/**
 * flink-tasks: typed, Celery-style task pipelines for Apache Flink Stateful
 * Functions.
 *
 * @example
 * ```ts
 * import { FlinkTasks, inParallel, LocalRuntime } from 'flink-tasks';
 * const tasks = new FlinkTasks({ namespace: 'example', workerName: 'worker' });
 * const double = tasks.bind('double', (x: number) => x * 2);
 * const sum = tasks.bind('sum', (xs: number[]) => xs.reduce((a, b) => a + b, 0));
 * const runtime = new LocalRuntime(tasks);
 * const total: number = await runtime.submit(inParallel([1, 2, 3].map((x) => double.send(x))).continueWith(sum));
 * ```
 *
 * @module flink-tasks
 */
export { FlinkTasks, type FlinkTasksOptions } from './dsl/flink-tasks.js';
export type { BindOptions, BindCheck, SendArgs, OutputOf, StateAndResult, OptionsCheck, TaskStateOf } from './dsl/bind-types.js';
export type { TaskDescriptor } from './dsl/descriptor.js';
export { inParallel } from './dsl/in-parallel.js';
export { RetryPolicy, type RetryPolicyOptions } from './dsl/retry.js';
export { withPausePipeline, type PausePipeline } from './dsl/effects.js';
export type { TaskContext, TaskSignal, AbortSignalLike } from './dsl/context.js';
export type { Deferred, DeferredToken } from './dsl/deferred.js';
export type { ResultSink } from './worker/result-sink.js';
export type { FunctionAddress } from './core/address.js';
export type { PipelineTypeError } from './dsl/type-errors.js';
export type { RegisteredClasses, SerializableLeaf, Unserializable, IsSerializable } from './dsl/serializable.js';
export type {
  Pipeline,
  GroupPipeline,
  FinalPipeline,
  PipelineLike,
  StatefulPipelineLike,
  RunnablePipeline,
  Task,
  BoundTask,
  TaskOutput,
  ResultOf,
  EntryOptions,
  InitialOptions,
  GroupOptions,
  GroupResult,
  GroupState,
  GroupStateCheck,
  ExtraArgs,
  ContinueCheck,
  ExceptionallyCheck,
  StateCheck,
  StateFit,
  NoState,
  InitialState,
  InlineState,
  StateOf,
  StateDescriptorOf,
  NextState,
  Seeded,
  Inlined,
} from './dsl/types.js';
export { TaskError, SerializationError, PipelineError, type TaskErrorInit } from './core/errors.js';
export { ErrorCode, type ErrorCodeName, type ErrorCodeTable } from './core/error-codes.js';
export { registerClass, type SerializableClass } from './wire/values.js';
export * as ir from './ir/index.js';
export { LocalRuntime, type LocalRuntimeOptions, type LocalRuntimeStats, type EgressRecordInfo } from './local/local-runtime.js';
export type { EventsConfig } from './executor/events.js';
export type { TasksClient, PipelineRef, ResultOfRef, SubmitOptions, ResultOptions } from './client/tasks-client.js';
export type { PipelineStatus } from './core/status.js';
export { PipelineClient } from './client/pipeline-client.js';
export {
  REQUESTS_TOPIC,
  REPLIES_TOPIC,
  EVENTS_TOPIC,
  DEAD_LETTERS_TOPIC,
  CANCELLATIONS_TOPIC,
  REPLIES_EGRESS,
  EVENTS_EGRESS,
  DEAD_LETTERS_EGRESS,
  CANCELLATIONS_EGRESS,
} from './core/topics.js';
export { DEFAULT_LIMITS, type Limits } from './core/limits.js';
export { systemClock, type Clock, type ClockTimer } from './core/clock.js';
export { ManualClock } from './local/manual-clock.js';
export type { RoutesOptions } from './core/routes.js';
export type { DeadLettersConfig } from './executor/config.js';
export type { DeadLetterInfo } from './local/dead-letter-info.js';
export type { IngressRecord } from './local/ingress.js';
export type { WorkerHooks, TaskEventInfo, TaskFinishedInfo, TaskRetryInfo, TaskEmittedInfo } from './worker/worker-hooks.js';
export type { TaskStorage } from './worker/task-context.js';
export { jsonLogger, silentLogger, type Logger, type LogEntry, type LogLevel } from './core/log.js';
export type {
  PipelineEvent,
  PipelineEventBase,
  PipelineCreatedEvent,
  StatusChangedEvent,
  TaskEventBase,
  TaskStartedEvent,
  TaskFinishedEvent,
  TaskRetriedEvent,
  TaskProgressEvent,
  TasksSkippedEvent,
  ErrorInfo,
  PipelineOrigin,
} from './observe/pipeline-events.js';
export { shapeOf, SHAPE_MAX_BRANCHES, type PipelineShape, type ShapeEntry, type ShapeTask, type ShapeGroup } from './ir/shape.js';
