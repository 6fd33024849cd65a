/**
 * One HTTP endpoint (127.0.0.1:18000/statefun) serving both the flink-tasks
 * functions (through a FunctionServer) and the hand-written StateFun
 * functions (through their own StateFun.handle), routed by the target
 * function type read from the ToFunction bytes. Counts requests, invocations
 * and handler time per function type, and notes when a watched orchestrator
 * address answers with its reply egress.
 */
import { Buffer } from 'node:buffer';
import { createServer, type Server } from 'node:http';
import type { StateFun } from 'apache-flink-statefun';
import type { FunctionServer } from '../../dist/server.js';
import { peekBatch } from '../../dist/statefun/protocol.js';
import { BinaryReader } from '../../dist/wire/protobuf-runtime.js';

export interface TypeStats {
  requests: number;
  /** Invocations in requests answered with results (not the ones sent back for missing value specs). */
  invocations: number;
  /** Requests answered with `incomplete_invocation_context` (value specs to register; the runtime re-sends them). */
  incomplete: number;
  /** Largest number of invocations in one request. */
  maxBatch: number;
  /** Time from receiving the request body to having the answer, summed. */
  busyMs: number;
  requestBytes: number;
  /** Bytes of state values in the requests (what StateFun ships with every batch). */
  stateBytes: number;
  responseBytes: number;
}

export interface Watch {
  /** Function type (`namespace/name`) and id of the orchestrating address to watch. */
  readonly type: string;
  readonly id: string;
  /** Bytes that appear in that address's answer when it publishes the reply (the reply topic). */
  readonly marker: Buffer;
  /** performance.now() after the last matching answer was computed. */
  egressAt?: number;
}

export class BenchServer {
  readonly stats = new Map<string, TypeStats>();
  errors = 0;
  watch: Watch | undefined;
  #server: Server | undefined;

  constructor(
    readonly functions: FunctionServer,
    readonly hand: StateFun,
    readonly handTypes: ReadonlySet<string>,
  ) {}

  resetStats(): void {
    this.stats.clear();
  }

  async listen(port: number, host = '127.0.0.1', path = '/statefun'): Promise<void> {
    const server = createServer((req, res) => {
      if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== path) {
        res.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        void this.#dispatch(body).then(
          (out) => res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': out.byteLength }).end(out),
          (err: unknown) => {
            this.errors += 1;
            console.error('[server] call failed:', err);
            res.writeHead(500, { 'Content-Type': 'application/octet-stream' }).end();
          },
        );
      });
    });
    server.keepAliveTimeout = 20_000;
    server.headersTimeout = 25_000;
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
  }

  async #dispatch(body: Buffer): Promise<Uint8Array> {
    const t0 = performance.now();
    const { target, invocations } = peekBatch(body);
    if (!target) throw new Error('a request without a target address');
    const type = `${target.namespace}/${target.type}`;
    let out: Uint8Array;
    if (this.handTypes.has(type)) out = await handleWith(this.hand, body);
    else out = await this.functions.handle(body);
    const t1 = performance.now();
    let s = this.stats.get(type);
    if (!s) this.stats.set(type, (s = { requests: 0, invocations: 0, incomplete: 0, maxBatch: 0, busyMs: 0, requestBytes: 0, stateBytes: 0, responseBytes: 0 }));
    s.requests += 1;
    // FromFunction field 101 (incomplete_invocation_context): tag 810 = varint 0xaa 0x06
    if (out[0] === 0xaa && out[1] === 0x06) s.incomplete += 1;
    else s.invocations += invocations;
    s.maxBatch = Math.max(s.maxBatch, invocations);
    s.busyMs += t1 - t0;
    s.requestBytes += body.byteLength;
    s.stateBytes += stateBytesOf(body);
    s.responseBytes += out.byteLength;
    const w = this.watch;
    if (w && w.type === type && w.id === target.id && Buffer.from(out.buffer, out.byteOffset, out.byteLength).indexOf(w.marker) >= 0) w.egressAt = t1;
    return out;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

/** Bytes of the state values (`InvocationBatchRequest.state`, field 2 of field 100) in a request. */
function stateBytesOf(body: Uint8Array): number {
  const reader = new BinaryReader(body);
  let total = 0;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag !== ((100 << 3) | 2)) {
      reader.skipType(tag & 7);
      continue;
    }
    const end = reader.uint32() + reader.pos;
    while (reader.pos < end) {
      const inner = reader.uint32();
      if (inner === ((2 << 3) | 2)) {
        const length = reader.uint32();
        total += length;
        reader.skip(length);
      } else reader.skipType(inner & 7);
    }
  }
  return total;
}

/** One call through the SDK's own handle(), as its HTTP handler would make it. */
async function handleWith(statefun: StateFun, body: Buffer): Promise<Uint8Array> {
  let status = 0;
  let out: Uint8Array = new Uint8Array(0);
  await statefun.handle(
    (async function* () {
      yield body;
    })(),
    {
      writeHead: (code: number) => {
        status = code;
      },
      end: (data?: Uint8Array) => {
        if (data) out = data;
      },
    },
  );
  if (status !== 200) throw new Error(`the StateFun SDK answered ${status}`);
  return out;
}
