/**
 * What every step of the executor works with, and the narrowed form of it
 * once a run is loaded: record, progress and IR all present.
 *
 * @module
 */
import type { FunctionAddress } from '../core/address.js';
import type { PipelineNode } from '../ir/nodes.js';
import { DEFAULT_SEGMENT_LENGTH, segmentLongChains } from '../ir/segment.js';
import { splitLargeGroups } from '../ir/split.js';
import type { PipelineProgress, PipelineRecord } from '../wire/generated/flinktasks.js';
import { pipelineFromWire } from '../wire/pipeline.js';
import type { ExecutorConfig } from './config.js';
import type { Effects, PipelineSession } from './effects.js';

/** One message being handled at one pipeline address. */
export interface Step {
  readonly config: ExecutorConfig;
  readonly self: FunctionAddress;
  readonly session: PipelineSession;
  readonly effects: Effects;
}

/** A step on an address that holds a run. */
export interface ActiveRun extends Step {
  readonly record: PipelineRecord;
  readonly progress: PipelineProgress;
  /** The run's pipeline as this key runs it (split and segmented). */
  readonly ir: PipelineNode;
}

/** The last run loaded for each session, reused while nothing it holds has changed (the messages of a batch). */
const loaded = new WeakMap<PipelineSession, ActiveRun>();

/** The run held at the step's address, or `undefined` if it holds none. */
export function loadRun(step: Step): ActiveRun | undefined {
  const { session } = step;
  const { record, progress } = session;
  if (!record || !progress) return undefined;
  if (!session.ir) {
    if (!record.pipeline) throw new Error('the pipeline record holds no pipeline');
    session.ir = boundedPipeline(pipelineFromWire(record.pipeline), step.config);
  }
  const last = loaded.get(session);
  if (
    last?.effects === step.effects &&
    last.record === record &&
    last.progress === progress &&
    last.ir === session.ir &&
    last.self === step.self &&
    last.config === step.config
  )
    return last;
  const run: ActiveRun = { config: step.config, self: step.self, session, effects: step.effects, record, progress, ir: session.ir };
  loaded.set(session, run);
  return run;
}

/** Marks the run's progress as changed (written back at the end of the batch). */
export function touch(run: ActiveRun): void {
  run.session.progressChanged = true;
}

/** The pipeline as a key runs it: large groups split, long chains segmented (deterministic). */
export function boundedPipeline(ir: PipelineNode, config: ExecutorConfig): PipelineNode {
  return segmentLongChains(splitLargeGroups(ir, config.groupSplitThreshold), config.chainSegmentLength ?? DEFAULT_SEGMENT_LENGTH);
}
