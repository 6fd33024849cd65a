/**
 * Lifecycle: timeouts (bind/set timeoutMs), pauseAfter(), withId(),
 * deferred completion (ctx.defer<T>() makes the task's output T;
 * client.complete(token, value) takes only a T), submit options.
 * None of them changes a pipeline's result type.
 *
 * Every expectError carries `// error: <fragment>`: the compiler message it
 * fails with.
 */
import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import {
  FlinkTasks,
  LocalRuntime,
  type Deferred,
  type DeferredToken,
  type FinalPipeline,
  type Pipeline,
  type SubmitOptions,
  type TaskContext,
  type TasksClient,
} from 'flink-tasks';

const tasks = new FlinkTasks({ namespace: 'example', workerName: 'worker' });
const multiply = tasks.bind({ name: 'multiply', timeoutMs: 5_000 }, (x: number, y: number) => x * y);
const toText = tasks.bind('toText', (n: number) => String(n));
const cleanup = tasks.bind('cleanup', () => undefined);
declare const client: TasksClient;

// ---------------------------------------------------------------- timeouts

expectType<Pipeline<number>>(multiply.send(3, 2));
expectType<Pipeline<number>>(multiply.send(3, 2).set({ timeoutMs: 100 }));
expectError(tasks.bind({ name: 'slow', timeoutMs: '5s' }, (x: number) => x)); // error: Type 'string' is not assignable to type 'number'
expectError(multiply.send(3, 2).set({ timeoutMs: true })); // error: Type 'boolean' is not assignable to type 'number'
expectError(multiply.send(3, 2).set({ timeout: 100 })); // error: 'timeout' does not exist in type

// ---------------------------------------------------------------- pauseAfter / withId

expectType<Pipeline<number>>(multiply.send(3, 2).pauseAfter());
expectType<Pipeline<string>>(multiply.send(3, 2).pauseAfter().continueWith(toText));
expectType<Pipeline<number>>(multiply.send(3, 2).withId('order-42'));
expectType<FinalPipeline<number>>(multiply.send(3, 2).finallyDo(cleanup).withId('order-42'));
expectError(multiply.send(3, 2).withId(42)); // error: Argument of type 'number' is not assignable to parameter of type 'string'
expectError(multiply.send(3, 2).pauseAfter(true)); // error: Expected 0 arguments, but got 1.
// a final pipeline is closed: nothing pauses after its cleanup
expectError(multiply.send(3, 2).finallyDo(cleanup).pauseAfter()); // error: Property 'pauseAfter' does not exist on type 'FinalPipeline<number, NoState>'

// ---------------------------------------------------------------- deferred

const approve = tasks.bind({ name: 'approve', withContext: true, timeoutMs: 86_400_000 }, (ctx: TaskContext, order: string) => {
  const deferred = ctx.defer<boolean>();
  expectType<Deferred<boolean>>(deferred);
  expectType<DeferredToken<boolean>>(deferred.token);
  return deferred;
});
// the pipeline's result is what completes the token, not the Deferred handle
expectType<Pipeline<boolean>>(approve.send('order-1'));
expectType<Pipeline<string>>(approve.send('order-1').continueWith(tasks.bind('verdict', (ok: boolean): string => (ok ? 'yes' : 'no'))));
expectError(approve.send('order-1').continueWith(multiply, 2)); // error: Argument of type

// an async task returning a Deferred is the same
const later = tasks.bind({ name: 'later', withContext: true }, async (ctx: TaskContext) => ctx.defer<{ id: string }>());
expectType<Pipeline<{ id: string }>>(later.send());

// a token is a string (to send anywhere), but a bare string is not a token of a known type
declare const token: DeferredToken<boolean>;
expectAssignable<string>(token);
expectType<Promise<void>>(client.complete(token, true));
expectType<Promise<void>>(client.fail(token, new Error('refused')));
expectError(client.complete(token, 'yes')); // error: Argument of type 'string' is not assignable to parameter of type 'boolean'
expectError(client.complete(token)); // error: Expected 2 arguments, but got 1.
expectError(client.fail(token, 'refused')); // error: Argument of type 'string' is not assignable to parameter of type 'Error'
declare const objectToken: DeferredToken<{ id: string }>;
expectError(client.complete(objectToken, { id: 1 })); // error: Type 'number' is not assignable to type 'string'
expectNotAssignable<DeferredToken<boolean>>(objectToken);
// the local runtime is a TasksClient and types complete() the same way
declare const runtime: LocalRuntime;
expectError(runtime.complete(token, 1)); // error: Argument of type 'number' is not assignable to parameter of type 'boolean'

// ---------------------------------------------------------------- submit options

expectType<Promise<number>>(client.submit(multiply.send(3, 2).withId('order-42'), { ifRunning: 'attach', delayMs: 60_000 }));
expectAssignable<SubmitOptions>({ ifRunning: 'reject' });
expectError(client.submit(multiply.send(3, 2), { ifRunning: 'replace' })); // error: Type '"replace"' is not assignable to type
expectError(client.submit(multiply.send(3, 2), { delayMs: '1m' })); // error: Type 'string' is not assignable to type 'number'
expectType<Promise<boolean>>(client.result(approve.send('order-1'), { wait: true }));
expectType<Promise<unknown>>(client.result('order-42', { wait: true }));
