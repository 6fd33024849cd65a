/**
 * p.exceptionally(handler, ...extra): handler(error: TaskError, ...extra), the
 * result widens to Out | R. p.finallyDo(task, ...args): a FinalPipeline<T> that
 * cannot be continued.
 *
 * Every expectError carries `// error: <fragment>`: the compiler message it
 * fails with.
 */
import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import {
  FlinkTasks,
  TaskError,
  inParallel,
  type ExceptionallyCheck,
  type FinalPipeline,
  type InitialState,
  type GroupPipeline,
  type Pipeline,
  type PipelineLike,
  type PipelineTypeError,
  type ResultOf,
} from 'flink-tasks';

const tasks = new FlinkTasks({ namespace: 'example', workerName: 'worker' });
const divide = tasks.bind('divide', (x: number, y: number) => x / y);
const greet = tasks.bind('greet', (name: string) => `hello ${name}`);
const double = tasks.bind('double', (x: number) => x * 2);
const cleanup = tasks.bind('cleanup', (dir: string) => dir.length);
const notify = tasks.bind('notify', (channel: string, times: number) => `${channel}${times}`);
const flush = tasks.bind('flush', () => undefined);

const fallback = tasks.bind('fallback', (e: TaskError, value: number) => (e.errorType === 'RangeError' ? value : -value));
const describeError = tasks.bind('describeError', (e: TaskError) => `${e.taskName}: ${e.message}`);
const asNull = tasks.bind('asNull', (e: TaskError) => (e.errors.length > 0 ? null : null));
const asyncFallback = tasks.bind('asyncFallback', async (e: TaskError) => e.branch ?? 0);
const fromError = tasks.bind('fromError', (e: Error) => e.message.length);
const fromUnknown = tasks.bind('fromUnknown', (e: unknown) => String(e));
const fromAny = tasks.bind('fromAny', (e: any) => e === undefined);
const fromString = tasks.bind('fromString', (e: string) => e.length);
const fromNumber = tasks.bind('fromNumber', (e: number, fallbackValue: number) => e + fallbackValue);
const withOptions = tasks.bind('withOptions', (e: TaskError, value: number, label: string) => `${label}${value}${e.message}`);

const MUST_ACCEPT = 'exceptionally: the handler must accept a TaskError as its first parameter';
const NO_PARAMS = 'exceptionally: the handler takes no parameters, but it is called with the TaskError first';

// ---------------------------------------------------------------- exceptionally: accepted

expectType<Pipeline<number>>(divide.send(1, 0).exceptionally(fallback, 0)); // fallback(error, 0)
expectType<Pipeline<number | string>>(divide.send(1, 0).exceptionally(describeError));
expectType<Pipeline<number | null>>(divide.send(1, 0).exceptionally(asNull));
expectType<Pipeline<string | number>>(greet.send('a').exceptionally(asyncFallback)); // async handler awaited
expectType<Pipeline<string>>(greet.send('a').exceptionally(withOptions, 1, 'x'));
// first parameter wider than TaskError: Error, unknown, any
expectType<Pipeline<number>>(divide.send(1, 0).exceptionally(fromError));
expectType<Pipeline<number | string>>(divide.send(1, 0).exceptionally(fromUnknown));
expectType<Pipeline<number | boolean>>(divide.send(1, 0).exceptionally(fromAny));
// chained handlers and continuing after recovery: the continuation sees Out | R
const recovered = divide.send(1, 0).exceptionally(describeError);
expectType<Pipeline<string | number>>(recovered);
expectType<string | number>({} as ResultOf<typeof recovered>);
const describe = tasks.bind('describe', (v: number | string) => String(v));
expectType<Pipeline<string>>(recovered.continueWith(describe));
expectError(recovered.continueWith(double)); // error: continueWith: this task's first parameter does not accept the previous step's result
expectType<Pipeline<number | string | null>>(recovered.exceptionally(asNull));
expectType<Pipeline<number>>(divide.send(1, 0).exceptionally(fallback, 0).continueWith(double));
// a group can be recovered as a whole
expectType<Pipeline<[number, string] | null>>(inParallel([divide.send(1, 2), greet.send('a')]).exceptionally(asNull));

// ---------------------------------------------------------------- exceptionally: rejected

// handler whose first parameter does not take a TaskError
expectError(divide.send(1, 0).exceptionally(fromString)); // error: exceptionally: the handler must accept a TaskError as its first parameter
expectError(divide.send(1, 0).exceptionally(fromNumber, 0)); // error: exceptionally: the handler must accept a TaskError as its first parameter
expectError(divide.send(1, 0).exceptionally(divide, 0)); // error: exceptionally: the handler must accept a TaskError as its first parameter
// handler with no parameters
expectError(divide.send(1, 0).exceptionally(flush)); // error: exceptionally: the handler takes no parameters, but it is called with the TaskError first
// extras: too few, too many, wrong type, error passed explicitly
expectError(divide.send(1, 0).exceptionally(fallback)); // error: Expected 2 arguments, but got 1.
expectError(divide.send(1, 0).exceptionally(withOptions, 1)); // error: Expected 3 arguments, but got 2.
expectError(divide.send(1, 0).exceptionally(describeError, 1)); // error: Expected 1 arguments, but got 2.
expectError(divide.send(1, 0).exceptionally(fallback, '0')); // error: Argument of type 'string' is not assignable to parameter of type 'number'
expectError(divide.send(1, 0).exceptionally(fallback, {} as TaskError, 0)); // error: Expected 2 arguments, but got 3.
// only bound tasks
expectError(divide.send(1, 0).exceptionally((e: TaskError) => e.message)); // error: is not assignable to parameter of type 'Task<readonly unknown[], unknown, NoState>'

// the check type and its messages
expectType<unknown>({} as ExceptionallyCheck<[e: TaskError]>);
expectType<unknown>({} as ExceptionallyCheck<[e: Error, n: number]>);
expectType<unknown>({} as ExceptionallyCheck<[e: unknown]>);
expectType<PipelineTypeError<typeof MUST_ACCEPT, [firstParameter: string]>>({} as ExceptionallyCheck<[e: string]>);
expectType<PipelineTypeError<typeof MUST_ACCEPT, [firstParameter: { code: number }]>>({} as ExceptionallyCheck<[e: { code: number }]>);
expectType<PipelineTypeError<typeof MUST_ACCEPT, [firstParameter: number]>>({} as ExceptionallyCheck<[e: number, n: number]>);
expectType<PipelineTypeError<typeof NO_PARAMS>>({} as ExceptionallyCheck<[]>);

// ---------------------------------------------------------------- finallyDo

// the task gets exactly its own arguments (NOT the previous result); T is kept
const final = divide.send(1, 2).finallyDo(cleanup, '/tmp');
expectType<FinalPipeline<number>>(final);
expectType<number>({} as ResultOf<typeof final>);
expectType<FinalPipeline<string>>(greet.send('a').finallyDo(notify, 'ops', 3));
expectType<FinalPipeline<number>>(divide.send(1, 2).finallyDo(flush));
expectType<FinalPipeline<number | string>>(divide.send(1, 0).exceptionally(describeError).finallyDo(cleanup, '/tmp'));
expectType<FinalPipeline<[number, string]>>(inParallel([divide.send(1, 2), greet.send('a')]).finallyDo(flush));
expectError(divide.send(1, 2).finallyDo(cleanup)); // error: Expected 2 arguments, but got 1.
expectError(divide.send(1, 2).finallyDo(cleanup, 1)); // error: Argument of type 'number' is not assignable to parameter of type 'string'
expectError(divide.send(1, 2).finallyDo(cleanup, '/tmp', 1)); // error: Expected 2 arguments, but got 3.
expectError(divide.send(1, 2).finallyDo(notify, 'ops')); // error: Expected 3 arguments, but got 2.
expectError(divide.send(1, 2).finallyDo(flush, 1)); // error: Expected 1 arguments, but got 2.
expectError(divide.send(1, 2).finallyDo((dir: string) => dir, '/tmp')); // error: Argument of type '(dir: string) => string' is not assignable to parameter of type 'Task<[string], unknown, NoState>'

// nothing can follow finallyDo
expectError(final.continueWith(double)); // error: Property 'continueWith' does not exist on type 'FinalPipeline<number, NoState>'
expectError(final.exceptionally(describeError)); // error: Property 'exceptionally' does not exist on type 'FinalPipeline<number, NoState>'
expectError(final.finallyDo(cleanup, '/tmp')); // error: Property 'finallyDo' does not exist on type 'FinalPipeline<number, NoState>'
expectError(final.set({ displayName: 'cleanup' })); // error: Property 'set' does not exist on type 'FinalPipeline<number, NoState>'
// … not even after withInitial / inline, which keep it final
expectType<FinalPipeline<number, InitialState<{ n: number }>>>(final.withInitial({ state: { n: 0 } }));
expectType<FinalPipeline<number>>(final.inline());
expectError(final.withInitial({ state: 1 }).continueWith(double)); // error: Property 'continueWith' does not exist on type 'FinalPipeline<number, InitialState<number>>'
expectError(final.inline().set({ taskId: 'x' })); // error: Property 'set' does not exist on type 'FinalPipeline<number, NoState>'
// it is still a pipeline that can be run, grouped and returned
expectType<string>(final.id);
expectAssignable<PipelineLike<number>>(final);
expectNotAssignable<Pipeline<number>>(final);
expectType<GroupPipeline<[number, string]>>(inParallel([final, greet.send('a')]));
// and a group of final pipelines is an ordinary (continuable) pipeline
expectType<Pipeline<number>>(inParallel([final, final]).continueWith(tasks.bind('sum', (xs: number[]) => xs.length)));
