/** Tasks and a runtime shared by the behaviour tests. */
import { FlinkTasks, LocalRuntime, RetryPolicy, TaskError, silentLogger, type Pipeline, type TaskContext } from '../src/index.js';

export function makeTasks(options: { groupSplitThreshold?: number } = {}) {
  const tasks = new FlinkTasks({ namespace: 'test', workerName: 'worker', ...options });
  const calls: string[] = [];
  const add = tasks.bind('add', (x: number, y: number) => x + y);
  const multiply = tasks.bind('multiply', (x: number, y: number) => x * y);
  const divide = tasks.bind('divide', (x: number, y: number) => {
    if (y === 0) throw new RangeError('division by zero');
    return x / y;
  });
  const asyncDouble = tasks.bind('asyncDouble', async (x: number) => {
    await new Promise((r) => setTimeout(r, 1));
    return x * 2;
  });
  const sum = tasks.bind('sum', (xs: number[]) => xs.reduce((a, b) => a + b, 0));
  const identity = tasks.bind('identity', (x: unknown) => x);
  const fail = tasks.bind('fail', (message: string): number => {
    throw new TypeError(message);
  });
  const recover = tasks.bind('recover', (e: TaskError, fallback: number) => fallback);
  const describeError = tasks.bind('describeError', (e: TaskError) => `${e.errorType}: ${e.message}`);
  const record = tasks.bind('record', (label: string) => {
    calls.push(label);
  });
  const then = tasks.bind('then', (_previous: unknown, label: string) => {
    calls.push(label);
  });
  const failFinally = tasks.bind('failFinally', (): void => {
    throw new Error('finally failed');
  });
  const factorial = tasks.bind('factorial', (n: number, acc: number): number | Pipeline<number> => (n <= 1 ? acc : factorial.send(n - 1, acc * n)));
  const countdown = tasks.bind('countdown', (n: number): string | Pipeline<string> => (n === 0 ? 'liftoff' : countdown.send(n - 1)));
  const sumOfSquares = tasks.bind('sumOfSquares', (xs: number[]) => inParallelOf(xs.map((x) => multiply.send(x, x))).continueWith(sum));
  // Every stateful fixture uses the state type `unknown`, so they mix in one pipeline.
  const setKey = tasks.bind({ name: 'setKey', withState: true }, (state: unknown, key: string, value: unknown): { state: unknown; result: string } => ({
    state: { ...(typeof state === 'object' && state !== null ? state : {}), [key]: value },
    result: key,
  }));
  const readState = tasks.bind({ name: 'readState', withState: true }, (state: unknown, _x?: unknown) => ({ state, result: state }));
  const replaceState = tasks.bind({ name: 'replaceState', withState: true }, (_state: unknown, value: unknown) => ({ state: value, result: value }));
  const failWithState = tasks.bind({ name: 'failWithState', withState: true }, (_state: unknown, _previous: unknown): { state: unknown; result: number } => {
    throw new Error('stateful failure');
  });
  const recoverWithState = tasks.bind({ name: 'recoverWithState', withState: true }, (state: unknown, _e: TaskError) => ({ state, result: state }));
  const attempts = new Map<string, number>();
  const flaky = tasks.bind(
    { name: 'flaky', retry: new RetryPolicy({ maxRetries: 3, delayMs: 5, exponentialBackoff: true }) },
    (key: string, failures: number) => {
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      if (n <= failures) throw new Error(`attempt ${n} failed`);
      return n;
    },
  );
  const onlyRetryRange = tasks.bind(
    { name: 'onlyRetryRange', retry: new RetryPolicy({ maxRetries: 5, retryFor: [RangeError] }) },
    (key: string, kind: 'range' | 'type') => {
      attempts.set(key, (attempts.get(key) ?? 0) + 1);
      if (kind === 'range') throw new RangeError('retry me');
      throw new TypeError('do not retry me');
    },
  );
  const memo = tasks.bind({ name: 'memo', withContext: true, taskId: 'memo-1' }, (ctx: TaskContext, n: number) => {
    const seen = ctx.getState<number[]>() ?? [];
    ctx.setState([...seen, n]);
    return seen.length;
  });
  const fresh = tasks.bind({ name: 'fresh', withContext: true }, (ctx: TaskContext, n: number) => {
    const seen = ctx.getState<number[]>() ?? [];
    ctx.setState([...seen, n]);
    return seen.length;
  });
  const whoAmI = tasks.bind({ name: 'whoAmI', withContext: true }, (ctx: TaskContext) => ({
    taskName: ctx.taskName,
    pipelineId: ctx.pipelineId,
    rootPipelineId: ctx.rootPipelineId,
    taskId: ctx.taskId,
  }));
  return {
    tasks,
    calls,
    attempts,
    add,
    multiply,
    divide,
    asyncDouble,
    sum,
    identity,
    fail,
    recover,
    describeError,
    record,
    then,
    failFinally,
    factorial,
    countdown,
    sumOfSquares,
    setKey,
    readState,
    replaceState,
    failWithState,
    recoverWithState,
    flaky,
    onlyRetryRange,
    memo,
    fresh,
    whoAmI,
  };
}

import { inParallel as inParallelOf } from '../src/index.js';

export function runtimeFor(tasks: FlinkTasks): LocalRuntime {
  return new LocalRuntime(tasks, { logger: silentLogger });
}

/** A door a task waits at until the test opens it. */
export class Gate {
  entered!: () => void;
  readonly reached = new Promise<void>((r) => (this.entered = r));
  open!: () => void;
  readonly opened = new Promise<void>((r) => (this.open = r));
}

const gates = new Map<string, Gate>();

/** The gate named `name` (made on first use; names are global to the test process). */
export function gate(name: string): Gate {
  let g = gates.get(name);
  if (!g) gates.set(name, (g = new Gate()));
  return g;
}

/** Forgets gate `name`: its next use makes a new one. */
export function forgetGate(name: string): void {
  gates.delete(name);
}
