/**
 * Where a task uid lands in a {@link PipelineShape}. A shape keeps only the
 * first branches of a large group, yet task events name every branch's
 * uids; this map folds a uid of a branch the shape left out onto the same
 * step of the group's first branch (when the branches have one structure),
 * or onto the group itself (when they do not).
 *
 * Uids are numbered in pre-order (a group, then its branches' entries, then
 * what follows it), so a group's branches take consecutive uid ranges of
 * equal length when they share one structure.
 *
 * @module
 */
import type { PipelineShape, ShapeEntry, ShapeGroup } from '../ir/shape.js';

/** Where an entry sits: its enclosing group and branch, if any. */
interface Placement {
  readonly entry: ShapeEntry;
  readonly group: ShapeGroup | undefined;
  readonly branch: number;
}

/**
 * A structural fingerprint of a branch: kinds, names, roles and group sizes.
 * Two branches with one signature have the same uid layout.
 */
export function signatureOf(shape: PipelineShape): string {
  return shape.entries.map(entrySignature).join(';');
}

function entrySignature(entry: ShapeEntry): string {
  if (entry.kind === 'task') return `t:${entry.role}:${entry.taskName.length}:${entry.taskName}:${entry.displayName.length}:${entry.displayName}`;
  return `g:${entry.branchCount}:${entry.branches.length}[${entry.branches.map(signatureOf).join('|')}]`;
}

/**
 * An index of one pipeline's shape: which uids it knows, and how unknown
 * uids of cut groups fold onto known ones.
 */
export class ShapeMap {
  readonly #placements = new Map<number, Placement>();
  /** Known uids, ascending. */
  readonly #known: number[] = [];
  /** Uids a group's subtree takes (itself included); undefined when it cannot be known. */
  readonly #span = new Map<ShapeGroup, number | undefined>();
  /** Whether every kept branch of the group has one structure. */
  readonly #uniform = new Map<ShapeGroup, boolean>();
  readonly #signatures = new Map<PipelineShape, string>();
  readonly #branchSpans = new Map<PipelineShape, number | undefined>();
  #taskUids: number[] | undefined;

  constructor(readonly shape: PipelineShape) {
    this.#index(shape, undefined, 0);
    this.#known.sort((a, b) => a - b);
  }

  #index(pipeline: PipelineShape, group: ShapeGroup | undefined, branch: number): void {
    for (const entry of pipeline.entries) {
      this.#placements.set(entry.uid, { entry, group, branch });
      this.#known.push(entry.uid);
      if (entry.kind === 'group')
        entry.branches.forEach((b, i) => {
          this.#index(b, entry, i);
        });
    }
  }

  /** The group with this uid, if the shape holds it. */
  group(uid: number): ShapeGroup | undefined {
    const p = this.#placements.get(uid);
    return p?.entry.kind === 'group' ? p.entry : undefined;
  }

  /** Every task uid the shape holds, in pre-order. */
  taskUids(): readonly number[] {
    this.#taskUids ??= this.#known.filter((u) => this.#placements.get(u)?.entry.kind === 'task');
    return this.#taskUids;
  }

  /** The cached signature of a branch. */
  signature(branch: PipelineShape): string {
    let s = this.#signatures.get(branch);
    if (s === undefined) {
      s = signatureOf(branch);
      this.#signatures.set(branch, s);
    }
    return s;
  }

  /** Whether all kept branches of `group` share one structure (true for 0 or 1 branch). */
  uniform(group: ShapeGroup): boolean {
    let u = this.#uniform.get(group);
    if (u === undefined) {
      const first = group.branches[0];
      u = first === undefined || group.branches.every((b) => this.signature(b) === this.signature(first));
      this.#uniform.set(group, u);
    }
    return u;
  }

  /** Whether the shape left out some of the group's branches. */
  static isCut(group: ShapeGroup): boolean {
    return group.branches.length < group.branchCount;
  }

  /** Uids a branch takes, if they can be known. */
  branchSpan(branch: PipelineShape): number | undefined {
    if (this.#branchSpans.has(branch)) return this.#branchSpans.get(branch);
    const span = this.#computeBranchSpan(branch);
    this.#branchSpans.set(branch, span);
    return span;
  }

  #computeBranchSpan(branch: PipelineShape): number | undefined {
    let total = 0;
    for (const entry of branch.entries) {
      const s = entry.kind === 'task' ? 1 : this.groupSpan(entry);
      if (s === undefined) return undefined;
      total += s;
    }
    return total;
  }

  /** Uids a group's subtree takes, itself included, if they can be known. */
  groupSpan(group: ShapeGroup): number | undefined {
    if (this.#span.has(group)) return this.#span.get(group);
    let span: number | undefined;
    if (!ShapeMap.isCut(group)) {
      span = 1;
      for (const b of group.branches) {
        const s = this.branchSpan(b);
        if (s === undefined) {
          span = undefined;
          break;
        }
        span += s;
      }
    } else {
      const first = group.branches[0];
      const s = first === undefined || !this.uniform(group) ? undefined : this.branchSpan(first);
      span = s === undefined ? undefined : 1 + s * group.branchCount;
    }
    this.#span.set(group, span);
    return span;
  }

  /** Enclosing groups of a known entry, innermost first. */
  #ancestors(uid: number): { group: ShapeGroup; branch: number }[] {
    const out: { group: ShapeGroup; branch: number }[] = [];
    let p = this.#placements.get(uid);
    while (p?.group) {
      out.push({ group: p.group, branch: p.branch });
      p = this.#placements.get(p.group.uid);
    }
    return out;
  }

  /**
   * The uid a task event's uid counts under: itself if the shape holds it;
   * for a uid in a left-out branch, the same step of the group's first
   * branch (uniform branches) or the group's uid (mixed branches);
   * `undefined` if the uid is nowhere in the shape. `branch` is the
   * event's branch index, used when `uid` names a group.
   */
  resolve(uid: number, branch?: number): number | undefined {
    const placed = this.#placements.get(uid);
    if (placed) {
      if (placed.entry.kind === 'task') return uid;
      return this.#resolveGroupBranch(placed.entry, branch);
    }
    return this.#resolveUnknown(uid, 0);
  }

  /** An event naming a group with a branch index: the branch's first task. */
  #resolveGroupBranch(group: ShapeGroup, branch: number | undefined): number {
    if (branch === undefined || branch < 0 || branch >= group.branchCount) return group.uid;
    const kept = group.branches[branch];
    if (kept) {
      const first = kept.entries[0];
      return first?.kind === 'task' ? first.uid : group.uid;
    }
    const template = group.branches[0]?.entries[0];
    return this.uniform(group) && template?.kind === 'task' ? template.uid : group.uid;
  }

  #resolveUnknown(uid: number, depth: number): number | undefined {
    if (depth > 64) return undefined;
    const before = this.#predecessor(uid);
    if (before === undefined) return undefined;
    const candidates: ShapeGroup[] = [];
    const self = this.group(before);
    if (self) candidates.push(self);
    for (const a of this.#ancestors(before)) candidates.push(a.group);
    for (const g of candidates) {
      if (!ShapeMap.isCut(g)) {
        const span = this.groupSpan(g);
        if (span !== undefined && uid < g.uid + span) return undefined; // inside a fully kept group, yet unknown
        continue;
      }
      const span = this.groupSpan(g);
      if (span !== undefined && uid >= g.uid + span) continue; // beyond this group: try the enclosing one
      const first = g.branches[0];
      const branchSpan = first === undefined ? undefined : this.branchSpan(first);
      if (!this.uniform(g) || branchSpan === undefined || branchSpan === 0) return g.uid;
      const offset = (uid - g.uid - 1) % branchSpan;
      const index = Math.floor((uid - g.uid - 1) / branchSpan);
      const folded = index < g.branches.length ? uid : g.uid + 1 + offset;
      if (folded === uid) return g.uid;
      return this.#placements.has(folded) ? this.resolve(folded) : this.#resolveUnknown(folded, depth + 1);
    }
    return undefined;
  }

  /** The largest known uid below `uid`. */
  #predecessor(uid: number): number | undefined {
    const k = this.#known;
    let lo = 0;
    let hi = k.length - 1;
    let found: number | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = k[mid] as number;
      if (v < uid) {
        found = v;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /**
   * How many task calls count under `uid` after folding: 1 for a plain
   * task, more for a step of a cut group's first branch, `undefined` for a
   * group's catch-all (its left-out mixed branches).
   */
  weight(uid: number): number | undefined {
    const placed = this.#placements.get(uid);
    if (!placed || placed.entry.kind === 'group') return undefined;
    let w = 1;
    for (const { group, branch } of this.#ancestors(uid)) {
      if (branch === 0 && ShapeMap.isCut(group) && this.uniform(group) && this.groupSpan(group) !== undefined) {
        w *= group.branchCount - group.branches.length + 1;
      }
    }
    return w;
  }
}
