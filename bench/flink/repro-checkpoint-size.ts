/**
 * Reproduction: on the launcher as it is (flink/module.yaml, no extra Flink
 * configuration), a few 10k fan-outs make every checkpoint fail and the job
 * restart in a loop.
 *
 * - flink-tasks keeps the state of every finished pipeline (record +
 *   progress, for the root and each child pipeline) with no expiry: about
 *   1.6 MiB per 10k fan-out.
 * - The launcher's MiniCluster uses Flink's default JobManager (memory)
 *   checkpoint storage, which refuses state above 5 MiB: "Size of the state is
 *   larger than the maximum permitted memory-backed state". Each failed
 *   checkpoint is a global failure (no tolerable failed checkpoints), the job
 *   restarts from the last good checkpoint and re-runs the tasks since; once
 *   the retained state alone passes 5 MiB no checkpoint completes again, so
 *   exactly-once egress never publishes a reply.
 *
 *   npx tsx bench/flink/repro-checkpoint-size.ts      (after npm run build)
 *
 * Passing `state.checkpoints.dir=file:///some/dir` to up.sh (filesystem
 * checkpoint storage) avoids it; bench/flink.ts does that.
 */
import { FlinkTasks, inParallel } from '../../dist/index.js';
import { serve } from '../../dist/server.js';
import { KafkaTasksClient } from '../../dist/kafka.js';
import { checkpointCounts, jobId, numRestarts, startFlink, stopFlink, waitForLauncherFree } from './launcher.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const log = (s: string) => console.log(`[repro ${new Date().toISOString().slice(11, 19)}] ${s}`);
const tasks = new FlinkTasks({ namespace: 'example', workerName: 'worker' });
const noop = tasks.bind('noop', (x: number) => x);

let startedAt: number | undefined;
let client: KafkaTasksClient | undefined;
let served: Awaited<ReturnType<typeof serve>> | undefined;
try {
  await waitForLauncherFree(log);
  served = await serve(tasks, { port: 18000 });
  startedAt = Date.now();
  await startFlink(process.env.FLINK_TASKS_MODULE ?? `${process.cwd()}/flink/module.yaml`, [], (l) => log(`  ${l}`));
  client = await KafkaTasksClient.connect({ brokers: ['127.0.0.1:19092'], timeoutMs: 60_000 });
  const jid = await jobId();
  for (let round = 1; round <= ROUNDS; round++) {
    const t0 = performance.now();
    let outcome: string;
    try {
      const r = await client.submit(inParallel(Array.from({ length: 10_000 }, (_, i) => noop.send(i))));
      outcome = r.length === 10_000 && r.every((v, i) => v === i) ? 'correct result' : 'WRONG result';
    } catch (err) {
      outcome = `no reply: ${String(err)}`;
    }
    const cp = await checkpointCounts(jid);
    const stuck = outcome.startsWith('no reply');
    log(`10k fan-out #${round}: ${(performance.now() - t0).toFixed(0)} ms, ${outcome}; latest completed checkpoint ${(cp.stateSize / 1024).toFixed(0)} KiB, checkpoints completed ${cp.completed} / failed ${cp.failed}, job restarts ${await numRestarts(jid)}`);
    if (stuck) break;
  }
} finally {
  await client?.close().catch(() => undefined);
  if (startedAt !== undefined) await stopFlink(startedAt, log);
  await served?.close();
}
