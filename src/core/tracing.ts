/**
 * OpenTelemetry tracing through `@opentelemetry/api`, an optional peer
 * dependency. Nothing is imported, and nothing costs anything, until a
 * tracer provider is registered globally in this process (what the
 * OpenTelemetry SDK's `NodeSDK.start()` or `trace.setGlobalTracerProvider`
 * does); then the API is loaded once, lazily.
 *
 * The spans: a client's `submit()` starts `pipeline <name>` (a child of the
 * caller's active span) and ends it when the outcome arrives; its context
 * travels in the submission's `meta` as a W3C `traceparent` (and
 * `tracestate`), the pipeline function copies it into each task request and
 * child pipeline, and each worker makes one `task <name>` span per task
 * attempt as its child. An orchestrator task's child pipeline carries the
 * task span's context, so its tasks nest under it.
 *
 * The context is written and read here, not through the globally registered
 * propagator: it is flink-tasks' own protocol between its clients and
 * workers, and must work whichever propagators an application configures.
 *
 * @module
 */
import type * as Otel from '@opentelemetry/api';

type OtelApi = typeof Otel;

/** Where `@opentelemetry/api` 1.x keeps what is registered globally (its tracer provider under `trace`). */
const GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');

/** Keys of a request's `meta` that carry the trace context. */
export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

/** Longest `tracestate` kept (W3C allows 32 members of at most 256 characters; 512 is what propagators send). */
const MAX_TRACESTATE = 512;

const TRACEPARENT_PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The instrumentation scope of flink-tasks' spans. */
const SCOPE = 'flink-tasks';

/**
 * Whether a tracer provider is registered in this process, read without
 * importing the API (so that an application that does not trace pays one
 * property read).
 */
export function tracingEnabled(): boolean {
  const registry: unknown = Reflect.get(globalThis, GLOBAL_KEY);
  return typeof registry === 'object' && registry !== null && Reflect.get(registry, 'trace') !== undefined;
}

let api: Promise<OtelApi | undefined> | undefined;

/** The API, imported once; `undefined` if it cannot be imported (a tracer registered through another copy of it that we cannot resolve). */
function loadApi(): Promise<OtelApi | undefined> {
  // A name in a variable: bundlers leave the import alone, so apps that do not trace bundle without the package.
  const name = '@opentelemetry/api';
  api ??= (import(name) as Promise<OtelApi>).then(
    (m) => m,
    () => undefined,
  );
  return api;
}

/** The trace context carried by `meta`, if it holds a valid one. */
export function traceMetaOf(meta: Readonly<Record<string, string>>): Record<string, string> {
  const parent = meta[TRACEPARENT];
  if (parent === undefined || !isTraceparent(parent)) return {};
  const state = meta[TRACESTATE];
  return state !== undefined && state.length > 0 && state.length <= MAX_TRACESTATE ? { [TRACEPARENT]: parent, [TRACESTATE]: state } : { [TRACEPARENT]: parent };
}

/** Whether `text` is a W3C traceparent with a valid trace and span id. */
export function isTraceparent(text: string): boolean {
  const m = TRACEPARENT_PATTERN.exec(text);
  return m !== null && m[1] !== 'ff' && !/^0+$/.test(m[2] ?? '') && !/^0+$/.test(m[3] ?? '');
}

function metaOf(otel: OtelApi, span: Otel.Span): Record<string, string> {
  const c = span.spanContext();
  if (!otel.isSpanContextValid(c)) return {};
  const meta: Record<string, string> = { [TRACEPARENT]: `00-${c.traceId}-${c.spanId}-${(c.traceFlags & 0xff).toString(16).padStart(2, '0')}` };
  const state = c.traceState?.serialize();
  if (state) meta[TRACESTATE] = state;
  return meta;
}

/** The context whose span is the remote parent that `meta` names, if any. */
function parentOf(otel: OtelApi, meta: Readonly<Record<string, string>>): Otel.Context | undefined {
  const carried = traceMetaOf(meta);
  const parent = carried[TRACEPARENT];
  const m = parent === undefined ? null : TRACEPARENT_PATTERN.exec(parent);
  if (!m) return undefined;
  const state = carried[TRACESTATE];
  return otel.trace.setSpanContext(otel.ROOT_CONTEXT, {
    traceId: m[2] ?? '',
    spanId: m[3] ?? '',
    traceFlags: Number.parseInt(m[4] ?? '0', 16),
    isRemote: true,
    ...(state === undefined ? {} : { traceState: otel.createTraceState(state) }),
  });
}

/** How a traced call ended. */
export interface SpanEnd {
  /** The outcome, as the span's `flink_tasks.*.outcome` attribute. */
  readonly outcome: string;
  /** The error, if it failed (the span's status becomes ERROR). */
  readonly error?: { readonly errorType: string; readonly message: string; readonly stack?: string | undefined } | undefined;
}

/** A span of flink-tasks, without the API's types (they stay out of our declarations). */
export interface TraceSpan {
  /** The context to carry to what this span starts (`traceparent`, `tracestate`). */
  meta(): Record<string, string>;
  /** Runs `fn` with this span active (code inside a task sees it as its parent). */
  within<T>(fn: () => T): T;
  /** Ends the span (once). */
  end(end: SpanEnd): void;
}

function traceSpan(otel: OtelApi, span: Otel.Span, prefix: string, parent: Otel.Context): TraceSpan {
  let ended = false;
  const active = otel.trace.setSpan(parent, span);
  return {
    meta: () => metaOf(otel, span),
    within: (fn) => otel.context.with(active, fn),
    end: ({ outcome, error }) => {
      if (ended) return;
      ended = true;
      span.setAttribute(`${prefix}.outcome`, outcome);
      if (error) {
        span.recordException({ name: error.errorType, message: error.message, ...(error.stack ? { stack: error.stack } : {}) });
        span.setStatus({ code: otel.SpanStatusCode.ERROR, message: `${error.errorType}: ${error.message}` });
      }
      span.end();
    },
  };
}

/**
 * Starts the span of a pipeline submitted by a client (`pipeline <name>`),
 * a child of the caller's active span; `undefined` when nothing traces.
 */
export async function startPipelineSpan(pipelineId: string, name: string): Promise<TraceSpan | undefined> {
  const otel = await loadApi();
  if (!otel) return undefined;
  const parent = otel.context.active();
  const span = otel.trace.getTracer(SCOPE).startSpan(
    `pipeline ${name}`,
    {
      kind: otel.SpanKind.CLIENT,
      attributes: { 'flink_tasks.pipeline.id': pipelineId },
    },
    parent,
  );
  return traceSpan(otel, span, 'flink_tasks.pipeline', parent);
}

/** What a task span records about its call. */
export interface TaskSpanInfo {
  readonly taskName: string;
  readonly taskId: string;
  readonly attempt: number;
  readonly pipelineId: string;
  readonly rootPipelineId: string;
}

/**
 * Starts the span of one task attempt (`task <name>`), a child of the
 * context `meta` carries (else of the active context); `undefined` when
 * nothing traces.
 */
export async function startTaskSpan(meta: Readonly<Record<string, string>>, info: TaskSpanInfo): Promise<TraceSpan | undefined> {
  const otel = await loadApi();
  if (!otel) return undefined;
  const parent = parentOf(otel, meta) ?? otel.context.active();
  const span = otel.trace.getTracer(SCOPE).startSpan(
    `task ${info.taskName}`,
    {
      kind: otel.SpanKind.CONSUMER,
      attributes: {
        'flink_tasks.task.name': info.taskName,
        'flink_tasks.task.id': info.taskId,
        'flink_tasks.task.attempt': info.attempt,
        'flink_tasks.pipeline.id': info.pipelineId,
        'flink_tasks.pipeline.root_id': info.rootPipelineId,
      },
    },
    parent,
  );
  return traceSpan(otel, span, 'flink_tasks.task', parent);
}
