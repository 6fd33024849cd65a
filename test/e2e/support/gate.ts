/**
 * A rendezvous point between tasks running in the worker process and the
 * test: a small HTTP server in the test process. A task calling
 * `GET {url}/pass/{name}` is held until the test opens gate `name`; the test
 * can wait until a given number of calls have arrived. This replaces sleeps:
 * the test knows exactly when a task is in flight and decides when it ends.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface GateState {
  open: boolean;
  arrivals: number;
  held: ServerResponse[];
  waiters: Array<{ count: number; resolve: () => void }>;
}

export class GateServer {
  readonly #gates = new Map<string, GateState>();
  #server: Server | undefined;
  #url = '';

  /** Base URL tasks call (`{url}/pass/{name}`). */
  get url(): string {
    return this.#url;
  }

  async start(): Promise<this> {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  #gate(name: string): GateState {
    let g = this.#gates.get(name);
    if (!g) {
      g = { open: false, arrivals: 0, held: [], waiters: [] };
      this.#gates.set(name, g);
    }
    return g;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const m = /^\/pass\/(.+)$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !m?.[1]) {
      res.writeHead(404).end();
      return;
    }
    const g = this.#gate(decodeURIComponent(m[1]));
    g.arrivals += 1;
    for (const w of g.waiters.filter((x) => g.arrivals >= x.count)) w.resolve();
    g.waiters = g.waiters.filter((x) => g.arrivals < x.count);
    if (g.open) {
      res.writeHead(200).end('open');
      return;
    }
    g.held.push(res);
    // A caller that goes away (e.g. a killed worker) is no longer held.
    res.on('close', () => {
      g.held = g.held.filter((r) => r !== res);
    });
  }

  /** How many calls gate `name` has seen (including repeated ones). */
  arrivals(name: string): number {
    return this.#gates.get(name)?.arrivals ?? 0;
  }

  /** Calls currently held at gate `name`. */
  holding(name: string): number {
    return this.#gates.get(name)?.held.length ?? 0;
  }

  /** Resolves once gate `name` has seen at least `count` calls in total. */
  arrived(name: string, count = 1): Promise<void> {
    const g = this.#gate(name);
    if (g.arrivals >= count) return Promise.resolve();
    return new Promise<void>((resolve) => g.waiters.push({ count, resolve }));
  }

  /** Lets every held and future call of gate `name` through. */
  open(name: string): void {
    const g = this.#gate(name);
    g.open = true;
    for (const res of g.held) res.writeHead(200).end('open');
    g.held = [];
  }

  async close(): Promise<void> {
    for (const name of this.#gates.keys()) this.open(name);
    const server = this.#server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
