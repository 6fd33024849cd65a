/**
 * User values on the wire: superjson-encoded JSON in a {@link WireValue}.
 * Every encode checks that nothing would be silently lost.
 *
 * @module
 */
import { SuperJSON } from 'superjson';
import { SerializationError, TaskError } from '../core/errors.js';
import { readVarint, varintEnd } from '../core/varint.js';
import { TaskException, Value as ValueCodec, type Value } from './generated/flinktasks.js';

const superjson = new SuperJSON();
const registered = new Set<unknown>();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A class that can be registered for serialisation.
 *
 * @example
 * ```ts
 * class Point { constructor(public x = 0, public y = 0) {} }
 * const cls: SerializableClass = Point;
 * registerClass(cls, 'geometry.Point');
 * ```
 */
export type SerializableClass = abstract new (...args: never[]) => object;

/**
 * Registers a class so that its instances survive serialisation with their
 * prototype. Register it in every process that encodes or decodes it (client
 * and workers), under the same identifier.
 *
 * @example
 * ```ts
 * class Point { constructor(public x = 0, public y = 0) {} }
 * registerClass(Point);
 * // to make the types accept it as well:
 * declare module 'flink-tasks' { interface RegisteredClasses { Point: Point } }
 * ```
 */
export function registerClass(cls: SerializableClass, identifier?: string): void {
  superjson.registerClass(cls as unknown as Parameters<typeof superjson.registerClass>[0], identifier);
  registered.add(cls.prototype);
}

const knownPrototypes = new Set<unknown>([
  Object.prototype,
  null,
  Array.prototype,
  Date.prototype,
  RegExp.prototype,
  Map.prototype,
  Set.prototype,
  URL.prototype,
  Int8Array.prototype,
  Uint8Array.prototype,
  Uint8ClampedArray.prototype,
  Int16Array.prototype,
  Uint16Array.prototype,
  Int32Array.prototype,
  Uint32Array.prototype,
  Float32Array.prototype,
  Float64Array.prototype,
  BigInt64Array.prototype,
  BigUint64Array.prototype,
]);

// ---- Issue 12 item 5 (helper "types"): this check and the compile-time check in
// src/dsl/serializable.ts accept the same values. Kept small and local on purpose.
/** Values superjson would silently turn into `{}`: refused, with what to pass instead. */
const notCarried = new Map<unknown, string>([
  [ArrayBuffer.prototype, 'is an ArrayBuffer, which superjson does not carry (pass a Uint8Array)'],
  [SharedArrayBuffer.prototype, 'is a SharedArrayBuffer, which superjson does not carry (pass a Uint8Array)'],
  [DataView.prototype, 'is a DataView, which superjson does not carry (pass a Uint8Array)'],
]);
/** Objects `check` found to travel as their base (set by check, read by encodeJson). */
const rebased = new Set<object>();
const errorFields: ReadonlySet<string> = new Set(['name', 'message', 'stack', 'cause']);

/**
 * The getters of the unregistered classes on an object's prototype chain
 * (nearest first), by prototype: an instance of a class whose only members
 * are getters travels as a plain object holding the getters' values, which
 * is what its TypeScript type says (a getter is a readonly property there).
 */
const getterCache = new WeakMap<object, readonly string[] | null>();

/** The getter names a class prototype adds; `null` if it adds anything else (a method, a setter alone, a symbol). */
function gettersOf(p: object): readonly string[] | null {
  const cached = getterCache.get(p);
  if (cached !== undefined) return cached;
  let names: string[] | null = [];
  for (const key of Object.getOwnPropertyNames(p)) {
    if (key === 'constructor') continue;
    if (Object.getOwnPropertyDescriptor(p, key)?.get === undefined) {
      names = null;
      break;
    }
    names.push(key);
  }
  if (Object.getOwnPropertySymbols(p).length > 0) names = null;
  getterCache.set(p, names);
  return names;
}

/**
 * The prototype an object travels as: its own when built in or registered;
 * for an instance of a class that adds no methods (TypeScript sees it as its
 * base: a data-only class is a plain object type), the nearest such prototype
 * up its chain; `undefined` if none. Getters are allowed only when that base
 * is `Object.prototype` (their values then travel as fields, see
 * {@link getterNames}); a built-in base would lose them.
 */
function travelsAs(proto: unknown): unknown {
  let p = proto;
  let getters = false;
  while (p !== null && !knownPrototypes.has(p) && !registered.has(p) && !notCarried.has(p)) {
    const names = gettersOf(p as object);
    if (names === null) return undefined;
    if (names.length > 0) getters = true;
    p = Object.getPrototypeOf(p) as unknown;
  }
  return getters && p !== Object.prototype ? undefined : p;
}

/** The getters (not shadowed by an own property) of an object that travels as a plain object, nearest class first. */
function getterNames(obj: object): string[] {
  const names: string[] = [];
  for (let p = Object.getPrototypeOf(obj) as object | null; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const key of gettersOf(p) ?? []) if (!Object.hasOwn(obj, key) && !names.includes(key)) names.push(key);
  }
  return names;
}

/** A copy of `value` in which every instance of a member-less subclass is an instance of its base. */
function asBases(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Error) return value;
  if (seen.has(value)) return seen.get(value);
  const proto: unknown = Object.getPrototypeOf(value);
  const base = travelsAs(proto);
  if (base !== Object.prototype && base !== null && base !== Array.prototype && base !== Map.prototype && base !== Set.prototype) {
    if (base === proto) return value;
    const Base = (base as { constructor: new (v: unknown) => unknown }).constructor;
    return new Base(value); // Date, RegExp, URL, typed arrays: their copy constructors
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (let i = 0; i < value.length; i++) if (i in value) copy[i] = asBases(value[i], seen);
    copy.length = value.length;
    return copy;
  }
  if (value instanceof Map) {
    const copy = new Map<unknown, unknown>();
    seen.set(value, copy);
    for (const [k, v] of value) copy.set(asBases(k, seen), asBases(v, seen));
    return copy;
  }
  if (value instanceof Set) {
    const copy = new Set<unknown>();
    seen.set(value, copy);
    for (const v of value) copy.add(asBases(v, seen));
    return copy;
  }
  const copy: Record<string, unknown> = Object.create(proto === null ? null : Object.prototype) as Record<string, unknown>;
  seen.set(value, copy);
  for (const key of Object.keys(value)) copy[key] = asBases((value as Record<string, unknown>)[key], seen);
  if (base !== proto) for (const key of getterNames(value)) copy[key] = asBases(Reflect.get(value, key), seen);
  return copy;
}

/**
 * Checks that `value` survives serialisation; returns true when it is plain
 * JSON (nothing superjson needs metadata for), which allows the fast path.
 */
function check(value: unknown, path: string, what: string, seen: Set<object>): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'bigint':
    case 'undefined':
      return false;
    case 'function':
      throw new SerializationError(what, path, 'is a function');
    case 'symbol':
      throw new SerializationError(what, path, 'is a symbol');
    default:
  }
  if (value === null) return true;
  const obj = value as object;
  if (seen.has(obj)) return false;
  const proto: unknown = Object.getPrototypeOf(obj);
  if (obj instanceof Error) {
    const extra = obj instanceof TaskError ? [] : Object.keys(obj).filter((k) => !errorFields.has(k));
    if (extra.length > 0)
      throw new SerializationError(what, path, `is an Error with fields of its own (${extra.join(', ')}), which would arrive as a plain Error`);
    return false;
  }
  const base = travelsAs(proto);
  if (notCarried.has(base)) throw new SerializationError(what, path, notCarried.get(base) as string);
  if (base === undefined) {
    const name = (proto as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'unknown';
    throw new SerializationError(
      what,
      path,
      `is an instance of class ${name}, which is not registered and has methods, setters without getters, symbol members, or getters on a built-in base`,
    );
  }
  if (base !== proto) {
    rebased.add(obj);
    // A subclass of a built-in with own properties would lose them (an array keeps its elements only).
    const extra = base === Object.prototype ? [] : Object.keys(obj).filter((k) => !(Array.isArray(obj) && /^(0|[1-9]\d*)$/.test(k)));
    if (extra.length > 0)
      throw new SerializationError(what, path, `is an instance of a subclass with properties of its own (${extra.join(', ')}), which would be lost`);
  }
  seen.add(obj);
  let plain = true;
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) plain = check(obj[i], `${path}[${i}]`, what, seen) && plain && i in obj;
  } else if (base === Object.prototype) {
    for (const key of Object.keys(obj))
      plain = checkKey(key, path, what) && check((obj as Record<string, unknown>)[key], `${path}.${key}`, what, seen) && plain;
    if (base !== proto) for (const key of getterNames(obj)) if (checkKey(key, path, what)) check(Reflect.get(obj, key), `${path}.${key}`, what, seen);
  } else {
    plain = false;
    if (obj instanceof Map) {
      for (const [k, v] of obj) {
        check(k, `${path}<key>`, what, seen);
        check(v, `${path}<${String(k)}>`, what, seen);
      }
    } else if (obj instanceof Set) {
      for (const v of obj) check(v, `${path}<item>`, what, seen);
    } else if (base === null) {
      for (const key of Object.keys(obj)) if (checkKey(key, path, what)) check((obj as Record<string, unknown>)[key], `${path}.${key}`, what, seen);
    }
  }
  seen.delete(obj);
  return plain;
}

/** Keys superjson refuses anywhere (prototype pollution); refused here first, with a clear error. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function checkKey(key: string, path: string, what: string): true {
  if (FORBIDDEN_KEYS.has(key)) throw new SerializationError(what, path, `has a key named '${key}', which is refused (prototype pollution)`);
  return true;
}

/**
 * Encodes a JS value as superjson bytes (after {@link assertSerializable}).
 * Plain JSON takes a fast path that writes superjson's format directly.
 */
export function encodeJson(value: unknown, what = 'a value'): Uint8Array {
  return utf8Of(jsonText(value, what), false);
}

/** `check`'s set of objects on the path, for a primitive value (which it never touches). */
const NO_OBJECTS = new Set<object>();

/**
 * The superjson text of `value`, checked (the text {@link encodeJson} and
 * {@link toValueBytes} encode); throws a `SerializationError` as they do.
 */
export function jsonText(value: unknown, what: string): string {
  rebased.clear();
  let plain = check(value, '', what, typeof value === 'object' && value !== null ? new Set() : NO_OBJECTS);
  if (rebased.size > 0) {
    rebased.clear();
    value = asBases(value, new Map());
    plain = false;
  }
  return plain ? `{"json":${JSON.stringify(value)}}` : superjson.stringify(value);
}

/** Where short texts are encoded before being copied into an array of their exact size. */
let scratch = new Uint8Array(4096);
/** Texts longer than this are encoded into their own buffer at once. */
const SCRATCH_LIMIT = 64 * 1024;

/**
 * The UTF-8 bytes of `text`, in an array of exactly their size (a small one
 * lives on V8's heap, without an ArrayBuffer of its own, which
 * `TextEncoder.encode` makes for every value); with `asValue`, preceded by
 * the header of a `Value`'s json field (tag 1, then the length).
 */
function utf8Of(text: string, asValue: boolean): Uint8Array {
  let source = scratch;
  let length: number;
  if (text.length > SCRATCH_LIMIT) {
    source = encoder.encode(text);
    length = source.byteLength;
    if (!asValue) return source;
  } else {
    if (scratch.byteLength < text.length * 3) scratch = source = new Uint8Array(text.length * 3);
    length = encoder.encodeInto(text, source).written;
  }
  let header = 0;
  if (asValue) {
    header = 2;
    for (let n = length; n >= 0x80; n = Math.floor(n / 128)) header += 1;
  }
  const out = new Uint8Array(header + length);
  if (asValue) {
    out[0] = 0x0a;
    let pos = 1;
    let n = length;
    while (n >= 0x80) {
      out[pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    out[pos] = n;
  }
  if (length <= 64) for (let i = 0; i < length; i++) out[header + i] = source[i] as number;
  else out.set(length === source.byteLength ? source : source.subarray(0, length), header);
  return out;
}

/** Decodes superjson bytes back to a JS value. */
export function decodeJson(bytes: Uint8Array): unknown {
  return decodeJsonText(decoder.decode(bytes));
}

/** Decodes superjson text (the bytes {@link decodeJson} reads, as a string) back to a JS value. */
export function decodeJsonText(text: string): unknown {
  const parsed = JSON.parse(text) as { json: unknown; meta?: Parameters<typeof superjson.deserialize>[0]['meta'] };
  return parsed.meta === undefined ? parsed.json : superjson.deserialize(parsed as Parameters<typeof superjson.deserialize>[0]);
}

/** Wraps a JS value into a wire {@link Value}. */
export function toWireValue(value: unknown, what = 'a value'): Value {
  return { kind: { $case: 'json', value: encodeJson(value, what) } };
}

/**
 * The encoded wire {@link Value} holding `value`: what results and inputs
 * travel as (see `value-bytes.ts`).
 */
export function toValueBytes(value: unknown, what = 'a value'): Uint8Array {
  return utf8Of(jsonText(value, what), true);
}

/**
 * Turns a wire {@link Value}, or an encoded one, back into a JS value (lists
 * become arrays, error slots become {@link TaskError}s).
 */
export function fromWireValue(value: Value | Uint8Array | undefined): unknown {
  if (value instanceof Uint8Array) return value.byteLength > 0 ? fromValueBytes(value, 0, value.byteLength) : undefined;
  const kind = value?.kind;
  switch (kind?.$case) {
    case 'json':
      return kind.value.length > 0 ? decodeJson(kind.value) : undefined;
    case 'list':
      return kind.value.items.map(fromWireValue);
    case 'error':
      return fromWireException(kind.value);
    default:
      return undefined;
  }
}

/** The wire form of `error` (its type, message, stack and class chain), with `fields` (ids, branch …) set. */
export function toWireException(error: TaskError, fields: Partial<TaskException> = {}): TaskException {
  return {
    ...TaskException.create(),
    exceptionType: error.errorType,
    exceptionMessage: error.message,
    stacktrace: error.stack ?? '',
    errorTypes: [...error.errorTypes],
    ...fields,
  };
}

/** Field tags of `Value` (json = 1, list = 2) and `ValueList` (items = 1). */
const JSON_FIELD = 0x0a;
const LIST_FIELD = 0x12;
const ITEM_FIELD = 0x0a;

/**
 * The JS value of the encoded Value `bytes[start, end)` (not empty). A Value
 * made only of single json or list fields, as flink-tasks writes them, is
 * read in place (a list's items one by one, without a Value object each);
 * any other is decoded as a message, as before.
 */
function fromValueBytes(bytes: Uint8Array, start: number, end: number): unknown {
  return isPlainValue(bytes, start, end, 0) ? plainValue(bytes, start, end) : fromWireValue(ValueCodec.decode(bytes.subarray(start, end)));
}

/** Whether `bytes[start, end)` is one json field, or one list field whose items are empty or such Values themselves. */
function isPlainValue(bytes: Uint8Array, start: number, end: number, depth: number): boolean {
  const tag = bytes[start];
  if ((tag !== JSON_FIELD && tag !== LIST_FIELD) || depth > 64) return false;
  const length = readVarint(bytes, start + 1, end);
  if (length < 0 || varintEnd() + length !== end) return false;
  if (tag === JSON_FIELD) return true;
  let pos = varintEnd();
  while (pos < end) {
    if (bytes[pos] !== ITEM_FIELD) return false;
    const size = readVarint(bytes, pos + 1, end);
    const at = varintEnd();
    if (size < 0 || at + size > end || (size > 0 && !isPlainValue(bytes, at, at + size, depth + 1))) return false;
    pos = at + size;
  }
  return true;
}

/** The JS value of a Value that `isPlainValue` accepted. */
function plainValue(bytes: Uint8Array, start: number, end: number): unknown {
  const tag = bytes[start];
  const length = readVarint(bytes, start + 1, end);
  const body = varintEnd();
  if (tag === JSON_FIELD) return length > 0 ? decodeJson(bytes.subarray(body, end)) : undefined;
  const items: unknown[] = [];
  let pos = body;
  while (pos < end) {
    const size = readVarint(bytes, pos + 1, end);
    const at = varintEnd();
    pos = at + size;
    items.push(size > 0 ? plainValue(bytes, at, pos) : undefined);
  }
  return items;
}

/** Builds a {@link TaskError} from its wire form. */
export function fromWireException(e: TaskException): TaskError {
  return new TaskError({
    errorType: e.exceptionType,
    message: e.exceptionMessage,
    stack: e.stacktrace,
    taskName: e.taskName,
    taskId: e.id,
    errors: e.errors.map(fromWireException),
    branch: e.branch,
    errorTypes: e.errorTypes,
  });
}

superjson.registerCustom<TaskError, { errorType: string; message: string; stack: string; taskName: string; taskId: string }>(
  {
    isApplicable: (v): v is TaskError => v instanceof TaskError,
    serialize: (e) => ({ errorType: e.errorType, message: e.message, stack: e.stack ?? '', taskName: e.taskName, taskId: e.taskId }),
    deserialize: (o) => new TaskError(o),
  },
  'flink-tasks.TaskError',
);
