/**
 * Approximate encoded sizes of values, cheap enough to keep a running total
 * (no encoding): within a few bytes per item of the real protobuf size.
 *
 * @module
 */
import type { TaskException, Value } from './generated/flinktasks.js';

/** Approximate encoded size of a wire value (exact for an encoded one). */
export function valueBytes(value: Value | Uint8Array | undefined): number {
  if (value instanceof Uint8Array) return value.byteLength;
  const kind = value?.kind;
  switch (kind?.$case) {
    case 'json':
      return kind.value.byteLength + 4;
    case 'list': {
      let total = 4;
      for (const item of kind.value.items) total += valueBytes(item) + 2;
      return total;
    }
    case 'error':
      return exceptionBytes(kind.value);
    default:
      return 2;
  }
}

/** Approximate encoded size of an error (messages and stacks counted as UTF-16 units). */
export function exceptionBytes(e: TaskException): number {
  let total = 32 + e.exceptionType.length + e.exceptionMessage.length + e.stacktrace.length + e.id.length + e.taskName.length + (e.state?.byteLength ?? 0);
  for (const inner of e.errors) total += exceptionBytes(inner);
  return total;
}

/** Human-readable byte count, e.g. `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
