/// <reference types="node" />
// (URL below is a global of Node and of the DOM lib, not of ES2022.)
/**
 * Serialisability, checked at bind(): parameters and results must survive
 * superjson. Functions, symbols, promises inside data and class instances with
 * methods are rejected (unless the class is registered through
 * RegisteredClasses); Date, Map, Set, BigInt, RegExp, URL, Error, typed arrays
 * and undefined are accepted. Rejections are branded: the function argument
 * becomes `F & PipelineTypeError<"bind: <where> is a …, which cannot be serialised …">`.
 *
 * NOTE: the RegisteredClasses augmentation below is global to the tsd program,
 * so `Point` counts as registered in every test file.
 *
 * Every expectError carries `// error: <fragment>`: the compiler message it
 * fails with. `// @ts-expect-error KNOWN BUG #n` marks a SHOULD-BE assertion
 * that the current types fail (the directive turns red once src is fixed:
 * delete it).
 */
import { expectAssignable, expectError, expectType } from 'tsd';
import {
  FlinkTasks,
  TaskError,
  type BindCheck,
  type InitialState,
  type Pipeline,
  type PipelineTypeError,
  type RegisteredClasses,
  type SerializableLeaf,
  type TaskContext,
  type Unserializable,
} from 'flink-tasks';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}
class Money {
  constructor(
    readonly cents: bigint,
    readonly currency: string,
  ) {}
  format(): string {
    return `${this.cents} ${this.currency}`;
  }
}
/** A class with data only: structurally a plain object, so it passes. */
class Row {
  id = 0;
  label = '';
}

declare module 'flink-tasks' {
  interface RegisteredClasses {
    Point: Point;
  }
}

const tasks = new FlinkTasks({ namespace: 'example', workerName: 'worker' });
type Named = { readonly name: string };
type Rejected<Where extends string> = `bind: ${Where}, which cannot be serialised (register classes with registerClass)`;

// ---------------------------------------------------------------- accepted

expectType<Pipeline<Date>>(tasks.bind('dates', (d: Date) => new Date(d.getTime() + 1)).send(new Date()));
expectType<Pipeline<Map<string, Set<bigint>>>>(tasks.bind('maps', (m: Map<string, Set<bigint>>) => m).send(new Map()));
expectType<Pipeline<bigint>>(tasks.bind('bigints', (b: bigint) => b * 2n).send(1n));
expectType<Pipeline<RegExp>>(tasks.bind('regexps', (r: RegExp) => r).send(/a/));
expectType<Pipeline<string>>(tasks.bind('urls', (u: URL) => u.href).send(new URL('https://example.org')));
expectType<Pipeline<Error>>(tasks.bind('errors', (e: Error) => e).send(new Error('x')));
expectType<Pipeline<TaskError>>(tasks.bind('taskErrors', (e: TaskError) => e).send({} as TaskError));
expectType<Pipeline<number>>(
  tasks
    .bind('typedArrays', (a: Uint8Array, b: Float64Array, c: BigInt64Array) => a.length + b.length + c.length)
    .send(new Uint8Array(), new Float64Array(), new BigInt64Array()),
);
expectType<Pipeline<undefined>>(tasks.bind('undefineds', (u: undefined) => u).send(undefined));
expectType<Pipeline<null>>(tasks.bind('nulls', (n: null) => n).send(null));
expectType<Pipeline<{ a?: number; b: string | undefined; nested: { list: Array<[number, Date]> } }>>(
  tasks.bind('objects', (o: { a?: number; b: string | undefined; nested: { list: Array<[number, Date]> } }) => o).send({ b: undefined, nested: { list: [] } }),
);
expectType<Pipeline<Record<string, number[]>>>(tasks.bind('records', (r: Record<string, number[]>) => r).send({}));
expectType<Pipeline<readonly string[]>>(tasks.bind('readonlyArrays', (r: readonly string[]) => r).send([]));
// any and unknown cannot be checked, so they pass
expectType<Pipeline<unknown>>(tasks.bind('unknowns', (u: unknown) => u).send(1));
expectType<Pipeline<any>>(tasks.bind('anys', (a: any) => a).send(1));
// registered classes, as parameters, results and inside data
expectType<Pipeline<Point>>(tasks.bind('points', (p: Point) => new Point(p.y, p.x)).send(new Point(1, 2)));
expectType<Pipeline<number>>(tasks.bind('pointData', (d: { pts: Point[]; byName: Map<string, Point> }) => d.pts.length).send({ pts: [], byName: new Map() }));
expectType<Pipeline<Point | undefined>>(tasks.bind('pointResult', async (xs: number[]) => (xs.length ? new Point(xs[0] ?? 0, 0) : undefined)).send([]));
expectType<Point>({} as RegisteredClasses['Point']);
expectAssignable<SerializableLeaf>(new Point(0, 0));
// data-only classes
expectType<Pipeline<Row>>(tasks.bind('rows', (r: Row) => r).send(new Row()));

// ---------------------------------------------------------------- rejected, with the place named

// functions
expectError(tasks.bind('callbacks', (cb: () => void) => cb)); // error: bind: parameter 0 is a function, which cannot be serialised
expectError(tasks.bind('makesFunction', (x: number) => () => x)); // error: bind: the result is a function, which cannot be serialised
expectError(tasks.bind('deepFunction', (x: number) => ({ a: { b: { c: () => x } } }))); // error: bind: the result.a.b.c is a function
expectError(tasks.bind('secondParam', (x: number, handlers: Array<(n: number) => void>) => x + handlers.length)); // error: bind: parameter 1[…] is a function
expectError(tasks.bind('asyncFunction', async (x: number) => () => x)); // error: bind: the result is a function
// symbols
expectError(tasks.bind('symbols', (s: symbol) => String(s))); // error: bind: parameter 0 is a symbol, which cannot be serialised
expectError(tasks.bind('makesSymbol', (s: string) => Symbol(s))); // error: bind: the result is a symbol
expectError(tasks.bind('symbolSet', (s: Set<symbol>) => s.size)); // error: bind: parameter 0 (a set item) is a symbol
expectError(tasks.bind('symbolKeys', (o: { [Symbol.iterator]: number }) => o)); // error: bind: parameter 0 has a symbol key
// promises inside data (a returned promise itself is awaited, see bind.test-d.ts)
expectError(tasks.bind('promiseParam', (p: Promise<number>) => p)); // error: bind: parameter 0 is a promise
expectError(tasks.bind('promiseField', (o: { p: Promise<number> }) => o)); // error: bind: parameter 0.p is a promise
expectError(tasks.bind('promiseInResult', async (n: number) => ({ later: Promise.resolve(n) }))); // error: bind: the result.later is a promise
expectError(tasks.bind('promiseList', (n: number) => [Promise.resolve(n)])); // error: bind: the result[…] is a promise
// maps and sets
expectError(tasks.bind('mapValues', (m: Map<string, () => void>) => m.size)); // error: bind: parameter 0 (a map value) is a function
expectError(tasks.bind('mapKeys', (m: Map<() => void, number>) => m.size)); // error: bind: parameter 0 (a map key) is a function
// classes whose only members are getters: a getter is a readonly property to the types, and the
// run time sends the getters' values as fields (src/wire/values.ts), so the value arrives as its type says
class Temperature {
  constructor(readonly celsius: number) {}
  get fahrenheit(): number {
    return (this.celsius * 9) / 5 + 32;
  }
}
expectType<Pipeline<Temperature>>(tasks.bind('warm', (t: Temperature) => t).send(new Temperature(20)));
// … but a getter's value is checked like a field
class Handler {
  get run(): () => void {
    return () => undefined;
  }
}
expectError(tasks.bind('handler', (h: Handler) => h)); // error: bind: parameter 0.run is a function, which cannot be serialised
// … and a getter on a built-in base would be lost (the run time refuses it too)
class Shifted extends Date {
  get shifted(): number {
    return this.getTime() + 1;
  }
}
expectError(tasks.bind('shifted', (d: Shifted) => d.shifted)); // error: bind: parameter 0 is an instance of a subclass with members of its own, which would be lost
// class instances with methods that are not registered
expectError(tasks.bind('money', (m: Money) => m.cents)); // error: bind: parameter 0.format is a function
expectError(tasks.bind('makesMoney', (c: bigint) => new Money(c, 'EUR'))); // error: bind: the result.format is a function
expectError(tasks.bind('moneyList', (ms: Money[]) => ms.length)); // error: bind: parameter 0[…].format is a function
expectError(tasks.bind('weakMaps', (w: WeakMap<object, number>) => w)); // error: cannot be serialised
// pipelines are not data: an orchestrator returns ONE pipeline (use inParallel for many)
const one = tasks.bind('one', (n: number) => n);
expectError(tasks.bind('manyPipelines', (n: number) => [one.send(n), one.send(n + 1)])); // error: bind: the result[…]
// withContext / withState: the remaining parameters and the result are checked too
expectError(tasks.bind({ name: 'ctxCallback', withContext: true }, (ctx: TaskContext, cb: () => void) => ctx.taskId + String(cb))); // error: bind: parameter 0 is a function
expectError(tasks.bind({ name: 'stateResultFn', withState: true }, (s: number, x: number) => ({ state: s, result: () => x }))); // error: bind: the result is a function

// ---------------------------------------------------------------- the check types

expectType<PipelineTypeError<Rejected<'parameter 0 is a function'>>>({} as BindCheck<(cb: () => void) => number, Named>);
expectType<PipelineTypeError<Rejected<'the result.format is a function'>>>({} as BindCheck<(c: bigint) => Money, Named>);
expectType<unknown>({} as BindCheck<(p: Point) => Point, Named>);
// the branding: the function parameter of bind becomes F & PipelineTypeError<"sentence">
type Callback = (cb: () => void) => number;
expectType<Callback & PipelineTypeError<Rejected<'parameter 0 is a function'>>>({} as Parameters<typeof tasks.bind<Callback, Named>>[1]);
expectType<never>({} as Unserializable<{ at: Date; tags: Set<string>; n: bigint }, 'x'>);
expectType<'x.cb is a function'>({} as Unserializable<{ cb: () => void }, 'x'>);
expectType<'x[…] is a symbol'>({} as Unserializable<symbol[], 'x'>);
expectType<'x.p is a promise'>({} as Unserializable<{ p: PromiseLike<number> }, 'x'>);
expectType<'x (a map key) is a function'>({} as Unserializable<Map<() => void, number>, 'x'>);
expectType<never>({} as Unserializable<any, 'x'>);
expectType<never>({} as Unserializable<unknown, 'x'>);
expectType<never>({} as Unserializable<Point, 'x'>);

// ---------------------------------------------------------------- pipeline state

// FIXED (was known bug #4 (src/dsl/flink-tasks.ts:83 BindProblems; src/dsl/types.ts:105-107
// InitialOptions): the pipeline state is never checked for serialisability, although
// the worker serialises it (src/worker/task-worker.ts:201 encodeJson(r.state, …)) and
// withInitial serialises it when the pipeline is built (src/dsl/builder.ts:51).
//   expected: a withState task whose state parameter or returned state holds a function
//             is rejected at bind(), like its parameters and result are;
//             withInitial({ state: <function> }) is rejected
//   actual:   all accepted; they fail at run time with a SerializationError
expectAssignable<PipelineTypeError<string>>(
  {} as BindCheck<(s: { onDone: () => void }, x: number) => { state: { onDone: () => void }; result: number }, Named & { readonly withState: true }>,
);
expectAssignable<PipelineTypeError<string>>({} as BindCheck<(s: number, x: number) => { state: Money; result: number }, Named & { readonly withState: true }>);
expectError(
  tasks
    .bind('seeded', (x: number) => x)
    .send(1)
    .withInitial({ state: { onDone: () => undefined } }),
); // error: withInitial: the state.onDone is a function
expectType<Pipeline<number, InitialState<{ startedAt: Date; seen: Set<string> }>>>(
  tasks
    .bind('seededOk', (x: number) => x)
    .send(1)
    .withInitial({ state: { startedAt: new Date(0), seen: new Set(['a']) } }),
);
expectError(tasks.bind({ name: 'badStateParam', withState: true }, (s: { onDone: () => void }, x: number) => ({ state: s, result: x }))); // error: the state parameter.onDone is a function
expectError(tasks.bind({ name: 'withSate', withSate: true }, (x: number) => x)); // error: bind: unknown option 'withSate'
