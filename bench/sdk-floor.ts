/**
 * The floor set by the apache-flink-statefun SDK alone: its handle() driven
 * in-process with a no-op function, per invocation, for batches of 1, 16
 * and 100. Every task costs at least two such invocations (the worker runs
 * it, the pipeline function receives its result).
 *
 *   npx tsx bench/sdk-floor.ts
 */
import { StateFun } from 'apache-flink-statefun';
import { encodeToFunction } from '../dist/statefun/protocol.js';
import { machine } from './machine.js';

const bytes = StateFun.customType(
  'bench/bytes',
  (b: Buffer) => b,
  (b: Buffer) => b,
);
const statefun = new StateFun();
statefun.bind({ typename: 'bench/noop', specs: [{ name: 'state', type: bytes }], fn: () => undefined });
const sink = { writeHead: () => undefined, end: () => undefined };
async function* one(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
}

/** CPU µs per invocation of a no-op function in batches of `batch`. */
export async function sdkFloor(batch: number, rounds = 2000): Promise<number> {
  const payload = new Uint8Array(64).fill(7);
  const body = encodeToFunction({
    request: {
      $case: 'invocation',
      value: {
        target: { namespace: 'bench', type: 'noop', id: 'k' },
        state: [{ stateName: 'state', stateValue: { typename: 'bench/bytes', hasValue: true, value: payload } }],
        invocations: Array.from({ length: batch }, () => ({ argument: { typename: 'bench/msg', hasValue: true, value: payload } })),
      },
    },
  });
  const n = Math.max(50, Math.round(rounds / batch));
  for (let i = 0; i < n; i++) await statefun.handle(one(body), sink);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await statefun.handle(one(body), sink);
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / n / batch;
}

// Also when bundled into another benchmark's child (BENCH_CHILD): its own printout only when run itself.
if (import.meta.url === `file://${process.argv[1]}` && process.env.BENCH_CHILD !== '1') {
  console.log(`SDK floor (apache-flink-statefun 3.3.0 handle(), no-op function, 64-byte payloads) — ${machine()}`);
  for (const batch of [1, 16, 100]) console.log(`batch ${String(batch).padStart(3)}: ${(await sdkFloor(batch, 20000)).toFixed(1)} µs CPU per invocation`);
}
