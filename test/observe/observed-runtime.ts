/**
 * A LocalRuntime for tests of the dashboard and the CLI: it records the
 * actions that reach it, lets a test publish made-up events (as if the
 * runtime had published them), and exposes its index.
 */
import { LocalRuntime, silentLogger, type FlinkTasks, type PipelineEvent, type PipelineRef } from '../../src/index.js';
import type { PipelineIndex } from '../../src/observe/pipeline-index.js';

const idOf = (p: PipelineRef): string => (typeof p === 'string' ? p : p.id);

export class ObservedRuntime extends LocalRuntime {
  /** Actions that reached this client, e.g. `cancel p1`. */
  readonly actions: string[] = [];

  constructor(tasks: FlinkTasks) {
    super(tasks, { logger: silentLogger });
  }

  /** This runtime (tests written against a wrapper call it `runtime`). */
  get runtime(): LocalRuntime {
    return this;
  }

  /** The index behind list/inspect/watch. */
  get pipelines(): PipelineIndex {
    return this.index;
  }

  /** Feeds an event as if the runtime had published it. */
  publish(event: PipelineEvent): void {
    this.observe(event);
  }

  override pause(p: PipelineRef): Promise<void> {
    this.actions.push(`pause ${idOf(p)}`);
    return super.pause(p);
  }

  override unpause(p: PipelineRef): Promise<void> {
    this.actions.push(`unpause ${idOf(p)}`);
    return super.unpause(p);
  }

  override cancel(p: PipelineRef): Promise<void> {
    this.actions.push(`cancel ${idOf(p)}`);
    return super.cancel(p);
  }
}
