/**
 * inParallel(branches, options?): a tuple for a tuple literal, an array for an
 * array, an array of the union when unordered, TaskError in every slot with
 * returnExceptions.
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
  inParallel,
  type FinalPipeline,
  type InlineState,
  type GroupOptions,
  type GroupResult,
  type GroupPipeline,
  type Pipeline,
  type PipelineLike,
  type ResultOf,
} from 'flink-tasks';

const tasks = new FlinkTasks({ namespace: 'example', workerName: 'worker' });
const multiply = tasks.bind('multiply', (x: number, y: number) => x * y);
const greet = tasks.bind('greet', (name: string) => `hello ${name}`);
const isBig = tasks.bind('isBig', (n: number) => n > 100);
const point = tasks.bind('point', (x: number) => ({ x, y: 0 }));
const cleanup = tasks.bind('cleanup', (dir: string) => dir.length);
declare const xs: number[];

// ---------------------------------------------------------------- tuple vs array vs union

// tuple literal -> tuple, in declaration order
expectType<GroupPipeline<[number, string]>>(inParallel([multiply.send(1, 2), greet.send('a')]));
expectType<GroupPipeline<[number, string, boolean, { x: number; y: number }]>>(
  inParallel([multiply.send(1, 2), greet.send('a'), isBig.send(1), point.send(1)]),
);
expectType<GroupPipeline<[number]>>(inParallel([multiply.send(1, 2)]));
expectType<GroupPipeline<[number, number]>>(inParallel([multiply.send(1, 2), multiply.send(3, 4)]));
// `as const` tuples and readonly tuples too
expectType<GroupPipeline<[number, string]>>(inParallel([multiply.send(1, 2), greet.send('a')] as const));
declare const readonlyTuple: readonly [Pipeline<number>, Pipeline<boolean>];
expectType<GroupPipeline<[number, boolean]>>(inParallel(readonlyTuple));
// empty group
expectType<GroupPipeline<[]>>(inParallel([]));

// array -> array
expectType<GroupPipeline<number[]>>(inParallel(xs.map((x) => multiply.send(x, 2))));
declare const pipelines: Pipeline<string>[];
expectType<GroupPipeline<string[]>>(inParallel(pipelines));
declare const readonlyPipelines: ReadonlyArray<Pipeline<string>>;
expectType<GroupPipeline<string[]>>(inParallel(readonlyPipelines));
// a non-literal array of mixed pipelines -> array of the union
const mixedArray = [multiply.send(1, 2), greet.send('a')];
expectType<GroupPipeline<Array<number | string>>>(inParallel(mixedArray));
// spread of an array plus more branches -> array of the union
expectType<GroupPipeline<Array<number | string>>>(inParallel([...xs.map((x) => multiply.send(x, 2)), greet.send('a')]));
expectType<GroupPipeline<Array<number | string | boolean>>>(inParallel([greet.send('a'), ...xs.map((x) => multiply.send(x, 2)), isBig.send(3)]));

// ---------------------------------------------------------------- options

// unordered -> array of the union, even for a tuple
expectType<GroupPipeline<Array<number | string>>>(inParallel([multiply.send(1, 2), greet.send('a')], { ordered: false }));
expectType<GroupPipeline<number[]>>(
  inParallel(
    xs.map((x) => multiply.send(x, 2)),
    { ordered: false },
  ),
);
expectType<GroupPipeline<[number, string]>>(inParallel([multiply.send(1, 2), greet.send('a')], { ordered: true }));
// returnExceptions -> TaskError in every slot
expectType<GroupPipeline<[number | TaskError, string | TaskError]>>(inParallel([multiply.send(1, 2), greet.send('a')], { returnExceptions: true }));
expectType<GroupPipeline<Array<number | TaskError>>>(
  inParallel(
    xs.map((x) => multiply.send(x, 2)),
    { returnExceptions: true },
  ),
);
expectType<GroupPipeline<[number, string]>>(inParallel([multiply.send(1, 2), greet.send('a')], { returnExceptions: false }));
// both
expectType<GroupPipeline<Array<number | string | TaskError>>>(
  inParallel([multiply.send(1, 2), greet.send('a')], { ordered: false, returnExceptions: true, maxParallelism: 2 }),
);
// maxParallelism alone changes nothing
expectType<GroupPipeline<[number, string]>>(inParallel([multiply.send(1, 2), greet.send('a')], { maxParallelism: 4 }));
expectType<GroupPipeline<[number, string]>>(inParallel([multiply.send(1, 2), greet.send('a')], {}));
// bad options
expectError(inParallel([multiply.send(1, 2)], { maxParallelism: '4' })); // error: Type 'string' is not assignable to type 'number'
expectError(inParallel([multiply.send(1, 2)], { ordred: false })); // error: 'ordred' does not exist in type 'GroupOptions'
expectError(inParallel([multiply.send(1, 2)], { returnExceptions: 'yes' })); // error: Type 'string' is not assignable to type 'boolean | undefined'

// FIXED (was known bug #3 (src/dsl/types.ts:239-240 SlotError/IsUnordered, :247 GroupResult): options whose
// flags are not literal `true`/`false` are read as "ordered, no exceptions". A group
// run with returnExceptions: <boolean> may put a TaskError in any slot, and one run
// with ordered: <boolean> may return completion order, but the types say neither.
//   expected: { returnExceptions: boolean } -> TaskError in every slot;
//             { ordered: boolean } or a GroupOptions-typed variable -> Array<union>
//   actual:   Pipeline<[number, string]> in all three cases
//   fix idea: test `O extends { readonly returnExceptions: false | undefined }` (and
//             `ordered: true | undefined`) for the precise case and widen otherwise
declare const flag: boolean;
const widenedOptions: GroupOptions = { ordered: false, returnExceptions: true };
const withFlagExceptions = inParallel([multiply.send(1, 2), greet.send('a')], { returnExceptions: flag });
const withFlagOrder = inParallel([multiply.send(1, 2), greet.send('a')], { ordered: flag });
const withOptionsVariable = inParallel([multiply.send(1, 2), greet.send('a')], widenedOptions);
expectAssignable<ResultOf<typeof withFlagExceptions>[0]>({} as TaskError);
expectAssignable<ResultOf<typeof withFlagOrder>[0]>('a string may come first');
expectAssignable<ResultOf<typeof withOptionsVariable>[0]>({} as TaskError);

// ---------------------------------------------------------------- nesting, final pipelines, chains as branches

// nested groups
expectType<GroupPipeline<[[number, string], boolean]>>(inParallel([inParallel([multiply.send(1, 2), greet.send('a')]), isBig.send(1)]));
expectType<GroupPipeline<[number[], [string]]>>(inParallel([inParallel(xs.map((x) => multiply.send(x, 1))), inParallel([greet.send('a')])]));
expectType<GroupPipeline<Array<[number, boolean]>>>(inParallel(xs.map((x) => inParallel([multiply.send(x, 1), isBig.send(x)]))));
expectType<GroupPipeline<[[number | TaskError] | TaskError]>>(
  inParallel([inParallel([multiply.send(1, 2)], { returnExceptions: true })], { returnExceptions: true }),
);
// chains as branches
const yesNo = tasks.bind('yesNo', (b: boolean) => (b ? 'yes' : 'no'));
expectType<GroupPipeline<[boolean, 'yes' | 'no']>>(
  inParallel([multiply.send(1, 2).continueWith(isBig), multiply.send(1, 2).continueWith(multiply, 3).continueWith(isBig).continueWith(yesNo)]),
);
// FinalPipeline branches keep their result type
const finalBranch = multiply.send(1, 2).finallyDo(cleanup, '/tmp');
expectType<FinalPipeline<number>>(finalBranch);
expectType<GroupPipeline<[number, string]>>(inParallel([finalBranch, greet.send('a')]));
expectType<GroupPipeline<number[]>>(inParallel(xs.map((x) => multiply.send(x, 1).finallyDo(cleanup, '/tmp'))));
// a group is a Pipeline: it can be continued, recovered, finalised, grouped
const group = inParallel([multiply.send(1, 2), greet.send('a')]);
expectType<Pipeline<string>>(group.continueWith(tasks.bind('join', (p: [number, string]) => `${p[0]}${p[1]}`)));
expectType<FinalPipeline<[number, string]>>(group.finallyDo(cleanup, '/tmp'));
expectType<Pipeline<[number, string] | null>>(group.exceptionally(tasks.bind('none', (e: TaskError) => (e ? null : null))));
expectError(group.set({ displayName: 'g' })); // error: set: the last entry of this pipeline is a group
expectType<GroupPipeline<[number, string], InlineState<number>>>(group.withInitial({ state: 1 }).inline());

// ---------------------------------------------------------------- rejected branches

expectError(inParallel([multiply.send(1, 2), 3])); // error: Type 'number' is not assignable to type 'PipelineLike<unknown>'
expectError(inParallel([multiply])); // error: is not assignable to type 'PipelineLike<unknown>'
expectError(inParallel([() => multiply.send(1, 2)])); // error: is not assignable to type 'PipelineLike<unknown>'
expectError(inParallel(multiply.send(1, 2))); // error: is missing the following properties from type 'readonly PipelineLike<unknown>[]'
expectError(inParallel()); // error: Expected 1-2 arguments, but got 0.

// ---------------------------------------------------------------- GroupResult / ResultOf

type Branches = [Pipeline<number>, FinalPipeline<string>];
expectType<[number, string]>({} as GroupResult<Branches, {}>);
expectType<[number | TaskError, string | TaskError]>({} as GroupResult<Branches, { readonly returnExceptions: true }>);
expectType<Array<number | string>>({} as GroupResult<Branches, { readonly ordered: false }>);
expectType<Array<number | string>>({} as GroupResult<Array<Pipeline<number> | Pipeline<string>>, {}>);
expectType<[]>({} as GroupResult<[], {}>);
expectType<[number, string]>({} as ResultOf<ReturnType<typeof inParallel<[Pipeline<number>, Pipeline<string>], {}>>>);
expectAssignable<PipelineLike<[number, string]>>(group);

// FIXED (was known bug #1 (see bind.test-d.ts): `undefined` is dropped from a branch's result
const maybe = tasks.bind('maybe', (n: number) => (n > 0 ? n : undefined));
expectType<Pipeline<number | undefined>>(maybe.send(1));
const maybeGroup = inParallel([maybe.send(1), greet.send('a')]);
expectAssignable<ResultOf<typeof maybeGroup>[0]>(undefined);
const maybeArray = inParallel(xs.map((x) => maybe.send(x)));
expectAssignable<ResultOf<typeof maybeArray>[number]>(undefined);
