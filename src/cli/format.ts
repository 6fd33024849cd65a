/**
 * Text the CLI prints: tables, times, durations, a progress line.
 *
 * @module
 */
import type { PipelineSummary, PipelineView } from '../observe/pipeline-summary.js';
import type { ShapeEntry, PipelineShape } from '../ir/shape.js';

/** `12 ms`, `3.4 s`, `5 min 02 s`, `2 h 05 min`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** A time as `2026-11-24 10:00:01` (UTC). */
export function timestamp(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

/** Removes control characters (a name or message cannot move the cursor or colour the terminal). */
export function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    out += c < 0x20 || (c >= 0x7f && c < 0xa0) || c === 0x2028 || c === 0x2029 ? (ch === '\n' ? '⏎' : ch === '\t' ? ' ' : '�') : ch;
  }
  return out;
}

/** Characters as the terminal counts them: code points, not UTF-16 units. */
const width = (s: string): number => Array.from(s).length;

/** Left-aligned columns separated by two spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cols = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat((cols[i] ?? 0) - width(c))))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Task counts of a summary: `3/5` with failures. */
export function taskCounts(s: PipelineSummary): string {
  return `${s.tasks.done}/${s.tasks.total}${s.tasks.failed > 0 ? ` (${s.tasks.failed} failed)` : ''}`;
}

/** One line of an error: `TypeError: boom (in task fail)`. */
export function errorLine(e: PipelineSummary['error']): string {
  if (!e) return '';
  return printable(`${e.errorType}: ${e.message}${e.taskName ? ` (in task ${e.taskName})` : ''}`);
}

/** The rows of `list`. */
export function listTable(list: readonly PipelineSummary[], now: number): string {
  if (list.length === 0) return 'no pipelines seen\n';
  return table(
    ['ID', 'STATUS', 'TASKS', 'SUBMITTED', 'TOOK', 'ERROR'],
    list.map((s) => [
      printable(s.id),
      s.status,
      taskCounts(s),
      timestamp(s.submittedAt),
      duration((s.finishedAt ?? now) - s.submittedAt) + (s.finishedAt === undefined ? ' …' : ''),
      errorLine(s.error).slice(0, 80),
    ]),
  );
}

function tasksOf(shape: PipelineShape, into: Map<number, string>): Map<number, string> {
  const walk = (entries: readonly ShapeEntry[]): void => {
    for (const e of entries) {
      if (e.kind === 'task') into.set(e.uid, e.displayName);
      else for (const b of e.branches) walk(b.entries);
    }
  };
  walk(shape.entries);
  return into;
}

/** What `status` prints. */
export function statusReport(id: string, status: string, view: PipelineView | undefined, now: number): string {
  const lines = [`pipeline   ${printable(id)}`, `status     ${status}`];
  if (!view) {
    lines.push('(no events of this pipeline were seen: only its status is known)');
    return lines.join('\n') + '\n';
  }
  const s = view.summary;
  lines.push(`origin     ${s.origin}${s.parentId ? ` (started by ${printable(s.parentId)})` : ''}`);
  lines.push(`submitted  ${timestamp(s.submittedAt)}`);
  if (s.finishedAt !== undefined) lines.push(`finished   ${timestamp(s.finishedAt)} (took ${duration(s.finishedAt - s.submittedAt)})`);
  else lines.push(`running    for ${duration(now - s.submittedAt)}`);
  lines.push(`tasks      ${taskCounts(s)}`);
  if (s.error) {
    lines.push(`error      ${errorLine(s.error)}`);
    if (s.error.stack)
      lines.push(
        ...s.error.stack
          .split('\n')
          .slice(1, 6)
          .map((l) => `           ${printable(l.trim())}`),
      );
  }
  for (const [uid, ids] of view.children) lines.push(`child      ${ids.map(printable).join(', ')}${uid >= 0 ? ` (from step ${uid})` : ''}`);
  const names = tasksOf(view.shape, new Map());
  const rows = [...view.entries]
    .sort(([a], [b]) => a - b)
    .map(([uid, e]) => [
      String(uid),
      printable(names.get(uid) ?? '?'),
      e.status,
      `${e.done}/${e.started}${e.failed ? ` (${e.failed} failed)` : ''}${e.retries ? `, ${e.retries} retries` : ''}`,
      e.firstStartedAt === undefined ? '' : duration((e.lastFinishedAt ?? now) - e.firstStartedAt),
      e.progress
        ? `${Math.round(e.progress.fraction * 100)}%${e.progress.message ? ` ${printable(e.progress.message)}` : ''}`
        : errorLine(e.error).slice(0, 60),
    ]);
  if (rows.length > 0) {
    lines.push('');
    lines.push(table(['STEP', 'TASK', 'STATUS', 'DONE/STARTED', 'TIME', 'NOTE'], rows).trimEnd());
  }
  return lines.join('\n') + '\n';
}

/** The live line of `watch`: `RUNNING [#####-----] 50% 5/10 tasks 1.2 s · load 40% fetching`. */
export function progressLine(view: PipelineView, now: number, barWidth = 20): string {
  const s = view.summary;
  const total = Math.max(1, s.tasks.total);
  const fraction = Math.min(1, (s.tasks.done + s.tasks.failed) / total);
  const filled = Math.round(fraction * barWidth);
  const parts = [
    s.status.padEnd(10),
    `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`,
    `${String(Math.floor(fraction * 100)).padStart(3)}%`,
    `${s.tasks.done}/${s.tasks.total} tasks`,
  ];
  if (s.tasks.failed > 0) parts.push(`${s.tasks.failed} failed`);
  parts.push(duration((s.finishedAt ?? now) - s.submittedAt));
  const names = tasksOf(view.shape, new Map());
  const running = [...view.entries].find(([, e]) => e.status === 'running' && e.progress);
  if (running) {
    const [uid, e] = running;
    parts.push(
      `· ${printable(names.get(uid) ?? '?')} ${Math.round((e.progress?.fraction ?? 0) * 100)}%${e.progress?.message ? ` ${printable(e.progress.message)}` : ''}`,
    );
  }
  return parts.join('  ');
}
