/**
 * Orchestrator tasks: a task that returns a pipeline (or a promise of one, or
 * `X | Pipeline<X>` for recursion) yields that pipeline's result; a task that
 * returns withPausePipeline(x) yields x.
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
  withPausePipeline,
  type BoundTask,
  type FinalPipeline,
  type PausePipeline,
  type Pipeline,
  type ResultOf,
  type TaskOutput,
} from 'flink-tasks';

const tasks = new FlinkTasks({ namespace: 'example', workerName: 'worker' });
const multiply = tasks.bind('multiply', (x: number, y: number) => x * y);
const greet = tasks.bind('greet', (name: string) => `hello ${name}`);
const toText = tasks.bind('toText', (n: number) => String(n));
const cleanup = tasks.bind('cleanup', (dir: string) => dir.length);

// ---------------------------------------------------------------- returning a pipeline

const timesTwo = tasks.bind('timesTwo', (n: number) => multiply.send(n, 2));
expectType<BoundTask<(n: number) => Pipeline<number>, [n: number], number>>(timesTwo);
expectType<Pipeline<number>>(timesTwo.send(3));
// called directly it is still the function that builds the pipeline
expectType<Pipeline<number>>(timesTwo(3));
// its result continues like any other
expectType<Pipeline<string>>(timesTwo.send(3).continueWith(toText));
expectType<Pipeline<string>>(multiply.send(1, 2).continueWith(timesTwo).continueWith(toText));
expectError(timesTwo.send(3).continueWith(greet)); // error: continueWith: this task's first parameter does not accept the previous step's result

// a chain, a group, a final pipeline, an inline pipeline
const describeTwice = tasks.bind('describeTwice', (n: number) => multiply.send(n, 2).continueWith(toText));
expectType<Pipeline<string>>(describeTwice.send(1));
const fanOut = tasks.bind('fanOut', (n: number) => inParallel([multiply.send(n, 2), greet.send(String(n))]));
expectType<Pipeline<[number, string]>>(fanOut.send(1));
const fanOutMany = tasks.bind('fanOutMany', (ns: number[]) => inParallel(ns.map((n) => multiply.send(n, n))));
expectType<Pipeline<number[]>>(fanOutMany.send([1, 2]));
const withCleanup = tasks.bind('withCleanup', (n: number) => multiply.send(n, 2).finallyDo(cleanup, '/tmp'));
expectType<BoundTask<(n: number) => FinalPipeline<number>, [n: number], number>>(withCleanup);
expectType<Pipeline<number>>(withCleanup.send(1)); // the returned FinalPipeline's result; the caller's pipeline goes on
expectType<Pipeline<string>>(withCleanup.send(1).continueWith(toText));
const inlined = tasks.bind('inlined', (n: number) => multiply.send(n, 2).inline());
expectType<Pipeline<number>>(inlined.send(1));
const recovering = tasks.bind('recovering', (n: number) => multiply.send(n, 2).exceptionally(tasks.bind('zero', (e: TaskError) => (e ? 0 : 0))));
expectType<Pipeline<number>>(recovering.send(1));
// nested orchestrators
const outer = tasks.bind('outer', (n: number) => timesTwo.send(n).continueWith(fanOut));
expectType<Pipeline<[number, string]>>(outer.send(1));

// ---------------------------------------------------------------- promises of pipelines

const asyncOrchestrator = tasks.bind('asyncOrchestrator', async (n: number) => multiply.send(n, 2));
expectType<BoundTask<(n: number) => Promise<Pipeline<number>>, [n: number], number>>(asyncOrchestrator);
expectType<Pipeline<number>>(asyncOrchestrator.send(1));
const promisedPipeline = tasks.bind('promisedPipeline', (s: string): Promise<Pipeline<string>> => Promise.resolve(greet.send(s)));
expectType<Pipeline<string>>(promisedPipeline.send('a'));
const promisedGroup = tasks.bind('promisedGroup', async (n: number) => inParallel([multiply.send(n, 1), toText.send(n)]));
expectType<Pipeline<[number, string]>>(promisedGroup.send(1));

// ---------------------------------------------------------------- X | Pipeline<X>: recursion

const factorial = tasks.bind('factorial', (n: number, acc: number): number | Pipeline<number> => (n <= 1 ? acc : factorial.send(n - 1, acc * n)));
expectType<Pipeline<number>>(factorial.send(5, 1));
expectType<Pipeline<string>>(factorial.send(5, 1).continueWith(toText));
// async recursion
const countdown = tasks.bind('countdown', async (n: number): Promise<string | Pipeline<string>> => (n === 0 ? 'done' : countdown.send(n - 1)));
expectType<Pipeline<string>>(countdown.send(3));
// a literal or a pipeline of a wider type: the union
const maybeDeferred = tasks.bind('maybeDeferred', (n: number) => (n > 0 ? greet.send('later') : 'now'));
expectType<Pipeline<string>>(maybeDeferred.send(1));
const either = tasks.bind('either', (n: number) => (n > 0 ? multiply.send(n, 2) : 'none'));
expectType<Pipeline<number | 'none'>>(either.send(1));
// the recursive call must send the right arguments and yield the declared result
expectError(tasks.bind('callsBadly', (n: number) => factorial.send(String(n), 1))); // error: Argument of type 'string' is not assignable to parameter of type 'number'
expectError(tasks.bind('wrongResult', (n: number): number | Pipeline<number> => (n <= 0 ? 0 : greet.send('x')))); // error: Type 'Pipeline<string, NoState>' is not assignable to type 'number | Pipeline<number, NoState>'

// ---------------------------------------------------------------- withPausePipeline

const review = tasks.bind('review', (doc: string) => withPausePipeline(doc.trim()));
expectType<BoundTask<(doc: string) => PausePipeline<string>, [doc: string], string>>(review);
expectType<Pipeline<string>>(review.send(' text '));
expectType<PausePipeline<string>>(review(' text ')); // direct call: the effect itself
const asyncReview = tasks.bind('asyncReview', async (n: number) => withPausePipeline({ n, ok: true }));
expectType<Pipeline<{ n: number; ok: boolean }>>(asyncReview.send(1));
const pauseThenContinue = tasks.bind('pauseThenContinue', (n: number) => withPausePipeline(multiply.send(n, 2)));
expectType<Pipeline<number>>(pauseThenContinue.send(1));
expectType<Pipeline<string>>(review.send('a').continueWith(greet));
expectError(review.send('a').continueWith(toText)); // error: continueWith: this task's first parameter does not accept the previous step's result

// ---------------------------------------------------------------- TaskOutput

expectType<number>({} as TaskOutput<number>);
expectType<number>({} as TaskOutput<Promise<number>>);
expectType<number>({} as TaskOutput<Pipeline<number>>);
expectType<number>({} as TaskOutput<Promise<Pipeline<number>>>);
expectType<number>({} as TaskOutput<FinalPipeline<number>>);
expectType<string>({} as TaskOutput<string | Pipeline<string>>);
expectType<string>({} as TaskOutput<PausePipeline<string>>);
expectType<string>({} as TaskOutput<Promise<PausePipeline<Promise<string>>>>);
expectType<[number, string]>({} as TaskOutput<Pipeline<[number, string]>>);

// FIXED (was known bug #1 (see bind.test-d.ts): an orchestrator whose pipeline may yield undefined
// loses the undefined.
//   expected: Pipeline<number | undefined>; actual: Pipeline<number>
const maybe = tasks.bind('maybe', (n: number) => (n > 0 ? n : undefined));
const maybeOrchestrator = tasks.bind('maybeOrchestrator', (n: number) => maybe.send(n));
expectAssignable<ResultOf<ReturnType<typeof maybeOrchestrator.send>>>(undefined);
expectAssignable<TaskOutput<Pipeline<string | undefined>>>(undefined);
