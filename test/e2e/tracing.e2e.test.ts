/**
 * Tracing across processes on a real StateFun + Kafka: this process submits
 * (its spans in the SDK's in-memory exporter), the worker process runs the
 * tasks (restarted with E2E_WORKER_TRACE_FILE: its spans go to a file), and
 * the trace context travels through Kafka and the pipeline function's state.
 * One trace per pipeline: request → pipeline → task spans, an orchestrator's
 * child pipeline under its task span.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaTasksClient } from 'flink-tasks/kafka';
import * as t from './fixtures/tasks.js';
import { connectClient, e2e } from './support/env.js';
import { readSpans, recorded, type RecordedSpan } from './support/span-file.js';
import { recordedWorkerPid, startWorker, stopWorker } from './support/worker-process.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = trace.getTracer('e2e');
let traceFile: string;
let flink: KafkaTasksClient;

/** Replaces the worker process with one started with `env` (see fixtures/worker.ts). */
async function restartWorker(env: Record<string, string>): Promise<void> {
  const { runDir, workerPort } = e2e();
  const pid = recordedWorkerPid(runDir);
  if (pid !== undefined) await stopWorker(pid);
  await startWorker(runDir, workerPort, 60_000, env);
}

beforeAll(async () => {
  traceFile = join(e2e().runDir, `worker-spans-${randomUUID()}.jsonl`);
  await restartWorker({ E2E_WORKER_TRACE_FILE: traceFile });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  flink = await connectClient();
});
afterAll(async () => {
  await flink?.close();
  trace.disable();
  context.disable();
  // The other test files get an untraced worker back.
  await restartWorker({});
});

/** The spans of the trace `traceId`, from both processes. */
function traceOf(traceId: string): RecordedSpan[] {
  return [...exporter.getFinishedSpans().map(recorded), ...readSpans(traceFile)].filter((s) => s.traceId === traceId);
}

const named = (spans: readonly RecordedSpan[], name: string): RecordedSpan[] => spans.filter((s) => s.name === name);

describe('tracing on Flink', () => {
  it("the stock example is one trace: the request, the pipeline (client), the orchestrator task (worker), its child pipeline's tasks under it", async () => {
    const p = t.averageStdDev.send(['BT.L', 'BP.L', 'VOD.L']);
    let traceId = '';
    await tracer.startActiveSpan('POST /portfolio', async (span) => {
      traceId = span.spanContext().traceId;
      await flink.submit(p);
      span.end();
    });
    const spans = traceOf(traceId);
    const [request] = named(spans, 'POST /portfolio');
    const [pipeline] = named(spans, 'pipeline averageStdDev');
    const [orchestrator] = named(spans, 'task averageStdDev');
    expect(pipeline).toMatchObject({
      parentSpanId: request?.spanId,
      kind: SpanKind.CLIENT,
      pid: process.pid,
      attributes: { 'flink_tasks.pipeline.id': p.id, 'flink_tasks.pipeline.outcome': 'completed' },
    });
    expect(orchestrator).toMatchObject({
      parentSpanId: pipeline?.spanId,
      kind: SpanKind.CONSUMER,
      attributes: { 'flink_tasks.task.outcome': 'pipeline', 'flink_tasks.pipeline.id': p.id, 'flink_tasks.task.attempt': 0 },
    });
    // The worker is another process: its spans came through the file.
    expect(orchestrator?.pid).not.toBe(process.pid);
    const children = [...named(spans, 'task loadTimeseries'), ...named(spans, 'task computeStdDev'), ...named(spans, 'task computeAverage')];
    expect(children).toHaveLength(7);
    for (const c of children) {
      expect(c.parentSpanId).toBe(orchestrator?.spanId);
      expect(c.attributes).toMatchObject({ 'flink_tasks.task.outcome': 'succeeded', 'flink_tasks.pipeline.root_id': p.id });
    }
    expect(spans).toHaveLength(3 + 7);
  });

  it("a retried task: one span per attempt, in the pipeline's trace", async () => {
    const p = t.flaky.send(2, 41);
    let traceId = '';
    const result = await tracer.startActiveSpan('job', async (span) => {
      traceId = span.spanContext().traceId;
      try {
        return await flink.submit(p);
      } finally {
        span.end();
      }
    });
    expect(result).toEqual({ value: 41, attempt: 2 });
    const spans = traceOf(traceId);
    const [pipeline] = named(spans, 'pipeline flaky');
    const attempts = named(spans, 'task flaky').sort(
      (a, b) => Number(a.attributes['flink_tasks.task.attempt']) - Number(b.attributes['flink_tasks.task.attempt']),
    );
    expect(attempts.map((s) => [s.attributes['flink_tasks.task.attempt'], s.attributes['flink_tasks.task.outcome'], s.status])).toEqual([
      [0, 'retried', SpanStatusCode.ERROR],
      [1, 'retried', SpanStatusCode.ERROR],
      [2, 'succeeded', SpanStatusCode.UNSET],
    ]);
    for (const a of attempts) expect(a.parentSpanId).toBe(pipeline?.spanId);
  });

  it('pipelines submitted outside a span are traces of their own', async () => {
    const a = t.square.send(3);
    const b = t.square.send(4);
    await Promise.all([flink.submit(a), flink.submit(b)]);
    const roots = exporter
      .getFinishedSpans()
      .map(recorded)
      .filter((s) => s.name === 'pipeline square' && [a.id, b.id].includes(String(s.attributes['flink_tasks.pipeline.id'])));
    expect(roots).toHaveLength(2);
    expect(roots.every((r) => r.parentSpanId === undefined)).toBe(true);
    expect(new Set(roots.map((r) => r.traceId)).size).toBe(2);
    for (const r of roots) expect(named(traceOf(r.traceId), 'task square')[0]?.parentSpanId).toBe(r.spanId);
  });
});
