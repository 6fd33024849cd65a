/**
 * A picture of a pipeline: the nodes, groups and edges that `toMermaid` and
 * the dashboard draw, with large groups and long runs of one task collapsed
 * so that a picture stays small whatever the pipeline's size, and each node's
 * state merged from the entries it stands for.
 *
 * @module
 */
import type { EntryState } from './pipeline-summary.js';
import type { PipelineShape, ShapeEntry, ShapeGroup, ShapeTask } from '../ir/shape.js';
import { mergeStates, PENDING_STATE, type EntryStatus } from './entry-state.js';
import { ShapeMap } from './shape-map.js';

/** What a node stands for. */
export type PictureNodeRole = 'task' | 'exceptionally' | 'finally' | 'more' | 'empty';

/** A box in the picture: one task, a run of one task, or the rest of a mixed group. */
export interface PictureNode {
  readonly kind: 'node';
  /** Stable id (`t<uid>`, `m<group uid>`, `e<uid>`), never user text. */
  readonly id: string;
  /** The name shown (not escaped). */
  readonly label: string;
  readonly role: PictureNodeRole;
  /** The task name, for tasks. */
  readonly taskName?: string | undefined;
  /** Entry uids it stands for (for status). */
  readonly uids: readonly number[];
  /** A run of this many consecutive calls of one task, drawn once. */
  readonly repeat: number;
  /** Calls it stands for in all (`repeat` times the branches drawn as one); for `more`, the branches left out. */
  readonly calls: number;
  /** Merged state, when a status was given. */
  readonly state?: EntryState | undefined;
}

/** A group drawn as a frame around its branches. */
export interface PictureGroup {
  readonly kind: 'group';
  /** `g<uid>`. */
  readonly id: string;
  readonly uid: number;
  /** Frame title, e.g. `2 branches` or `× 250,000`. */
  readonly label: string;
  readonly branchCount: number;
  /** Drawn as one branch standing for all (uniform branches) or the first few and the rest. */
  readonly collapsed: boolean;
  readonly branches: readonly PictureChain[];
}

/** One item of a chain. */
export type PictureItem = PictureNode | PictureGroup;

/** Items drawn one after the other. */
export interface PictureChain {
  readonly items: readonly PictureItem[];
}

/** How one item leads to the next. */
export type PictureEdgeKind = 'next' | 'error' | 'finally';

/** An arrow between two nodes. */
export interface PictureEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: PictureEdgeKind;
}

/** A whole picture. */
export interface Picture {
  readonly chain: PictureChain;
  readonly edges: readonly PictureEdge[];
  /** Every node, in drawing order. */
  readonly nodes: readonly PictureNode[];
  /** Whether states were given. */
  readonly coloured: boolean;
}

/**
 * Entry states by uid, as a map, a record, or bare statuses.
 *
 * @example
 * ```ts
 * const status: StatusInput = { 0: 'succeeded', 1: 'running' }; // or view.entries
 * toMermaid(pipeline, { status });
 * ```
 */
export type StatusInput = ReadonlyMap<number, EntryState | EntryStatus> | Readonly<Record<number, EntryState | EntryStatus>>;

/**
 * How a picture is drawn (options of `toMermaid`).
 *
 * @example
 * ```ts
 * const options: PictureOptions = { maxBranches: 4, sampleBranches: 2, minRun: 10, maxLabel: 30 };
 * ```
 */
export interface PictureOptions {
  /** Entry states by uid; nodes are coloured by them. */
  readonly status?: StatusInput | undefined;
  /** Groups with more branches are drawn collapsed; default 8. */
  readonly maxBranches?: number | undefined;
  /** A collapsed group of mixed branches shows this many of them; default 3. */
  readonly sampleBranches?: number | undefined;
  /** This many or more consecutive calls of one task are drawn as one node; default 4 (0: never). */
  readonly minRun?: number | undefined;
  /** Longer names are cut with `…`; default 48. */
  readonly maxLabel?: number | undefined;
}

const EMPTY_STATE = (status: EntryStatus): EntryState => ({ ...PENDING_STATE, status });

function lookup(status: StatusInput | undefined): ((uid: number) => EntryState | undefined) | undefined {
  if (status === undefined) return undefined;
  const get: (uid: number) => EntryState | EntryStatus | undefined =
    status instanceof Map
      ? (uid) => (status as ReadonlyMap<number, EntryState | EntryStatus>).get(uid)
      : (uid) => (Object.prototype.hasOwnProperty.call(status, uid) ? (status as Readonly<Record<number, EntryState | EntryStatus>>)[uid] : undefined);
  return (uid) => {
    const s = get(uid);
    return typeof s === 'string' ? EMPTY_STATE(s) : s;
  };
}

function checkCount(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`flink-tasks: picture option ${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

function cut(label: string, max: number): string {
  const chars = Array.from(label); // code points: a cut never splits a surrogate pair
  return chars.length <= max ? label : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

const count = (n: number): string => n.toLocaleString('en-US');

function groupLabel(g: ShapeGroup, collapsed: boolean): string {
  const parts = [collapsed ? `× ${count(g.branchCount)}` : `${count(g.branchCount)} branch${g.branchCount === 1 ? '' : 'es'}`];
  if (g.maxParallelism > 0) parts.push(`≤ ${count(g.maxParallelism)} at a time`);
  if (!g.ordered) parts.push('unordered');
  if (g.returnExceptions) parts.push('errors as results');
  return parts.join(' · ');
}

const sameTask = (a: ShapeEntry | undefined, b: ShapeEntry | undefined): boolean =>
  a?.kind === 'task' && b?.kind === 'task' && a.role === 'task' && b.role === 'task' && a.taskName === b.taskName && a.displayName === b.displayName;

/**
 * Draws a shape. Equivalent chains (a collapsed group's uniform branches)
 * are drawn once, each node standing for the same step of all of them.
 */
export function drawPicture(shape: PipelineShape, options: PictureOptions = {}): Picture {
  const maxBranches = checkCount('maxBranches', options.maxBranches, 8, 1);
  const sample = checkCount('sampleBranches', options.sampleBranches, 3, 1);
  const minRun = checkCount('minRun', options.minRun, 4, 0);
  const maxLabel = checkCount('maxLabel', options.maxLabel, 48, 2);
  const stateOf = lookup(options.status);
  const map = new ShapeMap(shape);
  const nodes: PictureNode[] = [];

  const node = (id: string, label: string, role: PictureNodeRole, uids: number[], repeat: number, calls: number, taskName?: string): PictureNode => {
    const n: PictureNode = {
      kind: 'node',
      id,
      label: cut(label, maxLabel),
      role,
      uids,
      repeat,
      calls,
      ...(taskName === undefined ? {} : { taskName }),
      ...(stateOf ? { state: mergeStates(uids.map((u) => stateOf(u) ?? PENDING_STATE)) } : {}),
    };
    nodes.push(n);
    return n;
  };

  /** Task uids and group uids of a subtree (for a "more" node). */
  const uidsOf = (chains: readonly PipelineShape[], into: number[]): number[] => {
    for (const c of chains) {
      for (const e of c.entries) {
        if (e.kind === 'task') into.push(e.uid);
        else {
          if (ShapeMap.isCut(e)) into.push(e.uid);
          uidsOf(e.branches, into);
        }
      }
    }
    return into;
  };

  /** Draws `chains` (same structure) as one chain; `folded` is how many branches each stands for. */
  const drawChain = (chains: readonly PipelineShape[], folded: number): PictureChain => {
    const first = chains[0];
    if (!first) return { items: [] };
    const items: PictureItem[] = [];
    const entries = first.entries;
    for (let j = 0; j < entries.length; j++) {
      const entry = entries[j] as ShapeEntry;
      if (entry.kind === 'task') {
        let run = 1;
        if (minRun > 0) while (sameTask(entry, entries[j + run])) run++;
        if (minRun === 0 || run < minRun) run = 1;
        const uids: number[] = [];
        for (const c of chains) for (let k = 0; k < run; k++) uids.push((c.entries[j + k] as ShapeTask).uid);
        items.push(node(`t${entry.uid}`, entry.displayName, entry.role, uids, run, run * folded, entry.taskName));
        j += run - 1;
      } else {
        items.push(
          drawGroup(
            chains.map((c) => c.entries[j] as ShapeGroup),
            folded,
          ),
        );
      }
    }
    if (items.length === 0) items.push(node(`x${nodes.length}`, '(no steps)', 'empty', [], 1, 0));
    return { items };
  };

  const drawGroup = (groups: readonly ShapeGroup[], folded: number): PictureGroup => {
    const g = groups[0] as ShapeGroup;
    const base = { kind: 'group' as const, id: `g${g.uid}`, uid: g.uid, branchCount: g.branchCount };
    if (g.branchCount === 0 || g.branches.length === 0) {
      return { ...base, label: groupLabel(g, false), collapsed: false, branches: [{ items: [node(`e${g.uid}`, '(no branches)', 'empty', [g.uid], 1, 0)] }] };
    }
    const cutGroup = ShapeMap.isCut(g);
    if (!cutGroup && g.branchCount <= maxBranches) {
      return {
        ...base,
        label: groupLabel(g, false),
        collapsed: false,
        branches: g.branches.map((_, b) =>
          drawChain(
            groups.map((x) => x.branches[b] as PipelineShape),
            folded,
          ),
        ),
      };
    }
    if (groups.every((x) => map.uniform(x)) && new Set(groups.map((x) => map.signature(x.branches[0] as PipelineShape))).size === 1) {
      // One branch stands for all: the kept ones are drawn together, the left-out ones were folded onto the first by the index.
      return {
        ...base,
        label: groupLabel(g, true),
        collapsed: true,
        branches: [
          drawChain(
            groups.flatMap((x) => x.branches),
            folded * g.branchCount,
          ),
        ],
      };
    }
    const shown = Math.min(sample, g.branches.length);
    const branches: PictureChain[] = [];
    for (let b = 0; b < shown; b++)
      branches.push(
        drawChain(
          groups.map((x) => x.branches[b] as PipelineShape),
          folded,
        ),
      );
    const restUids = groups.flatMap((x) => uidsOf(x.branches.slice(shown), cutGroup ? [x.uid] : []));
    const rest = g.branchCount - shown;
    branches.push({ items: [node(`m${g.uid}`, `… ${count(rest)} more branch${rest === 1 ? '' : 'es'}`, 'more', restUids, 1, rest * folded)] });
    return { ...base, label: groupLabel(g, true), collapsed: true, branches };
  };

  if (shape.entries.length === 0) {
    const empty = node('x0', '(empty pipeline)', 'empty', [], 1, 0);
    return { chain: { items: [empty] }, edges: [], nodes, coloured: stateOf !== undefined };
  }
  const chain = drawChain([shape], 1);
  return { chain, edges: edgesOf(chain), nodes, coloured: stateOf !== undefined };
}

/** The arrows of a chain: fan-out into groups' branches, fan-in after them, error and finally edges. */
function edgesOf(chain: PictureChain): PictureEdge[] {
  const edges: PictureEdge[] = [];
  const seen = new Set<string>();
  const add = (from: string, to: string, kind: PictureEdgeKind): void => {
    const key = `${from}>${to}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push({ from, to, kind });
  };
  const walk = (c: PictureChain, incoming: readonly string[]): string[] => {
    let pending = [...incoming];
    for (const item of c.items) {
      if (item.kind === 'group') {
        const outs: string[] = [];
        for (const b of item.branches) outs.push(...walk(b, pending));
        pending = [...new Set(outs)];
      } else if (item.role === 'exceptionally') {
        for (const p of pending) add(p, item.id, 'error');
        pending = [...pending, item.id];
      } else if (item.role === 'finally') {
        for (const p of pending) add(p, item.id, 'finally');
        pending = [item.id];
      } else {
        for (const p of pending) add(p, item.id, 'next');
        pending = [item.id];
      }
    }
    return pending;
  };
  walk(chain, []);
  return edges;
}
