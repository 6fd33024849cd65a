/**
 * The adapters below the runtimes, on their own: the hand-written protobuf
 * peek of a batch, the cache of decoded records, the embedded engine's
 * retries of failed calls and its value-spec registration.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger, type LogEntry } from '../src/index.js';
import { LocalEngine, type FunctionEndpoint } from '../src/local/engine.js';
import type { PipelineNode } from '../src/ir/nodes.js';
import { decodeFromFunction, encodeToFunction, peekBatch } from '../src/statefun/protocol.js';
import { RecordCache } from '../src/statefun/record-cache.js';
import { FromFunction, ToFunction, type ToFunction_InvocationBatchRequest } from '../src/wire/generated/statefun/request-reply.js';
import { PipelineRecord } from '../src/wire/generated/flinktasks.js';

const target = { namespace: 'ns', type: 'fn', id: 'key-1' };
const typed = (typename: string, bytes: number[]) => ({ typename, hasValue: true, value: new Uint8Array(bytes) });

function batch(invocations: number, stateBytes = 0): Uint8Array {
  return encodeToFunction({
    request: {
      $case: 'invocation',
      value: {
        target,
        state:
          stateBytes > 0
            ? [
                {
                  stateName: 'big',
                  stateValue: typed(
                    't/v',
                    Array.from({ length: stateBytes }, (_, i) => i % 256),
                  ),
                },
              ]
            : [],
        invocations: Array.from({ length: invocations }, (_, i) => ({ caller: { namespace: 'x', type: 'y', id: String(i) }, argument: typed('t/m', [i]) })),
      },
    },
  });
}

describe('peekBatch', () => {
  it('reads the target and counts invocations without decoding state', () => {
    for (const n of [0, 1, 7, 1000]) expect(peekBatch(batch(n, 10_000))).toEqual({ target, invocations: n });
  });

  it('skips fields it does not know, in any order', () => {
    const plain = batch(3);
    const extra = new Uint8Array([0x08, 0x2a, ...plain, 0x12, 0x02, 0x61, 0x62]); // field 1 varint, field 2 bytes around it
    expect(peekBatch(extra)).toEqual({ target, invocations: 3 });
  });

  it('agrees with the full decoder on random batches', () => {
    for (let i = 0; i < 50; i++) {
      const n = Math.floor(Math.random() * 20);
      const bytes = batch(n, Math.floor(Math.random() * 300));
      const full = ToFunction.decode(bytes).request?.value as ToFunction_InvocationBatchRequest;
      expect(peekBatch(bytes)).toEqual({ target: full.target, invocations: full.invocations.length });
    }
  });

  it('throws on bytes that are not a batch (the caller answers 400, never 500 for Flink)', () => {
    expect(() => peekBatch(new Uint8Array([0xa2, 0x06, 0xff, 0xff, 0xff, 0xff, 0x0f]))).toThrow();
  });
});

describe('RecordCache', () => {
  const entry = (id: string) => ({
    record: PipelineRecord.create({ pipelineId: id }),
    ir: { kind: 'Pipeline', entries: [], inline: false, initialState: undefined } as PipelineNode,
  });

  it('keys by pipeline and run, and evicts the least recently used', () => {
    const cache = new RecordCache(2);
    const a = entry('a');
    const b = entry('b');
    cache.set('a', 1, a);
    cache.set('b', 1, b);
    expect(cache.get('a', 1)).toBe(a); // a is now the most recent
    cache.set('c', 1, entry('c'));
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)).toBe(a);
    expect(cache.get('a', 2)).toBeUndefined();
  });
});

describe('LocalEngine', () => {
  function answer(result: FromFunction): Uint8Array {
    return FromFunction.encode(result).finish();
  }
  const empty = (): FromFunction => ({
    response: { $case: 'invocationResult', value: { stateMutations: [], outgoingMessages: [], delayedInvocations: [], outgoingEgresses: [] } },
  });

  it('registers missing value specs and sends the same batch again with the state attached', async () => {
    const requests: ToFunction_InvocationBatchRequest[] = [];
    const endpoint: FunctionEndpoint = {
      handle: async (body) => {
        const request = ToFunction.decode(body).request?.value as ToFunction_InvocationBatchRequest;
        requests.push(request);
        if (request.state.length === 0) {
          return answer({
            response: {
              $case: 'incompleteInvocationContext',
              value: { missingValues: [{ stateName: 'count', typeTypename: 'io/Int', expirationSpec: undefined }] },
            },
          });
        }
        return answer({
          response: {
            $case: 'invocationResult',
            value: {
              stateMutations: [{ mutationType: 1, stateName: 'count', stateValue: typed('io/Int', [requests.length]) }],
              outgoingMessages: [],
              delayedInvocations: [],
              outgoingEgresses: [],
            },
          },
        });
      },
    };
    const engine = new LocalEngine({ logger: silentLogger, onEgress: () => undefined });
    engine.register('ns/fn', endpoint);
    engine.deliver(target, typed('t/m', [1]));
    await engine.idle();
    engine.deliver(target, typed('t/m', [2]));
    await engine.idle();
    expect(requests.map((r) => r.state.map((s) => `${s.stateName}:${s.stateValue?.hasValue}`))).toEqual([[], ['count:false'], ['count:true']]);
    expect(requests[1]?.invocations).toEqual(requests[0]?.invocations);
  });

  it('retries a batch whose call fails, then reports it once the attempts are spent', async () => {
    const logs: LogEntry[] = [];
    let calls = 0;
    const flaky: FunctionEndpoint = {
      handle: async () => {
        calls += 1;
        if (calls < 3) throw new Error(`call ${calls} failed`);
        return answer(empty());
      },
    };
    const engine = new LocalEngine({ logger: (e) => logs.push(e), onEgress: () => undefined });
    engine.register('ns/fn', flaky);
    engine.deliver(target, typed('t/m', [1]));
    await engine.idle();
    expect(calls).toBe(3);
    expect(logs.filter((l) => l.message === 'function call failed; retrying the batch')).toHaveLength(2);

    const broken: FunctionEndpoint = {
      handle: async () => {
        throw new Error('always');
      },
    };
    const engine2 = new LocalEngine({ logger: (e) => logs.push(e), onEgress: () => undefined });
    engine2.register('ns/fn', broken);
    engine2.deliver(target, typed('t/m', [1]));
    await engine2.idle();
    expect(logs.some((l) => l.message === 'batch dropped after repeated failures')).toBe(true);
  });

  it('batches what arrives while a call is in flight, one call per address at a time', async () => {
    const sizes: number[] = [];
    let inFlight = 0;
    let most = 0;
    const slow: FunctionEndpoint = {
      handle: async (body) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        sizes.push(peekBatch(body).invocations);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        return answer(empty());
      },
    };
    const engine = new LocalEngine({ logger: silentLogger, onEgress: () => undefined, maxBatchSize: 4 });
    engine.register('ns/fn', slow);
    for (let i = 0; i < 10; i++) engine.deliver(target, typed('t/m', [i]));
    await engine.idle();
    expect(most).toBe(1);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
    expect(decodeFromFunction(answer(empty())).response?.$case).toBe('invocationResult');
  });
});
