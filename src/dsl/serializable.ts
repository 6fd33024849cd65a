/**
 * Compile-time check that arguments and results survive serialisation.
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
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface RegisteredClasses {}

type TypedArray =
  | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array
  | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

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
  | string | number | boolean | bigint | null | undefined | void
  | Date | RegExp | URL | Error | TaskError | TypedArray | ArrayBuffer
  | RegisteredClasses[keyof RegisteredClasses];

type Deeper<D extends readonly unknown[]> = [...D, 0];

/**
 * `never` when `T` survives serialisation; otherwise a sentence naming the
 * first offending place (`"… .callback is a function"`). `any` and
 * `unknown` are accepted (they cannot be checked). Checks 8 levels deep.
 *
 * @example
 * ```ts
 * type A = Unserializable<{ at: Date; tags: string[] }, 'the result'>; // never
 * type B = Unserializable<{ onDone: () => void }, 'the result'>; // 'the result.onDone is a function'
 * ```
 */
export type Unserializable<T, Path extends string, D extends readonly unknown[] = []> =
  0 extends 1 & T ? never
  : unknown extends T ? never
  : T extends SerializableLeaf ? never
  : T extends (...args: never[]) => unknown ? `${Path} is a function`
  : T extends symbol ? `${Path} is a symbol`
  : D['length'] extends 8 ? never
  : T extends PromiseLike<unknown> ? `${Path} is a promise`
  : T extends ReadonlyMap<infer K, infer V> ? Unserializable<K, `${Path} (a map key)`, Deeper<D>> | Unserializable<V, `${Path} (a map value)`, Deeper<D>>
  : T extends ReadonlySet<infer V> ? Unserializable<V, `${Path} (a set item)`, Deeper<D>>
  : T extends readonly unknown[] ? Unserializable<T[number], `${Path}[…]`, Deeper<D>>
  : T extends object ? { [K in keyof T]-?: K extends string ? Unserializable<T[K], `${Path}.${K}`, Deeper<D>> : `${Path} has a symbol key` }[keyof T]
  : never;
