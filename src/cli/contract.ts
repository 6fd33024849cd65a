/**
 * What the command line needs from its surroundings (a client, its
 * connection, its input and output) and the exit codes it promises.
 *
 * @module
 */
import type { TasksClient } from '../client/tasks-client.js';
import type { PipelineObserver } from '../observe/pipeline-summary.js';

/** A client the CLI can use. */
export type ObservedClient = TasksClient & PipelineObserver;

/** Where to reach the runtime, from flags and environment. */
export interface ConnectionConfig {
  readonly brokers: readonly string[];
  readonly requestTopic?: string | undefined;
  readonly replyTopic?: string | undefined;
  readonly eventsTopic?: string | undefined;
  readonly timeoutMs: number;
}

/** Makes the client the commands run against. */
export type Connect = (config: ConnectionConfig) => Promise<ObservedClient>;

/** What the CLI reads and writes. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean | undefined };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Settles when the user asks to stop (Ctrl-C); `dashboard` and `watch` end then. */
  readonly stopped: Promise<void>;
  /** Clock; default `Date.now`. */
  readonly now?: () => number;
}

/** Exit codes. */
export const EXIT = Object.freeze({
  ok: 0,
  /** The pipeline failed, was cancelled, has no result yet, or the action was refused. */
  pipelineFailed: 1,
  /** Bad command line, or kafkajs (an optional peer dependency) is not installed. */
  usage: 2,
  /** No pipeline with that id. */
  unknownId: 3,
  /** The runtime could not be reached or answered with an error. */
  unreachable: 4,
});
