/**
 * OpenTelemetry tracing on the LocalRuntime, recorded by the SDK's
 * in-memory exporter: one trace per pipeline, the client's `pipeline` span
 * a child of the caller's span, one `task` span per attempt under it, and an
 * orchestrator's child pipeline under the orchestrator task's span.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FlinkTasks, inParallel, LocalRuntime, ManualClock, RetryPolicy, silentLogger, TaskError, type TaskContext } from '../../src/index.js';
import { averageStdDev, tasks as stockTasks } from '../../examples/stock/tasks.js';
import { isTraceparent, traceMetaOf, tracingEnabled } from '../../src/core/tracing.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = trace.getTracer('test');

const tasks = new FlinkTasks({ namespace: 'traced', workerName: 'worker' });
let flakyCalls = 0;
const flaky = tasks.bind({ name: 'flaky', retry: new RetryPolicy({ maxRetries: 2, delayMs: 50 }) }, (x: number) => {
  if (++flakyCalls === 1) throw new RangeError('try again');
  return x + 1;
});
const double = tasks.bind('double', (x: number) => x * 2);
const explode = tasks.bind('explode', (_x: number): number => {
  throw new TypeError('no such account');
});
const callsOut = tasks.bind({ name: 'callsOut', withContext: true }, async (ctx: TaskContext, url: string) =>
  tracer.startActiveSpan(`GET ${url}`, (span) => {
    span.end();
    return ctx.taskName;
  }),
);

/** Spans recorded so far, by name. */
const named = (name: string): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.name === name);
const one = (name: string): ReadableSpan => {
  const found = named(name);
  expect(found, `spans named '${name}'`).toHaveLength(1);
  return found[0]!;
};
const parentOf = (s: ReadableSpan): string | undefined => s.parentSpanContext?.spanId;
const idOf = (s: ReadableSpan): string => s.spanContext().spanId;
const traces = (): Set<string> => new Set(exporter.getFinishedSpans().map((s) => s.spanContext().traceId));

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  trace.disable();
  context.disable();
  await provider.shutdown();
});
beforeEach(() => exporter.reset());

describe('tracing on the LocalRuntime', () => {
  it("the stock example is one trace: pipeline under the caller, tasks under it, the orchestrator's child pipeline under the orchestrator task", async () => {
    const runtime = new LocalRuntime(stockTasks, { logger: silentLogger });
    try {
      const p = averageStdDev.send(['BT.L', 'BP.L']);
      await tracer.startActiveSpan('handle request', async (span) => {
        await runtime.submit(p);
        span.end();
      });
    } finally {
      await runtime.close();
    }
    expect(traces().size).toBe(1);
    const request = one('handle request');
    const pipeline = one('pipeline averageStdDev');
    expect(parentOf(pipeline)).toBe(idOf(request));
    expect(pipeline.kind).toBe(SpanKind.CLIENT);
    expect(pipeline.attributes).toMatchObject({ 'flink_tasks.pipeline.id': expect.any(String), 'flink_tasks.pipeline.outcome': 'completed' });
    const orchestrator = one('task averageStdDev');
    expect(parentOf(orchestrator)).toBe(idOf(pipeline));
    expect(orchestrator.kind).toBe(SpanKind.CONSUMER);
    expect(orchestrator.attributes).toEqual({
      'flink_tasks.task.name': 'averageStdDev',
      'flink_tasks.task.id': expect.stringMatching(/\/1\.0$/),
      'flink_tasks.task.attempt': 0,
      'flink_tasks.pipeline.id': pipeline.attributes['flink_tasks.pipeline.id'],
      'flink_tasks.pipeline.root_id': pipeline.attributes['flink_tasks.pipeline.id'],
      'flink_tasks.task.outcome': 'pipeline',
    });
    const children = [...named('task loadTimeseries'), ...named('task computeStdDev'), one('task computeAverage')];
    expect(children).toHaveLength(5);
    for (const child of children) {
      expect(parentOf(child)).toBe(idOf(orchestrator));
      expect(child.attributes['flink_tasks.task.outcome']).toBe('succeeded');
      expect(child.attributes['flink_tasks.pipeline.root_id']).toBe(pipeline.attributes['flink_tasks.pipeline.id']);
    }
    // The pipeline span lasts until the outcome arrived: after its last task ended. (The SDK anchors
    // a clock per local root span, and spans' clocks can differ by a fraction of a millisecond.)
    const endOf = (s: ReadableSpan): number => s.endTime[0] * 1e3 + s.endTime[1] / 1e6;
    expect(endOf(pipeline)).toBeGreaterThanOrEqual(Math.max(...children.map(endOf)) - 5);
    expect(endOf(request)).toBeGreaterThanOrEqual(endOf(pipeline) - 5);
  });

  it('a pipeline submitted outside any span starts a trace of its own; two pipelines are two traces', async () => {
    const runtime = new LocalRuntime(tasks, { logger: silentLogger });
    try {
      await runtime.submit(double.send(1).continueWith(double));
      await runtime.submit(inParallel([double.send(1).continueWith(double), double.send(2)]));
    } finally {
      await runtime.close();
    }
    expect(traces().size).toBe(2);
    const [chain, group] = [one('pipeline double'), one('pipeline inParallel(2)')];
    expect(chain.parentSpanContext).toBeUndefined();
    expect(group.parentSpanContext).toBeUndefined();
    const doubles = named('task double');
    expect(doubles).toHaveLength(5);
    // Group branches (a two-task branch runs as a child pipeline) stay under the submitted pipeline.
    const inGroup = doubles.filter((s) => s.spanContext().traceId === group.spanContext().traceId);
    expect(inGroup).toHaveLength(3);
    for (const s of inGroup) expect(parentOf(s)).toBe(idOf(group));
  });

  it('one span per attempt: a retried attempt records its error, the next one succeeds', async () => {
    flakyCalls = 0;
    const clock = new ManualClock(0);
    const runtime = new LocalRuntime(tasks, { logger: silentLogger, clock });
    try {
      const retried = new Promise<void>((resolve) => runtime.onEvent((e) => e.kind === 'taskRetried' && resolve()));
      const result = runtime.submit(flaky.send(1));
      await retried;
      await runtime.idle();
      await clock.advance(50);
      expect(await result).toBe(2);
    } finally {
      await runtime.close();
    }
    const attempts = named('task flaky').sort((a, b) => Number(a.attributes['flink_tasks.task.attempt']) - Number(b.attributes['flink_tasks.task.attempt']));
    expect(attempts.map((s) => [s.attributes['flink_tasks.task.attempt'], s.attributes['flink_tasks.task.outcome'], s.status.code])).toEqual([
      [0, 'retried', SpanStatusCode.ERROR],
      [1, 'succeeded', SpanStatusCode.UNSET],
    ]);
    expect(attempts[0]?.events[0]).toMatchObject({ name: 'exception', attributes: { 'exception.type': 'RangeError', 'exception.message': 'try again' } });
    const pipeline = one('pipeline flaky');
    for (const a of attempts) expect(parentOf(a)).toBe(idOf(pipeline));
  });

  it("a failed pipeline's span ends in error, with the failing task's", async () => {
    const runtime = new LocalRuntime(tasks, { logger: silentLogger });
    try {
      await expect(runtime.submit(double.send(1).continueWith(explode))).rejects.toBeInstanceOf(TaskError);
    } finally {
      await runtime.close();
    }
    const pipeline = one('pipeline double');
    expect(pipeline.status).toEqual({ code: SpanStatusCode.ERROR, message: 'TypeError: no such account' });
    expect(pipeline.attributes['flink_tasks.pipeline.outcome']).toBe('failed');
    expect(one('task explode')).toMatchObject({ status: { code: SpanStatusCode.ERROR }, attributes: { 'flink_tasks.task.outcome': 'failed' } });
  });

  it('spans a task makes nest under its task span', async () => {
    const runtime = new LocalRuntime(tasks, { logger: silentLogger });
    try {
      expect(await runtime.submit(callsOut.send('https://example.com/quote'))).toBe('callsOut');
    } finally {
      await runtime.close();
    }
    expect(parentOf(one('GET https://example.com/quote'))).toBe(idOf(one('task callsOut')));
  });
});

describe('the trace context', () => {
  it('keeps only a valid traceparent (and a bounded tracestate) from what a client sends', () => {
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect(isTraceparent(parent)).toBe(true);
    expect(traceMetaOf({ traceparent: parent, tracestate: 'a=1', other: 'x'.repeat(10_000) })).toEqual({ traceparent: parent, tracestate: 'a=1' });
    expect(traceMetaOf({ traceparent: parent, tracestate: 'a'.repeat(513) })).toEqual({ traceparent: parent });
    for (const bad of [
      '',
      'garbage',
      '00-00000000000000000000000000000000-b7ad6b7169203331-01',
      '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01',
      'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      `${parent}-extra`,
      parent.toUpperCase(),
    ]) {
      expect(traceMetaOf({ traceparent: bad }), bad).toEqual({});
    }
  });
});

describe('without a registered tracer', () => {
  it('makes no spans and imports nothing of OpenTelemetry', async () => {
    // A fresh process: a loader hook reports every module resolved; a pipeline runs on the LocalRuntime.
    const script = new URL('./untraced-process.mjs', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 20_000 });
    const report = JSON.parse(stdout) as { result: number; tracing: boolean; resolved: string[] };
    expect(report.result).toBe(4);
    expect(report.tracing).toBe(false);
    expect(report.resolved.length).toBeGreaterThan(10);
    expect(report.resolved.filter((url) => url.includes('@opentelemetry'))).toEqual([]);
  });

  it('in this process, after the provider is gone, spans stop', async () => {
    expect(tracingEnabled()).toBe(true);
    trace.disable();
    expect(tracingEnabled()).toBe(false);
    const runtime = new LocalRuntime(tasks, { logger: silentLogger });
    try {
      expect(await runtime.submit(double.send(2))).toBe(4);
    } finally {
      await runtime.close();
      trace.setGlobalTracerProvider(provider);
    }
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
