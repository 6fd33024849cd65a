import fc from 'fast-check';
import SuperJSON from 'superjson';
import { describe, expect, it } from 'vitest';
import { registerClass, SerializationError, TaskError } from '../src/index.js';
import { decodeJson, encodeJson } from '../src/wire/values.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('values', () => {
  it('plain JSON takes the fast path and produces exactly what superjson produces', () => {
    fc.assert(
      fc.property(
        fc.jsonValue().filter((v) => !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(v))),
        (v) => {
          expect(text(encodeJson(v))).toBe(SuperJSON.stringify(v));
          expect(decodeJson(encodeJson(v))).toEqual(v);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('values superjson needs metadata for round-trip exactly', () => {
    const rich = fc.oneof(
      fc.date({ noInvalidDate: true }),
      fc.bigInt(),
      fc.constant(undefined),
      fc.constantFrom(NaN, Infinity, -Infinity, -0),
      fc.array(fc.oneof(fc.integer(), fc.constant(undefined))),
      fc.uint8Array(),
    );
    const key = fc.string().filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));
    fc.assert(
      fc.property(fc.dictionary(key, rich), fc.array(rich), (obj, arr) => {
        const value = { obj, arr, set: new Set(arr.filter((x) => typeof x === 'number')), map: new Map(Object.entries(obj)) };
        expect(decodeJson(encodeJson(value))).toEqual(value);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps -0, NaN, sparse arrays and undefined', () => {
    const value = [-0, NaN, undefined, , 1]; // eslint-disable-line no-sparse-arrays
    const back = decodeJson(encodeJson(value)) as unknown[];
    expect(Object.is(back[0], -0)).toBe(true);
    expect(back[1]).toBeNaN();
    expect(back.length).toBe(5);
  });

  it('rejects what would not survive, naming the place', () => {
    expect(() => encodeJson({ a: [1, { f: () => 1 }] }, 'the arguments')).toThrow(SerializationError);
    expect(() => encodeJson({ a: [1, { f: () => 1 }] }, 'the arguments')).toThrow(/the arguments cannot be serialised: the value at \.a\[1\]\.f is a function/);
    expect(() => encodeJson(Symbol('s'))).toThrow(/is a symbol/);
    expect(() => encodeJson(JSON.parse('{"a":{"__proto__":{"polluted":true}}}'))).toThrow(/\.a has a key named '__proto__'/);
    expect(() => encodeJson({ b: { prototype: 1 } })).toThrow(/\.b has a key named 'prototype'/);
    expect(() => encodeJson({ constructor: 1 })).toThrow(/the value has a key named 'constructor'/);
    class Point {
      constructor(readonly x = 1) {}
      norm() {
        return this.x;
      }
    }
    expect(() => encodeJson(new Point())).toThrow(/class Point, which is not registered/);
  });

  // Issue 12 items 4 and 5: what the types accept, the run time carries, unchanged or as its base;
  // what would change silently is refused.
  it('refuses ArrayBuffer, DataView and Errors with fields of their own, which would arrive changed', () => {
    expect(() => encodeJson({ b: new ArrayBuffer(4) })).toThrow(/\.b is an ArrayBuffer, which superjson does not carry \(pass a Uint8Array\)/);
    expect(() => encodeJson(new DataView(new ArrayBuffer(4)))).toThrow(/is a DataView/);
    class HttpError extends Error {
      status = 404;
    }
    expect(() => encodeJson(new HttpError('gone'))).toThrow(/is an Error with fields of its own \(status\)/);
    const plain = decodeJson(encodeJson(new RangeError('too big'))) as Error;
    expect(plain).toBeInstanceOf(Error);
    expect([plain.name, plain.message]).toEqual(['RangeError', 'too big']);
  });

  it('an instance of a class without methods travels as its base: a data-only class as a plain object', () => {
    class Row {
      id = 7;
      at = new Date(0);
      tags = new Set(['a']);
    }
    class Rows extends Array<Row> {}
    class Index extends Map<string, number> {}
    const back = decodeJson(encodeJson({ row: new Row(), rows: Rows.from([new Row()]), index: new Index([['a', 1]]) })) as Record<string, unknown>;
    expect(back.row).toEqual({ id: 7, at: new Date(0), tags: new Set(['a']) });
    expect(Object.getPrototypeOf(back.row)).toBe(Object.prototype);
    expect(Array.isArray(back.rows) && Object.getPrototypeOf(back.rows) === Array.prototype).toBe(true);
    expect(back.index).toEqual(new Map([['a', 1]]));
    expect(decodeJson(encodeJson(new Row()))).toEqual({ id: 7, at: new Date(0), tags: new Set(['a']) });
    class Tagged extends Array<number> {
      tag = 'x';
    }
    expect(() => encodeJson(Tagged.from([1]))).toThrow(/subclass with properties of its own \(tag\)/);
    class Stamp extends Date {
      zone = 'UTC';
    }
    expect(() => encodeJson(new Stamp(0))).toThrow(/subclass with properties of its own \(zone\)/);
    // a getter on a built-in base would be lost, so it is refused (as the types refuse it)
    class Shifted extends Date {
      get shifted() {
        return this.getTime() + 1;
      }
    }
    expect(() => encodeJson(new Shifted(0))).toThrow(/class Shifted, which is not registered/);
    // a setter without a getter has no value to send
    class WriteOnly {
      set x(_: number) {}
    }
    expect(() => encodeJson(new WriteOnly())).toThrow(/class WriteOnly, which is not registered/);
    class Mixed {
      get x() {
        return 1;
      }
      twice() {
        return 2;
      }
    }
    expect(() => encodeJson(new Mixed())).toThrow(/class Mixed, which is not registered and has methods/);
  });

  it('an instance of a class of getters arrives as a plain object with their values (what its type says)', () => {
    class Temperature {
      constructor(readonly celsius: number) {}
      get fahrenheit() {
        return (this.celsius * 9) / 5 + 32;
      }
    }
    class Reading extends Temperature {
      constructor(
        celsius: number,
        readonly at: Date,
      ) {
        super(celsius);
      }
      get label() {
        return `${this.celsius} C`;
      }
    }
    const decoded = decodeJson(encodeJson({ r: new Reading(100, new Date(0)), list: [new Temperature(0)] }));
    expect(decoded).toStrictEqual({ r: { celsius: 100, at: new Date(0), label: '100 C', fahrenheit: 212 }, list: [{ celsius: 0, fahrenheit: 32 }] });
    // a getter's value is checked like a field, with its place
    class Bad {
      get callback() {
        return () => 1;
      }
    }
    expect(() => encodeJson({ b: new Bad() })).toThrow(/\.b\.callback is a function/);
    // an own field of the same name wins over the getter
    class Shadowed {
      get v() {
        return 1;
      }
    }
    const s = new Shadowed();
    Object.defineProperty(s, 'v', { value: 2, enumerable: true });
    expect(decodeJson(encodeJson(s))).toStrictEqual({ v: 2 });
  });

  it('registered classes and TaskErrors survive with their prototype', () => {
    class Money {
      constructor(
        readonly amount = 0,
        readonly currency = 'GBP',
      ) {}
    }
    registerClass(Money, 'Money');
    const back = decodeJson(encodeJson({ price: new Money(5) })) as { price: Money };
    expect(back.price).toBeInstanceOf(Money);
    expect(back.price.amount).toBe(5);
    const e = decodeJson(encodeJson(new TaskError({ errorType: 'RangeError', message: 'm', taskName: 't' }))) as TaskError;
    expect(e).toBeInstanceOf(TaskError);
    expect(e.errorType).toBe('RangeError');
  });
});
