/**
 * Places a {@link Picture} on a plane for the dashboard: chains top to
 * bottom, a group's branches side by side inside a frame, arrows as curves
 * (detouring to the right around boxes in their way, e.g. the success path
 * past an `exceptionally` handler). Pipelines are series-parallel graphs,
 * so nested boxes lay them out exactly; no general graph layout is needed.
 *
 * @module
 */
import type { Picture, PictureChain, PictureEdgeKind, PictureItem, PictureNode, PictureNodeRole } from '../observe/picture.js';

/** A node box. */
export interface PlacedNode {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** Name, cut to fit. */
  readonly label: string;
  /** The full name. */
  readonly title: string;
  readonly role: PictureNodeRole;
  readonly calls: number;
  readonly repeat: number;
}

/** A group frame. */
export interface PlacedGroup {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly label: string;
  readonly collapsed: boolean;
}

/** An arrow: an SVG path. */
export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: PictureEdgeKind;
  /** SVG path data (numbers and commands only). */
  readonly d: string;
  /** Where its label goes, for error and finally arrows. */
  readonly labelAt: readonly [number, number];
}

/** A picture placed on a plane. */
export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly groups: readonly PlacedGroup[];
  readonly edges: readonly PlacedEdge[];
}

const NODE_W = 156;
const NODE_H = 48;
const GAP_Y = 36;
const GAP_X = 20;
const PAD = 14;
const HEADER = 22;
const MARGIN = 16;
const LABEL_CHARS = 20;

interface Size {
  readonly w: number;
  readonly h: number;
}

const cut = (s: string): string => {
  const chars = Array.from(s); // code points: a cut never splits a surrogate pair
  return chars.length <= LABEL_CHARS ? s : `${chars.slice(0, LABEL_CHARS - 1).join('')}…`;
};

/** Lays out a picture. */
export function layoutPicture(picture: Picture): Layout {
  const sizes = new Map<PictureItem | PictureChain, Size>();
  const chainSize = (c: PictureChain): Size => {
    let w = 0;
    let h = 0;
    c.items.forEach((item, i) => {
      const s = itemSize(item);
      w = Math.max(w, s.w);
      h += s.h + (i > 0 ? GAP_Y : 0);
    });
    const size = { w, h };
    sizes.set(c, size);
    return size;
  };
  const itemSize = (item: PictureItem): Size => {
    let size: Size;
    if (item.kind === 'node') size = { w: NODE_W, h: NODE_H };
    else {
      let w = 0;
      let h = 0;
      item.branches.forEach((b, i) => {
        const s = chainSize(b);
        w += s.w + (i > 0 ? GAP_X : 0);
        h = Math.max(h, s.h);
      });
      size = { w: Math.max(w + 2 * PAD, 120), h: h + HEADER + 2 * PAD };
    }
    sizes.set(item, size);
    return size;
  };
  const total = chainSize(picture.chain);

  const nodes: PlacedNode[] = [];
  const groups: PlacedGroup[] = [];
  const byId = new Map<string, PlacedNode>();
  const placeChain = (c: PictureChain, x: number, y: number, w: number): void => {
    let top = y;
    for (const item of c.items) {
      const s = sizes.get(item) as Size;
      const left = x + (w - s.w) / 2;
      if (item.kind === 'node') {
        const n = placeNode(item, left, top);
        nodes.push(n);
        byId.set(n.id, n);
      } else {
        groups.push({ id: item.id, x: left, y: top, w: s.w, h: s.h, label: item.label, collapsed: item.collapsed });
        let bx = left + PAD;
        const inner = s.w - 2 * PAD;
        const used = item.branches.reduce((sum, b, i) => sum + (sizes.get(b) as Size).w + (i > 0 ? GAP_X : 0), 0);
        bx += (inner - used) / 2;
        for (const b of item.branches) {
          const bs = sizes.get(b) as Size;
          placeChain(b, bx, top + HEADER + PAD, bs.w);
          bx += bs.w + GAP_X;
        }
      }
      top += s.h + GAP_Y;
    }
  };
  placeChain(picture.chain, MARGIN, MARGIN, total.w);

  const edges = picture.edges.flatMap((e): PlacedEdge[] => {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    return a && b ? [route(e.from, e.to, e.kind, a, b, nodes)] : [];
  });
  const right = Math.max(total.w + MARGIN, ...edges.map((e) => detourOf(e) + 24));
  return { width: Math.ceil(right + MARGIN), height: Math.ceil(total.h + 2 * MARGIN), nodes, groups, edges };
}

function placeNode(n: PictureNode, x: number, y: number): PlacedNode {
  return {
    id: n.id,
    x: Math.round(x),
    y: Math.round(y),
    w: NODE_W,
    h: NODE_H,
    label: cut(n.label),
    title: n.label,
    role: n.role,
    calls: n.calls,
    repeat: n.repeat,
  };
}

const detours = new WeakMap<PlacedEdge, number>();
const detourOf = (e: PlacedEdge): number => detours.get(e) ?? 0;
const r1 = (v: number): number => Math.round(v * 10) / 10;

/** A curve from `a`'s bottom to `b`'s top, or around the boxes in its way. */
function route(from: string, to: string, kind: PictureEdgeKind, a: PlacedNode, b: PlacedNode, all: readonly PlacedNode[]): PlacedEdge {
  const sx = a.x + a.w / 2;
  const sy = a.y + a.h;
  const tx = b.x + b.w / 2;
  const ty = b.y;
  const lo = Math.min(sx, tx);
  const hi = Math.max(sx, tx);
  const blocking = all.filter((n) => n !== a && n !== b && n.y < ty && n.y + n.h > sy && n.x < hi + 4 && n.x + n.w > lo - 4);
  if (blocking.length === 0) {
    const dy = Math.max(12, (ty - sy) / 2);
    const d = `M${r1(sx)},${r1(sy)} C${r1(sx)},${r1(sy + dy)} ${r1(tx)},${r1(ty - dy)} ${r1(tx)},${r1(ty)}`;
    return { from, to, kind, d, labelAt: [r1((sx + tx) / 2 + 6), r1((sy + ty) / 2)] };
  }
  // Around the right of whatever is in the way: out of a's right side, down, into b's right side.
  const x = Math.max(a.x + a.w, b.x + b.w, ...blocking.map((n) => n.x + n.w)) + 18;
  const ay = a.y + a.h / 2;
  const by = b.y + b.h / 2;
  const d = `M${r1(a.x + a.w)},${r1(ay)} C${r1(x)},${r1(ay)} ${r1(x)},${r1(ay)} ${r1(x)},${r1(ay + 14)} L${r1(x)},${r1(by - 14)} C${r1(x)},${r1(by)} ${r1(x)},${r1(by)} ${r1(b.x + b.w)},${r1(by)}`;
  const edge: PlacedEdge = { from, to, kind, d, labelAt: [r1(x + 4), r1((ay + by) / 2)] };
  detours.set(edge, x);
  return edge;
}
