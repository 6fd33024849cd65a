// End-to-end smoke test of the local runtime started by flink/bin/up.sh:
//   kafkajs -> flink-tasks.requests -> StateFun (Kafka ingress) -> HTTP ->
//   example/pipeline (this process) -> flinktasks/replies egress (exactly-once)
//   -> flink-tasks.replies -> kafkajs (read_committed)
//
// Usage: (cd flink/smoke && npm install) && bash flink/bin/up.sh && node flink/smoke/smoke.mjs
// Exits 0 when the echoed record arrives, 1 otherwise.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { StateFun, kafkaEgressMessage } from "apache-flink-statefun";
import kafkajs from "kafkajs";

const { Kafka, Partitioners, logLevel } = kafkajs;
const BROKER = process.env.FLINK_TASKS_KAFKA ?? "127.0.0.1:19092";
const PORT = 18000;
const TIMEOUT_MS = Number(process.env.SMOKE_TIMEOUT_MS ?? 90_000);
const KEY = "p1";
const payload = Buffer.from(`smoke ${randomUUID()}`);

const t0 = Date.now();
const since = () => `${((Date.now() - t0) / 1000).toFixed(2)}s`;
const log = (...args) => console.log(`[smoke ${since()}]`, ...args);

// --- the remote function --------------------------------------------------
let invocations = 0;
const statefun = new StateFun();
statefun.bind({
  typename: "example/pipeline",
  fn(ctx, message) {
    // An exception here would make the handler answer HTTP 500 silently.
    try {
      invocations++;
      if (message.valueTypeName !== "io.flinktasks/TaskRequest") {
        log(`ignoring ${message.valueTypeName} for ${ctx.self.id}`);
        return;
      }
      ctx.send(
        kafkaEgressMessage({
          typename: "flinktasks/replies",
          topic: "flink-tasks.replies",
          key: ctx.self.id,
          value: message.rawValueBytes,
        }),
      );
    } catch (err) {
      console.error("[smoke] function failed:", err);
    }
  },
});

const server = http.createServer(statefun.handler());
// Above the runtime's pooled connection TTL (15 s).
server.keepAliveTimeout = 20_000;
server.headersTimeout = 21_000;
await new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(PORT, "127.0.0.1", resolve);
});
log(`serving example/* on http://127.0.0.1:${PORT}/statefun`);

// --- Kafka round trip -------------------------------------------------------
const kafka = new Kafka({ clientId: "flink-tasks-smoke", brokers: [BROKER], logLevel: logLevel.WARN });
// Replies are published in Kafka transactions: read committed records only.
const consumer = kafka.consumer({ groupId: `flink-tasks-smoke-${randomUUID()}`, readUncommitted: false });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });

let timer;
let ok = false;
try {
  await consumer.connect();
  await consumer.subscribe({ topic: "flink-tasks.replies", fromBeginning: true });
  const echoed = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no reply within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    consumer
      .run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() === KEY && message.value?.equals(payload)) resolve(message);
        },
      })
      .catch(reject);
  });

  await producer.connect();
  const sentAt = Date.now();
  await producer.send({ topic: "flink-tasks.requests", messages: [{ key: KEY, value: payload }] });
  log(`produced ${KEY} -> flink-tasks.requests: "${payload}"`);

  const reply = await echoed;
  log(`consumed ${reply.key} <- flink-tasks.replies: "${reply.value}" after ${Date.now() - sentAt} ms` +
      ` (function invocations: ${invocations})`);
  ok = true;
} catch (err) {
  console.error(`[smoke ${since()}] FAILED:`, err.message ?? err, `(function invocations: ${invocations})`);
} finally {
  clearTimeout(timer);
  await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
  server.closeAllConnections();
  server.close();
}
console.log(ok ? "smoke: 1 passed, 0 failed" : "smoke: 0 passed, 1 failed");
process.exit(ok ? 0 : 1);
