/**
 * Clients and the HTTP endpoint under hostile conditions: sends that fail,
 * garbage on the reply topic, oversized and slow request bodies.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { PipelineClient } from '../../src/client/pipeline-client.js';
import { FlinkTasks, silentLogger, type LogEntry } from '../../src/index.js';
import { serve, type ServedFunctions } from '../../src/server.js';
import { codecs } from '../../src/wire/codec.js';

const tasks = new FlinkTasks({ namespace: 'clients', workerName: 'worker' });
const double = tasks.bind('double', (x: number) => x * 2);

/** A client whose transport fails every send; replies can be injected. */
class BrokenTransport extends PipelineClient {
  readonly logs: LogEntry[] = [];
  constructor(timeoutMs?: number) {
    const logs: LogEntry[] = [];
    super('flink-tasks.replies', timeoutMs, (e) => logs.push(e));
    this.logs = logs;
  }
  protected sendCommand(): Promise<void> {
    return Promise.reject(new Error('broker down'));
  }
  protected release(): void {}
  inject(bytes: Uint8Array): boolean {
    return this.deliverReply(bytes);
  }
}

describe('PipelineClient', () => {
  it('a failed send rejects the call with the send error and leaves no waiter behind', async () => {
    const client = new BrokenTransport(50);
    await expect(client.submit(double.send(1))).rejects.toThrow('broker down');
    await expect(client.status('some-id')).rejects.toThrow('broker down');
    // With a waiter left behind, its timeout would reject with no handler and fail this test run.
    await new Promise((r) => setTimeout(r, 120));
    await client.close();
  });

  it('garbage on the reply topic is skipped with a log line', () => {
    const client = new BrokenTransport();
    expect(client.inject(new Uint8Array([0xff, 0xff, 0xff]))).toBe(false);
    expect(client.logs[0]).toMatchObject({ level: 'warn', message: expect.stringContaining('not a flink-tasks reply') });
    expect(
      client.inject(codecs.reply.encode({ reply: { $case: 'actionResult', value: { id: 'x', action: 0, correlationId: 'nobody', status: { value: 1 } } } })),
    ).toBe(false);
  });
});

describe('serve()', () => {
  const servedPromise = serve(tasks, { port: 0, logger: silentLogger, maxRequestBytes: 1024, requestTimeoutMs: 300 });
  afterAll(async () => (await servedPromise).close());

  const post = async (
    server: ServedFunctions | undefined,
    headers: Record<string, string | number>,
    write: (req: ReturnType<typeof request>) => void,
  ): Promise<number> => {
    const served = server ?? (await servedPromise);
    const url = new URL(served.url);
    return new Promise((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve(-1) : reject(err)));
      write(req);
    });
  };

  it('refuses a body whose declared length is over maxRequestBytes with 413, before reading it', async () => {
    expect(await post(undefined, { 'Content-Length': 10_000_000 }, (req) => req.write(Buffer.alloc(10)))).toBe(413);
  });

  it('refuses a body that does not declare its length with 411 (StateFun always does), before buffering it', async () => {
    expect(
      await post(undefined, { 'Transfer-Encoding': 'chunked' }, (req) => {
        for (let i = 0; i < 10; i++) req.write(Buffer.alloc(512));
        req.end();
      }),
    ).toBe(411);
  });

  it('answers 413 to a client that asks first (Expect: 100-continue), without it sending the body', async () => {
    expect(await post(undefined, { 'Content-Length': 10_000_000, Expect: '100-continue' }, (req) => req.on('continue', () => req.end(Buffer.alloc(10))))).toBe(
      413,
    );
  });

  it('a sender writing a body over the limit without asking first reads the 413, not a reset', async () => {
    // 4 MiB written at once, as fast as the socket takes it, five times: the
    // server reads and drops the first MiB, then stops reading, so that every
    // sender reads its answer before the connection is closed. (A server with
    // a request timeout of 3 s, so a linger of 3 s: the other tests' 300 ms is
    // tighter than a loaded machine answers in.)
    const roomy = await serve(tasks, { port: 0, logger: silentLogger, maxRequestBytes: 1024, requestTimeoutMs: 3_000 });
    const outcomes: number[] = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(
        await post(roomy, { 'Content-Length': 4 * 1024 * 1024 }, (req) => {
          for (let sent = 0; sent < 4 * 1024 * 1024; sent += 64 * 1024) req.write(Buffer.alloc(64 * 1024, 0x61));
          req.end();
        }),
      );
    }
    await roomy.close();
    expect(outcomes).toEqual([413, 413, 413, 413, 413]);
  });

  it('a sender that keeps writing after its 413 is cut off once the linger time is over', async () => {
    // A raw connection that reads its answer but ignores `Connection: close`
    // and the server's FIN, trickling on towards its declared gigabyte.
    const served = await servedPromise;
    const url = new URL(served.url);
    const ended = await new Promise<{ answer: string; closedAfterMs: number }>((resolve) => {
      let answer = '';
      const started = performance.now();
      const socket = connect({ host: url.hostname, port: Number(url.port), allowHalfOpen: true }, () => {
        socket.write(`POST ${url.pathname} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n`);
      });
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      const trickle = setInterval(() => (socket.destroyed ? clearInterval(trickle) : socket.write(Buffer.alloc(1024))), 20);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(trickle);
        resolve({ answer, closedAfterMs: performance.now() - started });
      });
    });
    expect(ended.answer).toMatch(/^HTTP\/1\.1 413 .*\r\n[\s\S]*connection: close/i);
    // the linger time is min(10 s, requestTimeoutMs), 300 ms here
    expect(ended.closedAfterMs).toBeGreaterThanOrEqual(250);
    expect(ended.closedAfterMs).toBeLessThan(3_000);
  });

  it('answers a body that is not a StateFun call with 400', async () => {
    expect(await post(undefined, {}, (req) => req.end(Buffer.from([0xff, 0xff, 0xff])))).toBe(400);
  });

  it('gives up on a request that is not sent in time with 408', async () => {
    const status = await post(undefined, { 'Content-Length': 100 }, (req) => req.write(Buffer.alloc(10)));
    expect(status).toBe(408);
  }, 5_000);
});
