/**
 * Keeping state from growing with every pipeline ever run: a finished
 * child's state goes at once (nobody asks a finished child anything); a
 * top-level pipeline's goes when its retention ends, through a delayed
 * message to itself.
 *
 * @module
 */
import { DEFAULT_FINISHED_RETENTION_MS } from '../core/defaults.js';
import { TaskAction } from '../wire/generated/flinktasks.js';
import { EXPIRY_TOKEN_PREFIX } from './config.js';
import { actionMessage } from './messages.js';
import type { PipelineSession } from './effects.js';
import type { ActiveRun } from './run.js';

/** Drops a finished run's state now (children) or schedules its expiry (top-level pipelines). */
export function retire(run: ActiveRun): void {
  const { record, self, config } = run;
  if (record.isChild) {
    forget(run.session);
    return;
  }
  const retention = config.finishedRetentionMs ?? DEFAULT_FINISHED_RETENTION_MS;
  if (retention <= 0) return;
  run.effects.sendAfter({
    ...actionMessage(self, TaskAction.EXPIRE_PIPELINE, String(record.run)),
    delayMs: retention,
    cancellationToken: `${EXPIRY_TOKEN_PREFIX}${self.id}:${record.run}`,
  });
}

/** Deletes the address's state. */
export function forget(session: PipelineSession): void {
  session.record = undefined;
  session.progress = undefined;
  session.ir = undefined;
  session.recordChanged = true;
  session.progressChanged = true;
}
