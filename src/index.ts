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
 * @module
 */
export {
  FlinkTasks, type FlinkTasksOptions, type BindOptions, type BindCheck, type SendArgs, type OutputOf, type StateAndResult, type OptionsCheck, type TaskStateOf,
} from './dsl/flink-tasks.js';
export type { TaskDescriptor } from './dsl/descriptor.js';
export { inParallel } from './dsl/in-parallel.js';
export { RetryPolicy, type RetryPolicyOptions } from './dsl/retry.js';
export { withPausePipeline, type PausePipeline } from './dsl/effects.js';
export type { TaskContext, FunctionAddress } from './dsl/context.js';
export type { PipelineTypeError } from './dsl/type-errors.js';
export type { RegisteredClasses, SerializableLeaf, Unserializable, IsSerializable } from './dsl/serializable.js';
export type {
  Pipeline, GroupPipeline, FinalPipeline, PipelineLike, StatefulPipelineLike, RunnablePipeline, Task, BoundTask, TaskOutput, ResultOf,
  EntryOptions, InitialOptions, GroupOptions, GroupResult, GroupState, GroupStateCheck, ExtraArgs, ContinueCheck, ExceptionallyCheck,
  StateCheck, StateFit, NoState, InitialState, InlineState, StateOf, StateDescriptorOf, NextState, Seeded, Inlined,
} from './dsl/types.js';
export { TaskError, SerializationError, PipelineError, type TaskErrorInit } from './errors.js';
export { registerClass, type SerializableClass } from './wire/values.js';
export * as ir from './ir/index.js';
export { LocalRuntime, type LocalRuntimeOptions, type LocalRuntimeStats, type EgressRecordInfo } from './local/local-runtime.js';
export type { EventsConfig } from './executor/events.js';
export type { TasksClient, PipelineStatus, PipelineRef, ResultOfRef } from './client/tasks-client.js';
export { PipelineClient } from './client/pipeline-client.js';
export { FunctionServer, type FunctionServerOptions, REPLIES_EGRESS, EVENTS_EGRESS, REPLIES_TOPIC, EVENTS_TOPIC } from './statefun/function-server.js';
export type { WorkerHooks, TaskEventInfo, TaskFinishedInfo, TaskRetryInfo, TaskEmittedInfo, TaskStorage } from './worker/task-worker.js';
export { jsonLogger, silentLogger, type Logger, type LogEntry, type LogLevel } from './log.js';
export { serve, type ServeOptions, type ServedFunctions } from './statefun/serve.js';
export type {
  WireEvent as PipelineEvent, WirePipelineCreated, WireStatusChanged, WireTasksSkipped, WirePipelineInfo, WireEntryInfo, WireGroupInfo, WireTaskInfo, WireTaskStatus,
} from './wire/messages.js';
export { StatusCode } from './wire/messages.js';
