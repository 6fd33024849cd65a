/**
 * Spans across processes for the tracing test: the worker process records
 * its spans with the OpenTelemetry SDK and an exporter that appends them to
 * a file as JSON lines; the test reads them back and puts them next to the
 * spans of its own process (in-memory exporter).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';

/** What the tests compare of a span. */
export interface RecordedSpan {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly kind: number;
  readonly status: number;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The process that recorded it. */
  readonly pid: number;
}

export function recorded(span: ReadableSpan): RecordedSpan {
  const c = span.spanContext();
  return {
    name: span.name,
    traceId: c.traceId,
    spanId: c.spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    kind: span.kind,
    status: span.status.code,
    attributes: { ...span.attributes },
    pid: process.pid,
  };
}

/** Appends every span to `file`, one JSON line each, as it ends. */
class FileSpanExporter implements SpanExporter {
  constructor(private readonly file: string) {}

  export(spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]): void {
    try {
      appendFileSync(this.file, spans.map((s) => `${JSON.stringify(recorded(s))}\n`).join(''));
      done({ code: 0 });
    } catch (error) {
      done({ code: 1, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Registers a tracer provider in this process whose spans go to `file`. */
export function traceToFile(file: string): void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new FileSpanExporter(file))] }));
}

/** The spans written to `file` so far. */
export function readSpans(file: string): RecordedSpan[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as RecordedSpan);
}
