/**
 * Pipelines as Mermaid flowcharts.
 *
 * @module
 */
import type { PipelineLike } from '../dsl/types.js';
import type { PipelineNode } from '../ir/nodes.js';
import { shapeOf, type PipelineShape } from '../ir/shape.js';
import type { EntryStatus } from './entry-state.js';
import { drawPicture, type PictureChain, type PictureEdgeKind, type PictureNode, type PictureOptions } from './picture.js';

/**
 * Options of {@link toMermaid}.
 *
 * @example
 * ```ts
 * const text = toMermaid(pipeline, { status: { 0: 'succeeded', 1: 'running' }, maxBranches: 4, direction: 'LR' });
 * ```
 */
export interface MermaidOptions extends PictureOptions {
  /** Flow direction: top-down (default) or left-to-right. */
  readonly direction?: 'TD' | 'LR';
}

/** Fill, stroke and text colours of each status (also used by the dashboard). */
export const STATUS_COLOURS: Readonly<Record<EntryStatus, { readonly fill: string; readonly stroke: string; readonly text: string }>> = Object.freeze({
  pending: { fill: '#f1f3f5', stroke: '#868e96', text: '#343a40' },
  running: { fill: '#d0ebff', stroke: '#1971c2', text: '#0b3d91' },
  succeeded: { fill: '#d3f9d8', stroke: '#2f9e44', text: '#0b4d1c' },
  failed: { fill: '#ffe3e3', stroke: '#e03131', text: '#6b0f0f' },
  skipped: { fill: '#fff3bf', stroke: '#f08c00', text: '#5c3c00' },
});

const SAFE = /^[A-Za-z0-9 _.,:/()-]$/u;

/**
 * Text for inside a quoted Mermaid label: every character that is not a
 * letter, digit, space or one of `_.,:/()-` becomes a numeric entity
 * (`#34;`), so a name can neither close the label nor start a directive.
 */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of text) out += SAFE.test(ch) ? ch : `#${ch.codePointAt(0) ?? 63};`;
  return out;
}

const ARROWS: Record<PictureEdgeKind, (from: string, to: string) => string> = {
  next: (a, b) => `${a} --> ${b}`,
  error: (a, b) => `${a} -. on error .-> ${b}`,
  finally: (a, b) => `${a} == finally ==> ${b}`,
};

function nodeText(n: PictureNode): string {
  const calls = n.repeat > 1 ? ` × ${n.repeat.toLocaleString('en-US')}` : '';
  const label = `"${mermaidText(n.label + calls)}"`;
  switch (n.role) {
    case 'exceptionally':
      return `${n.id}{{${label}}}`;
    case 'finally':
      return `${n.id}([${label}])`;
    case 'more':
    case 'empty':
      return `${n.id}[/${label}/]`;
    default:
      return `${n.id}(${label})`;
  }
}

function isPipelineLike(x: PipelineLike<unknown> | PipelineNode | PipelineShape): x is PipelineLike<unknown> {
  return typeof (x as Partial<PipelineLike<unknown>>).toIR === 'function';
}

function isPipelineNode(x: PipelineNode | PipelineShape): x is PipelineNode {
  return (x as Partial<PipelineNode>).kind === 'Pipeline';
}

/**
 * A Mermaid flowchart of a pipeline: tasks as nodes named by their display
 * name, groups as subgraphs with arrows fanning out to each branch and in
 * after them, `exceptionally` handlers (hexagons) reached by dotted
 * "on error" arrows, `finallyDo` tasks (stadiums) by thick "finally"
 * arrows. Groups with more than `maxBranches` branches collapse: uniform
 * branches are drawn once in a subgraph titled `× 250,000`, mixed ones as
 * the first few and a "… more branches" node; four or more consecutive calls
 * of one task are drawn as one node `name × 10,000`. With `status` (entry
 * states or bare statuses by uid, e.g. a `PipelineView`'s `entries`), nodes
 * get the classes `pending`, `running`, `succeeded`, `failed` or `skipped`.
 * Names are escaped as entities, so no name can break or extend the chart.
 *
 * @example
 * ```ts
 * const picture = toMermaid(inParallel(['BT.L', 'BP.L'].map((s) => loadTimeseries.send(s).continueWith(computeStdDev))).continueWith(computeAverage));
 * // flowchart TD
 * //   subgraph g0["2 branches"]
 * //     t1("loadTimeseries")
 * //     t2("computeStdDev")
 * //     …
 * //   end
 * //   t5("computeAverage")
 * //   t1 --> t2
 * //   t2 --> t5
 * //   …
 * const view = await client.inspect(id);
 * if (view) console.log(toMermaid(view.shape, { status: view.entries }));
 * ```
 */
export function toMermaid(pipeline: PipelineLike<unknown> | PipelineNode | PipelineShape, options: MermaidOptions = {}): string {
  const direction = options.direction ?? 'TD';
  if (direction !== 'TD' && direction !== 'LR') throw new RangeError(`flink-tasks: toMermaid direction must be 'TD' or 'LR', got ${String(direction)}`);
  const shape = isPipelineLike(pipeline) ? shapeOf(pipeline.toIR()) : isPipelineNode(pipeline) ? shapeOf(pipeline) : pipeline;
  if (shape === null || typeof shape !== 'object' || !Array.isArray(shape.entries)) {
    throw new TypeError('flink-tasks: toMermaid takes a pipeline, a PipelineNode (IR) or a PipelineShape');
  }
  const picture = drawPicture(shape, options);
  const lines = [`flowchart ${direction}`];
  const emit = (chain: PictureChain, indent: string): void => {
    for (const item of chain.items) {
      if (item.kind === 'node') lines.push(`${indent}${nodeText(item)}`);
      else {
        lines.push(`${indent}subgraph ${item.id}["${mermaidText(item.label)}"]`);
        for (const b of item.branches) emit(b, `${indent}  `);
        lines.push(`${indent}end`);
      }
    }
  };
  emit(picture.chain, '  ');
  for (const e of picture.edges) lines.push(`  ${ARROWS[e.kind](e.from, e.to)}`);
  if (picture.coloured) {
    const byStatus = new Map<EntryStatus, string[]>();
    for (const n of picture.nodes) {
      if (n.role === 'empty' || !n.state) continue;
      const list = byStatus.get(n.state.status) ?? [];
      list.push(n.id);
      byStatus.set(n.state.status, list);
    }
    for (const [status, c] of Object.entries(STATUS_COLOURS)) {
      lines.push(`  classDef ${status} fill:${c.fill},stroke:${c.stroke},color:${c.text}${status === 'skipped' ? ',stroke-dasharray:4 3' : ''}`);
    }
    for (const [status, ids] of byStatus) lines.push(`  class ${ids.join(',')} ${status}`);
  }
  return `${lines.join('\n')}\n`;
}
