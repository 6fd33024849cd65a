/**
 * What the dashboard's pipeline page is sent: the placed picture once, then
 * snapshots of states, steps and summary as the pipeline runs. Everything
 * is bounded by the picture, whatever the pipeline's size.
 *
 * @module
 */
import type { ErrorInfo } from '../observe/pipeline-events.js';
import type { EntryState, PipelineSummary, PipelineView } from '../observe/pipeline-summary.js';
import { toMermaid } from '../observe/mermaid.js';
import { drawPicture, type Picture, type PictureNode } from '../observe/picture.js';
import { layoutPicture, type Layout } from './layout.js';

/** One row of the steps table: a picture node and its merged state. */
export interface StepRow {
  readonly node: string;
  readonly name: string;
  readonly role: PictureNode['role'];
  /** Calls it stands for (`× 250,000`). */
  readonly calls: number;
  readonly status: EntryState['status'];
  readonly started: number;
  readonly done: number;
  readonly failed: number;
  readonly retries: number;
  readonly firstStartedAt?: number | undefined;
  readonly lastFinishedAt?: number | undefined;
  readonly progress?: { readonly fraction: number; readonly message?: string | undefined } | undefined;
  readonly error?: ErrorInfo | undefined;
}

/** A live part of the page. */
export interface Snapshot {
  readonly summary: PipelineSummary;
  readonly steps: readonly StepRow[];
  readonly children: readonly { readonly uid: number; readonly ids: readonly string[] }[];
  /** Server time, to compute running durations. */
  readonly now: number;
}

/** The whole page. */
export interface PageData extends Snapshot {
  readonly layout: Layout;
  readonly mermaid: string;
  readonly actions: boolean;
}

const PICTURE = { maxLabel: 200 } as const;

function steps(picture: Picture): StepRow[] {
  return picture.nodes
    .filter((n) => n.role !== 'empty')
    .map((n) => {
      const s = n.state;
      return {
        node: n.id,
        name: n.label,
        role: n.role,
        calls: n.calls,
        status: s?.status ?? 'pending',
        started: s?.started ?? 0,
        done: s?.done ?? 0,
        failed: s?.failed ?? 0,
        retries: s?.retries ?? 0,
        ...(s?.firstStartedAt === undefined ? {} : { firstStartedAt: s.firstStartedAt }),
        ...(s?.lastFinishedAt === undefined ? {} : { lastFinishedAt: s.lastFinishedAt }),
        ...(s?.progress === undefined ? {} : { progress: s.progress }),
        ...(s?.error === undefined ? {} : { error: s.error }),
      };
    });
}

/** The live part of a view. */
export function snapshotOf(view: PipelineView, now: number): Snapshot {
  return liveParts(view, now, drawPicture(view.shape, { ...PICTURE, status: view.entries }));
}

/** Everything the pipeline page shows. */
export function pageDataOf(view: PipelineView, now: number, actions: boolean): PageData {
  const picture = drawPicture(view.shape, { ...PICTURE, status: view.entries });
  return {
    ...liveParts(view, now, picture),
    layout: layoutPicture(picture),
    mermaid: toMermaid(view.shape, { status: view.entries }),
    actions,
  };
}

function liveParts(view: PipelineView, now: number, picture: ReturnType<typeof drawPicture>): Snapshot {
  return { summary: view.summary, steps: steps(picture), children: [...view.children].map(([uid, ids]) => ({ uid, ids })), now };
}
