/**
 * The same two workflows written by hand on the apache-flink-statefun SDK,
 * without flink-tasks: what a competent engineer would write for "fan out N
 * no-op tasks and collect the results in order" and "run K no-op steps one
 * after another".
 *
 * - `example/hand-orchestrator`, keyed by job id, receives the job from the
 *   Kafka topic `hand.requests` (JSON), keeps its own state and publishes the
 *   outcome to the replies egress (topic `hand.replies`, JSON).
 * - `example/hand-worker` runs one no-op task per message and answers its
 *   caller. Work is spread over `spread` worker addresses per job
 *   (`<job>~<i % spread>`; default 16, as flink-tasks per pipeline; a job
 *   may ask for another spread), so StateFun batches the work per address
 *   while the addresses run side by side.
 *
 * State of the orchestrator (two value specs, so that a chain step never
 * carries a results buffer):
 * - `job` (JSON): kind, size, pending count or current step, request id.
 * - `results` (custom type): the fan-out results as raw float64 slots, NaN
 *   while missing. Its serializer is the identity, so writing it after every
 *   result costs O(1) instead of re-encoding 10k values per message.
 * Reading a value spec deserialises it each time, so each batch reads the
 * state once (the SDK makes one Context per batch) and writes it after every
 * message (the function cannot tell which message is the batch's last).
 *
 * Every function catches its own errors: an exception escaping a function
 * makes the SDK answer HTTP 500 and the runtime retry forever.
 */
import { Buffer } from 'node:buffer';
import { kafkaEgressMessage, messageBuilder, StateFun, type Context, type Message } from 'apache-flink-statefun';

export const HAND_ORCHESTRATOR = 'example/hand-orchestrator';
export const HAND_WORKER = 'example/hand-worker';
/** Kafka topic routed to the orchestrator (module.hand.yaml) and its record value type. */
export const HAND_REQUESTS_TOPIC = 'hand.requests';
export const HAND_REQUEST_TYPE = 'handbench/Request';
/** Topic of the orchestrator's replies, through the existing `flinktasks/replies` egress. */
export const HAND_REPLIES_TOPIC = 'hand.replies';
const REPLIES_EGRESS = 'flinktasks/replies';

/** A job as published to `hand.requests` (key = job id). */
export type HandRequest = { requestId: string; spread?: number } & ({ kind: 'fanout'; n: number } | { kind: 'chain'; k: number; start: number });
/** The orchestrator's reply on `hand.replies` (key = job id). */
export type HandReply =
  | { requestId: string; kind: 'fanout'; results: number[] }
  | { requestId: string; kind: 'chain'; steps: number; result: number }
  | { requestId: string; kind: 'error'; message: string };

interface Job { kind: 'fanout' | 'chain'; requestId: string; size: number; pending: number; step: number; spread: number }
interface Work { slot: number; x: number }
interface Result { slot: number; y: number }

const RequestType = StateFun.jsonType(HAND_REQUEST_TYPE);
const WorkType = StateFun.jsonType('handbench/Work');
const ResultType = StateFun.jsonType('handbench/Result');
const JobType = StateFun.jsonType('handbench/Job');
const ResultsType = StateFun.customType('handbench/Results', (b: Buffer) => b, (b: Buffer) => b);

/** The no-op task both benchmarks run. */
const noop = (x: number): number => x;

export interface HandOptions {
  /** Worker addresses per job unless the request says otherwise (default 16, as flink-tasks per pipeline). */
  readonly spread?: number;
  /** Called with every error a function caught (default: stderr). */
  readonly onError?: (where: string, err: unknown) => void;
}

/** A StateFun with the two hand-written functions bound. */
export function handStateFun(options: HandOptions = {}): StateFun {
  const spread = options.spread ?? 16;
  const onError = options.onError ?? ((where, err) => console.error(`[hand] ${where}:`, err));
  const statefun = new StateFun();

  // Per-batch view of the orchestrator state: read once per batch (Context is per batch).
  const cache = new WeakMap<Context, { job: Job | null; results: Buffer | null }>();
  const stateOf = (ctx: Context) => {
    let s = cache.get(ctx);
    if (!s) {
      s = { job: ctx.storage.job as Job | null, results: ctx.storage.results as Buffer | null };
      cache.set(ctx, s);
    }
    return s;
  };
  const sendWork = (ctx: Context, job: Job, slot: number, x: number) =>
    ctx.send(messageBuilder({ typename: HAND_WORKER, id: `${ctx.self.id}~${slot % job.spread}`, value: { slot, x } satisfies Work, valueType: WorkType }));
  const reply = (ctx: Context, value: HandReply) =>
    ctx.send(kafkaEgressMessage({ typename: REPLIES_EGRESS, topic: HAND_REPLIES_TOPIC, key: ctx.self.id, value: JSON.stringify(value) }));

  statefun.bind({
    typename: HAND_ORCHESTRATOR,
    specs: [
      { name: 'job', type: JobType },
      { name: 'results', type: ResultsType },
    ],
    fn(ctx: Context, message: Message) {
      try {
        const state = stateOf(ctx);
        const jobId = ctx.self.id;
        if (message.is(RequestType)) {
          const req = message.as(RequestType) as HandRequest;
          if (state.job) {
            reply(ctx, { requestId: req.requestId, kind: 'error', message: `job ${jobId} is already running` });
            return;
          }
          if (req.kind === 'fanout') {
            const results = Buffer.alloc(req.n * 8);
            for (let i = 0; i < req.n; i++) results.writeDoubleLE(Number.NaN, i * 8);
            const job: Job = { kind: 'fanout', requestId: req.requestId, size: req.n, pending: req.n, step: 0, spread: req.spread ?? spread };
            state.job = job;
            state.results = results;
            ctx.storage.job = job;
            ctx.storage.results = results;
            for (let i = 0; i < req.n; i++) sendWork(ctx, job, i, i);
          } else {
            const job: Job = { kind: 'chain', requestId: req.requestId, size: req.k, pending: 1, step: 0, spread: req.spread ?? spread };
            state.job = job;
            ctx.storage.job = job;
            sendWork(ctx, job, 0, req.start);
          }
          return;
        }
        if (!message.is(ResultType)) {
          onError('orchestrator', new Error(`unexpected message type ${message.valueTypeName} for ${jobId}`));
          return;
        }
        const { slot, y } = message.as(ResultType) as Result;
        const job = state.job;
        if (!job) {
          onError('orchestrator', new Error(`result for ${jobId}, which has no job`));
          return;
        }
        if (job.kind === 'fanout') {
          const results = state.results as Buffer;
          if (!Number.isInteger(slot) || slot < 0 || slot >= job.size) throw new Error(`fan-out ${jobId}: slot ${slot} out of range`);
          if (!Number.isNaN(results.readDoubleLE(slot * 8))) return; // a duplicate: already counted
          results.writeDoubleLE(y, slot * 8);
          job.pending -= 1;
          if (job.pending === 0) {
            const list = new Array<number>(job.size);
            for (let i = 0; i < job.size; i++) list[i] = results.readDoubleLE(i * 8);
            reply(ctx, { requestId: job.requestId, kind: 'fanout', results: list });
            state.job = null;
            state.results = null;
            ctx.storage.job = null;
            ctx.storage.results = null;
          } else {
            ctx.storage.job = job;
            ctx.storage.results = results; // identity serializer: O(1)
          }
          return;
        }
        if (slot !== job.step) {
          onError('orchestrator', new Error(`chain ${jobId}: result of step ${slot} while at step ${job.step}`));
          return;
        }
        job.step += 1;
        if (job.step === job.size) {
          reply(ctx, { requestId: job.requestId, kind: 'chain', steps: job.step, result: y });
          state.job = null;
          ctx.storage.job = null;
        } else {
          ctx.storage.job = job;
          sendWork(ctx, job, job.step, y);
        }
      } catch (err) {
        onError('orchestrator', err);
      }
    },
  });

  statefun.bind({
    typename: HAND_WORKER,
    specs: [],
    fn(ctx: Context, message: Message) {
      try {
        const caller = ctx.caller;
        if (!caller) throw new Error(`work for ${ctx.self.id} without a caller`);
        const { slot, x } = message.as(WorkType) as Work;
        ctx.send(messageBuilder({ typename: HAND_ORCHESTRATOR, id: caller.id, value: { slot, y: noop(x) } satisfies Result, valueType: ResultType }));
      } catch (err) {
        onError('worker', err);
      }
    },
  });
  return statefun;
}
