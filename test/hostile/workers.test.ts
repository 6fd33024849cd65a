/**
 * Workers never leave a pipeline waiting: whatever a task throws, however
 * long it runs, whatever function type a batch is addressed to.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FlinkTasks, LocalRuntime, RetryPolicy, silentLogger } from '../../src/index.js';
import { FunctionServer } from '../../src/server.js';
import { codecs, Typenames } from '../../src/wire/codec.js';
import { TaskRequest } from '../../src/wire/generated/flinktasks.js';
import { decodeFromFunction, encodeToFunction } from '../../src/statefun/protocol.js';

const tasks = new FlinkTasks({ namespace: 'workers', workerName: 'worker' });
const throwing = tasks.bind('throwing', (kind: string): number => {
  switch (kind) {
    case 'getter': {
      const thrown = Object.create(null) as Record<string, unknown>;
      Object.defineProperty(thrown, 'message', {
        get: () => {
          throw new Error('no');
        },
        enumerable: true,
      });
      throw thrown;
    }
    case 'proxy': {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      throw proxy;
    }
    case 'error-message': {
      const e = new RangeError('hidden');
      Object.defineProperty(e, 'message', {
        get: () => {
          throw new Error('no message for you');
        },
      });
      throw e;
    }
    case 'huge':
      throw new Error('m'.repeat(1_000_000));
    default:
      throw kind;
  }
});
let slowCalls = 0;
const slow = tasks.bind({ name: 'slow', retry: new RetryPolicy({ maxRetries: 1, retryFor: ['TaskTimeout'] }) }, async (ms: number) => {
  slowCalls += 1;
  await new Promise((r) => setTimeout(r, ms));
  return ms;
});
const quick = tasks.bind('quick', (x: number) => x);

const runtime = new LocalRuntime(tasks, { logger: silentLogger, limits: { callBudgetMs: 100 } });
afterAll(() => runtime.close());

describe('thrown values that cannot be read safely', () => {
  it.each([
    ['a null-prototype object whose getter throws', 'getter', 'object'],
    ['a revoked Proxy', 'proxy', 'object'],
    ['an Error whose message getter throws', 'error-message', 'RangeError'],
  ])('%s fails its pipeline with a readable error', async (_name, kind, errorType) => {
    await expect(runtime.submit(throwing.send(kind))).rejects.toMatchObject({ errorType });
  });

  it('a huge message is cut, and the pipeline still fails cleanly', async () => {
    const error = await runtime.submit(throwing.send('huge')).then(
      () => new Error('resolved'),
      (e: unknown) => e as Error,
    );
    expect(error.message.length).toBeLessThan(20_000);
    expect(error.message).toMatch(/more characters/);
  });
});

describe('tasks longer than a worker may hold a call', () => {
  it('without a result sink fail with TaskTimeout after limits.callBudgetMs: the call is answered in time', async () => {
    const server = new FunctionServer(tasks, { logger: silentLogger, limits: { callBudgetMs: 100 } });
    const request = TaskRequest.create({
      id: 'p/1.0',
      taskName: 'slow',
      invocationId: 'tok',
      uid: 0,
      args: new TextEncoder().encode('{"json":[400]}'),
      retryPolicy: { retryFor: ['TaskTimeout'], maxRetries: 1, delayMs: 0, exponentialBackOff: false, maxDelayMs: 0 },
      reply: { $case: 'replyAddress', value: { namespace: 'workers', type: 'pipeline', id: 'p' } },
    });
    const body = encodeToFunction({
      request: {
        $case: 'invocation',
        value: {
          target: { namespace: 'workers', type: 'worker', id: 'w' },
          state: [{ stateName: 'task_state', stateValue: { typename: 'io.flinktasks/TaskState', hasValue: false, value: new Uint8Array(0) } }],
          invocations: [{ argument: { typename: Typenames.taskRequest, hasValue: true, value: codecs.taskRequest.encode(request) } }],
        },
      },
    });
    slowCalls = 0;
    const started = Date.now();
    const reply = decodeFromFunction(await server.handle(body)).response;
    expect(Date.now() - started).toBeLessThan(400);
    const out = reply?.$case === 'invocationResult' ? [...reply.value.outgoingMessages, ...reply.value.delayedInvocations] : [];
    // Retried by its policy (retryFor TaskTimeout): a delayed message to itself with attempt 1.
    const retry = out.find((m) => m.argument?.typename === Typenames.taskRequest);
    expect(codecs.taskRequest.decode(retry?.argument?.value ?? new Uint8Array(0))).toMatchObject({ attempt: 1 });
    expect(slowCalls).toBe(1);
  });

  it('on the embedded runtime (which has a result sink) run on in the background and deliver their result once', async () => {
    slowCalls = 0;
    expect(await runtime.submit(slow.send(400))).toBe(400);
    expect(slowCalls).toBe(1);
    expect(await runtime.submit(quick.send(3))).toBe(3);
  });
});

describe('batches to function types this server does not serve', () => {
  it('are answered with UnknownFunction failures to the pipelines, not an error status', async () => {
    const server = new FunctionServer(tasks, { logger: silentLogger });
    const request = TaskRequest.create({
      id: 'p/1.0',
      taskName: 'quick',
      invocationId: 'tok',
      uid: 3,
      branch: 2,
      reply: { $case: 'replyAddress', value: { namespace: 'workers', type: 'pipeline', id: 'p' } },
    });
    const body = encodeToFunction({
      request: {
        $case: 'invocation',
        value: {
          target: { namespace: 'workers', type: 'gpu', id: 'x' },
          state: [],
          invocations: [
            { argument: { typename: Typenames.taskRequest, hasValue: true, value: codecs.taskRequest.encode(request) } },
            { argument: { typename: 'io.other/Thing', hasValue: true, value: new Uint8Array([1]) } },
          ],
        },
      },
    });
    const reply = decodeFromFunction(await server.handle(body)).response;
    expect(reply?.$case).toBe('invocationResult');
    const out = reply?.$case === 'invocationResult' ? reply.value.outgoingMessages : [];
    expect(out).toHaveLength(1);
    expect(out[0]?.target).toMatchObject({ namespace: 'workers', type: 'pipeline', id: 'p' });
    const error = codecs.taskException.decode(out[0]?.argument?.value ?? new Uint8Array(0));
    expect(error).toMatchObject({ exceptionType: 'UnknownFunction', invocationId: 'tok', uid: 3, branch: 2 });
    expect(error.exceptionMessage).toContain('workers/gpu');
  });

  it('bytes that are not a request-reply call are refused with an error, not a crash', async () => {
    const server = new FunctionServer(tasks, { logger: silentLogger });
    await expect(server.handle(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).rejects.toThrow();
  });
});
