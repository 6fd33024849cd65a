/**
 * How a finished group turns into one value or one error, and how branch
 * states merge.
 *
 * @module
 */
import { ErrorCode } from '../core/error-codes.js';
import { branchCount, type GroupEntryNode } from '../ir/nodes.js';
import type { TaskException } from '../wire/generated/flinktasks.js';
import { errorValueBytes, jsonValueBytes, listValueBytes } from '../wire/value-bytes.js';
import { decodeJson, encodeJson } from '../wire/values.js';
import { exception } from './messages.js';
import type { Slot } from './slots.js';

/** The outcome of a group: a list value or an aggregated error. */
export type GroupOutcome = { readonly value: Uint8Array } | { readonly error: TaskException };

/**
 * Combines the finished branches of `group` (slots in completion order).
 * Ordered groups list results by branch index, unordered ones by completion.
 * Failed branches make an aggregated error listing each in declaration order,
 * unless `returnExceptions` puts them in their slots. A `flatten` group
 * concatenates its branches' lists and re-numbers their errors.
 */
export function groupOutcome(group: GroupEntryNode, slots: readonly Slot[]): GroupOutcome {
  const byIndex = [...slots].sort((a, b) => a.index - b.index);
  const results = group.ordered ? byIndex : slots;
  const offsets = group.flatten ? branchOffsets(group) : undefined;

  const failures: TaskException[] = [];
  for (const slot of byIndex) {
    if (!slot.error) continue;
    if (offsets !== undefined) {
      const offset = offsets[slot.index] ?? 0;
      const inner = slot.error.exceptionType === ErrorCode.GroupFailed && slot.error.errors.length > 0 ? slot.error.errors : [slot.error];
      for (const e of inner) failures.push({ ...e, branch: e.branch + offset });
    } else {
      failures.push({ ...slot.error, branch: slot.index });
    }
  }

  if (failures.length > 0 && !group.returnExceptions) {
    return { error: aggregateError(failures, offsets ? (offsets[offsets.length - 1] ?? 0) : branchCount(group)) };
  }

  // The list is its items' bytes side by side: nothing is decoded or re-encoded.
  const parts = results.map((slot) => ({
    bytes: slot.error ? errorValueBytes(slot.error) : slot.value && slot.value.byteLength > 0 ? slot.value : undefinedValue(),
    spread: group.flatten,
  }));
  return { value: listValueBytes(parts) };
}

/** Start index of each branch's results in a flattened group (plus the total at the end). */
function branchOffsets(group: GroupEntryNode): number[] {
  const offsets = [0];
  let total = 0;
  for (const b of group.branches) {
    const inner = b.entries[0];
    total += inner?.kind === 'GroupEntry' ? branchCount(inner) : 1;
    offsets.push(total);
  }
  return offsets;
}

function aggregateError(failures: readonly TaskException[], total: number): TaskException {
  const summary = failures
    .slice(0, 3)
    .map((f) => `branch ${f.branch}${f.taskName ? ` (${f.taskName})` : ''}: ${f.exceptionType}: ${f.exceptionMessage}`)
    .join('; ');
  return exception(ErrorCode.GroupFailed, `${failures.length} of ${total} branches failed: ${summary}${failures.length > 3 ? '; …' : ''}`, {
    id: failures[0]?.id ?? '',
    errors: [...failures],
  });
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  const x = a ?? EMPTY;
  const y = b ?? EMPTY;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
const EMPTY = new Uint8Array(0);
let undefinedBytes: Uint8Array | undefined;
/** The encoded Value of `undefined` (a branch that produced no value). */
export function undefinedValue(): Uint8Array {
  undefinedBytes ??= jsonValueBytes(encodeJson(undefined));
  return undefinedBytes;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The pipeline state after a group: unchanged if no branch changed it;
 * otherwise object states shallow-merged in declaration order (first writer
 * of a key wins), or the first branch's state if any is not a plain object.
 */
export function mergeBranchStates(input: Uint8Array | undefined, slots: readonly Slot[]): Uint8Array | undefined {
  const byIndex = [...slots].sort((a, b) => a.index - b.index);
  const states = byIndex.map((s) => (s.error ? (s.error.state ?? input) : (s.state ?? input)));
  if (states.every((s) => sameBytes(s, input))) return input;
  const values = states.map((s) => (s && s.length > 0 ? decodeJson(s) : undefined));
  if (!values.every(isPlainObject)) return states[0];
  const merged: Record<string, unknown> = {};
  for (const v of values) {
    for (const [k, x] of Object.entries(v)) if (!(k in merged)) merged[k] = x;
  }
  return encodeJson(merged, 'the merged pipeline state');
}
