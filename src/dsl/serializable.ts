/**
 * Compile-time check that arguments, results and states survive
 * serialisation. It mirrors the run-time check of `src/wire/values.ts`
 * (`check`): both accept the same values, and a value is never changed on
 * the way except as documented there (a class instance that adds no methods
 * arrives as its plain base: an object, array, map …).
 *
 * Cost: {@link IsSerializable} depends on the type only, so the compiler
 * caches it, and recursive types are checked by assignability (which stops
 * at a type it is already comparing). Only when a type is rejected is the
 * place of the problem searched, one offending field at a time.
 *
 * @module
 */
import type { TaskError } from '../core/errors.js';

/**
 * Classes whose instances may travel through pipelines, registered at run
 * time with {@link registerClass}. Augment this interface to make the types
 * accept them (the key is only a name).
 *
 * @example
 * ```ts
 * declare module 'flink-tasks' {
 *   interface RegisteredClasses { Point: Point }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- users fill it in by declaration merging
export interface RegisteredClasses {}

type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/**
 * The global `URL` instance type when the program declares one (the DOM lib
 * or `@types/node`); otherwise `never`. Naming `URL` directly would make the
 * declarations depend on one of them.
 */
type GlobalURL = typeof globalThis extends { readonly URL: abstract new (...args: never[]) => infer U } ? U : never;

/**
 * Values that superjson carries as they are.
 *
 * @example
 * ```ts
 * type A = Date extends SerializableLeaf ? true : false; // true
 * type B = Map<string, Date> extends SerializableLeaf ? true : false; // false: checked key by key and value by value
 * ```
 */
export type SerializableLeaf =
  | string
  | number
  | boolean
  | bigint
  | null
  | undefined
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a task that returns nothing sends `undefined`
  | void
  | Date
  | RegExp
  | GlobalURL
  | Error
  | TaskError
  | TypedArray
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- `never` until users register classes
  | RegisteredClasses[keyof RegisteredClasses];

declare const badValue: unique symbol;
/** What {@link Serialized} puts where a value cannot travel: no value has this type. */
interface Rejected<Reason extends string> {
  readonly [badValue]: Reason;
}

/** Keys the run time refuses anywhere (prototype pollution). */
type ForbiddenKey = '__proto__' | 'constructor' | 'prototype';

// Members a class may add to a built-in base without making it unserialisable: none.
type ExtraKeys<T, Base> = Exclude<keyof T, keyof Base>;
type ArrayExtraKeys<T> = Exclude<keyof T, keyof unknown[] | `${number}` | number>;

/** The problem of a value that cannot travel whatever it contains, or `never`. */
/** Instances of built-in classes (and registered ones): checked one by one, the rest are plain objects. */
type BuiltIn =
  | SerializableLeaf
  | TaskError
  | ReadonlyMap<unknown, unknown>
  | ReadonlySet<unknown>
  | PromiseLike<unknown>
  | ArrayBuffer
  | SharedArrayBuffer
  | DataView
  | WeakMap<never, unknown>
  | WeakSet<never>;
/** What is not a plain object. */
type NonPlain = ((...args: never[]) => unknown) | readonly unknown[] | BuiltIn;

/** The problem of a value that cannot travel whatever it contains, or `never`. */
type DirectProblem<T> = 0 extends 1 & T
  ? never
  : // primitives first: branded ones like `string & {}` are objects to `extends object`
    T extends string | number | boolean | bigint | null | undefined
    ? never
    : T extends object
      ? ObjectProblem<T>
      : T extends symbol
        ? 'is a symbol'
        : never;

type ObjectProblem<T> = T extends NonPlain
  ? T extends (...args: never[]) => unknown
    ? 'is a function'
    : T extends readonly unknown[]
      ? [ArrayExtraKeys<T>] extends [never]
        ? never
        : `is an array with other properties (${ArrayExtraKeys<T> & string}), which would be lost`
      : BuiltInProblem<T>
  : [keyof T & symbol] extends [never]
    ? // Extract, not &: a `string` index signature must not count as the forbidden keys
      [Extract<keyof T, ForbiddenKey>] extends [never]
      ? never
      : `has a key named '${Extract<keyof T, ForbiddenKey> & string}', which is refused (prototype pollution)`
    : 'has a symbol key';

// Typed arrays first: before TypeScript 5.7 a typed array is structurally an ArrayBuffer too.
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- registered classes are `never` until users add some
type BuiltInProblem<T> = T extends TaskError | RegisteredClasses[keyof RegisteredClasses]
  ? never
  : T extends Date | RegExp | GlobalURL | TypedArray
    ? [keyof T] extends [keyof LeafBase<T>]
      ? never
      : 'is an instance of a subclass with members of its own, which would be lost'
    : T extends PromiseLike<unknown>
      ? 'is a promise'
      : T extends ArrayBuffer | SharedArrayBuffer
        ? 'is an ArrayBuffer, which superjson does not carry (pass a Uint8Array)'
        : T extends DataView
          ? 'is a DataView, which superjson does not carry (pass a Uint8Array)'
          : T extends Error
            ? Error extends T
              ? never
              : 'is an Error with fields of its own, which only arrive as a plain Error (name, message, cause): pass data, or throw and let the pipeline carry a TaskError'
            : T extends ReadonlyMap<unknown, unknown>
              ? [ExtraKeys<T, Map<unknown, unknown>>] extends [never]
                ? never
                : `is a Map with other members (${ExtraKeys<T, Map<unknown, unknown>> & string}), which would be lost`
              : T extends ReadonlySet<unknown>
                ? [ExtraKeys<T, Set<unknown>>] extends [never]
                  ? never
                  : `is a Set with other members (${ExtraKeys<T, Set<unknown>> & string}), which would be lost`
                : T extends WeakMap<never, unknown> | WeakSet<never>
                  ? 'is a WeakMap or WeakSet, which cannot be serialised'
                  : never;

type LeafBase<T> = T extends Date ? Date : T extends RegExp ? RegExp : T extends TypedArray ? TypedArrayBase<T> : T;
type TypedArrayBase<T> = T extends Int8Array
  ? Int8Array
  : T extends Uint8Array
    ? Uint8Array
    : T extends Uint8ClampedArray
      ? Uint8ClampedArray
      : T extends Int16Array
        ? Int16Array
        : T extends Uint16Array
          ? Uint16Array
          : T extends Int32Array
            ? Int32Array
            : T extends Uint32Array
              ? Uint32Array
              : T extends Float32Array
                ? Float32Array
                : T extends Float64Array
                  ? Float64Array
                  : T extends BigInt64Array
                    ? BigInt64Array
                    : T extends BigUint64Array
                      ? BigUint64Array
                      : T;

/**
 * `T` as it travels: the same type where every part survives, with
 * {@link Rejected} in every place that does not. `T` is serialisable exactly
 * when it is assignable to `Serialized<T>`.
 */
type Serialized<T> = T extends string | number | boolean | bigint | null | undefined
  ? T
  : T extends object
    ? SerializedObject<T>
    : T extends symbol
      ? Rejected<'is a symbol'>
      : T;

// Plain objects (the common case) first, with one test of their keys; the rest of
// ObjectProblem is only consulted for what is not a plain object, or to name a problem.
type SerializedObject<T> = T extends NonPlain
  ? SerializedNonPlain<T>
  : // `keyof T & …` is cheap but counts a `string` index signature as the refused keys: Extract decides then
    [keyof T & (ForbiddenKey | symbol)] extends [never]
    ? { readonly [K in keyof T]: Serialized<T[K]> }
    : [Extract<keyof T, ForbiddenKey | symbol>] extends [never]
      ? { readonly [K in keyof T]: Serialized<T[K]> }
      : Rejected<ObjectProblem<T> & string>;

type SerializedNonPlain<T> = [ObjectProblem<T>] extends [never]
  ? // arrays and tuples by their element union: cheaper than mapping every element
    T extends readonly unknown[]
    ? readonly Serialized<T[number]>[]
    : T extends ReadonlyMap<infer K, infer V>
      ? ReadonlyMap<Serialized<K>, Serialized<V>>
      : T extends ReadonlySet<infer V>
        ? ReadonlySet<Serialized<V>>
        : T
  : Rejected<ObjectProblem<T> & string>;

/**
 * `true` when a value of type `T` survives serialisation. Checked member by
 * member of a union, so each member's answer is cached by the compiler and
 * shared by every check it appears in (a task's result is the next task's
 * parameter); recursive types are fine. `any` is accepted.
 *
 * @example
 * ```ts
 * interface Person { name: string; born: Date; children: Person[] }
 * type A = IsSerializable<Person>; // true
 * type B = IsSerializable<{ onDone: () => void }>; // false
 * ```
 */
// The inner test is distributive on purpose: `[T] extends [Serialized<T>]` on a union would be
// one new check per union, instead of one cached check per member.
export type IsSerializable<T> = 0 extends 1 & T ? true : false extends (T extends Serialized<T> ? true : false) ? false : true;

type Deeper<D extends readonly unknown[]> = [...D, 0];

/** Picks one member of a union (the compiler's last), so the search below stays linear. */
type OneOf<U> = (U extends unknown ? (u: U) => void : never) extends infer F
  ? [F] extends [(u: infer V) => void]
    ? (V extends unknown ? (x: () => V) => void : never) extends (x: infer I) => void
      ? I extends () => infer W
        ? W
        : never
      : never
    : never
  : never;

/** The members of `X` that are rejected. */
type Failing<X> = X extends unknown ? (IsSerializable<X> extends true ? never : X) : never;

/** Where in `T` (a rejected type) the first problem is, as a sentence. */
type ProblemAt<T, Path extends string, Seen, D extends readonly unknown[]> = T extends unknown
  ? [DirectProblem<T>] extends [never]
    ? D['length'] extends 6
      ? `${Path} cannot be serialised`
      : T extends ReadonlyMap<infer K, infer V>
        ? [Failing<K>] extends [never]
          ? ProblemAt<Failing<V>, `${Path} (a map value)`, Seen | T, Deeper<D>>
          : ProblemAt<Failing<K>, `${Path} (a map key)`, Seen | T, Deeper<D>>
        : T extends ReadonlySet<infer V>
          ? ProblemAt<Failing<V>, `${Path} (a set item)`, Seen | T, Deeper<D>>
          : T extends readonly unknown[]
            ? ProblemAt<Failing<T[number]>, `${Path}[…]`, Seen | T, Deeper<D>>
            : T extends object
              ? FieldProblem<T, Path, Seen | T, D>
              : `${Path} cannot be serialised`
    : `${Path} ${DirectProblem<T> & string}`
  : never;

type FieldProblem<T, Path extends string, Seen, D extends readonly unknown[]> =
  DirectFields<T, Path> extends infer Direct
    ? [Direct] extends [never]
      ? OneOf<FailingKey<T, Seen>> extends infer K extends keyof T
        ? [K] extends [never]
          ? `${Path} cannot be serialised`
          : ProblemAt<Failing<T[K]>, `${Path}.${K & (string | number)}`, Seen, Deeper<D>>
        : never
      : Direct
    : never;

/** Sentences of the fields of `T` that fail directly (or whose key is refused). */
type DirectFields<T, Path extends string> = {
  [K in keyof T]-?: [DirectProblem<T[K]>] extends [never] ? never : `${Path}.${K & (string | number)} ${DirectProblem<T[K]> & string}`;
}[keyof T];

/** Keys of `T` whose value is rejected for a type not being searched already. */
type FailingKey<T, Seen> = {
  [K in keyof T]-?: [Failing<T[K]>] extends [never] ? never : [Failing<T[K]>] extends [Seen] ? never : K;
}[keyof T];

/**
 * `never` when `T` survives serialisation; otherwise a sentence naming the
 * first offending place (`"… .callback is a function"`). `any` and
 * `unknown` are accepted (they cannot be checked).
 *
 * @example
 * ```ts
 * type A = Unserializable<{ at: Date; tags: string[] }, 'the result'>; // never
 * type B = Unserializable<{ onDone: () => void }, 'the result'>; // 'the result.onDone is a function'
 * ```
 */
export type Unserializable<T, Path extends string> = IsSerializable<T> extends true ? never : ProblemAt<Failing<T>, Path, never, []>;
