/**
 * An embedded StateFun runtime: drives remote functions in-process through the
 * real request-reply protocol (ToFunction / FromFunction bytes) with
 * StateFun's semantics: one request in flight per address, messages that
 * arrive meanwhile batched in arrival order, per-address state with value-spec
 * registration (incomplete invocation context), delayed messages with
 * cancellation tokens, and egress capture.
 *
 * @module
 */
import { EXPIRY_TOKEN_PREFIX } from '../executor/config.js';
import { systemClock, type Clock, type ClockTimer } from '../core/clock.js';
import type { Logger } from '../core/log.js';
import { decodeFromFunction, encodeToFunction, type PbAddress, type PbFromFunction, type PbInvocation, type PbTypedValue } from '../statefun/protocol.js';

/** Something that answers request-reply calls (a function endpoint). */
export interface FunctionEndpoint {
  handle(body: Uint8Array): Promise<Uint8Array>;
}

/** Options of a {@link LocalEngine}. */
export interface LocalEngineOptions {
  /** Largest batch sent to one address (StateFun's `maxNumBatchRequests`); default 1000. */
  readonly maxBatchSize?: number;
  /** Receives egress messages. */
  readonly onEgress: (egress: string, argument: PbTypedValue) => void;
  readonly logger: Logger;
  /** Time for delayed messages; default the real clock. */
  readonly clock?: Clock;
}

interface AddressSlot {
  readonly address: PbAddress;
  readonly functionType: string;
  readonly inbox: PbInvocation[];
  readonly state: Map<string, PbTypedValue>;
  busy: boolean;
}

const MAX_ATTEMPTS = 5;

/**
 * The engine behind {@link LocalRuntime}. Knows nothing of pipelines: it
 * routes typed values between function addresses like Apache Flink StateFun.
 */
export class LocalEngine {
  readonly #endpoints = new Map<string, FunctionEndpoint>();
  readonly #specs = new Map<string, Map<string, string>>();
  readonly #slots = new Map<string, AddressSlot>();
  readonly #timers = new Map<string, ClockTimer>();
  readonly #anonymousTimers = new Set<ClockTimer>();
  readonly #clock: Clock;
  readonly #maxBatch: number;
  #closed = false;
  #idleWaiters: (() => void)[] = [];
  #inFlight = 0;
  /** Requests sent to functions so far (for measurements). */
  requests = 0;
  /** Invocations delivered so far. */
  invocations = 0;
  /** Request bytes sent so far, by function type (state values included, as StateFun ships them). */
  readonly bytesSent = new Map<string, number>();

  constructor(readonly options: LocalEngineOptions) {
    this.#maxBatch = options.maxBatchSize ?? 1000;
    this.#clock = options.clock ?? systemClock;
  }

  /** Routes calls to function type `typename` (`namespace/name`) to `endpoint`. */
  register(typename: string, endpoint: FunctionEndpoint): void {
    this.#endpoints.set(typename, endpoint);
    if (!this.#specs.has(typename)) this.#specs.set(typename, new Map());
  }

  /** Delivers a message to `target` (like an ingress or another function would). */
  deliver(target: PbAddress, argument: PbTypedValue, caller?: PbAddress): void {
    if (this.#closed) return;
    const functionType = `${target.namespace}/${target.type}`;
    if (!this.#endpoints.has(functionType)) {
      this.options.logger({ level: 'error', message: 'message to an unknown function type dropped', fields: { functionType, id: target.id } });
      return;
    }
    const key = `${functionType}/${target.id}`;
    let slot = this.#slots.get(key);
    if (!slot) {
      slot = { address: { namespace: target.namespace, type: target.type, id: target.id }, functionType, inbox: [], state: new Map(), busy: false };
      this.#slots.set(key, slot);
    }
    slot.inbox.push({ caller, argument });
    if (!slot.busy) {
      slot.busy = true;
      this.#inFlight += 1;
      setImmediate(() => void this.#drain(key, slot));
    }
  }

  /** Resolves when no address has pending work (delayed messages excepted). */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Number of addresses currently holding state or messages. */
  get addresses(): number {
    return this.#slots.size;
  }

  /** Stops delivering; pending delayed messages are dropped. */
  close(): void {
    this.#closed = true;
    for (const t of this.#timers.values()) this.#clock.clearTimeout(t);
    for (const t of this.#anonymousTimers) this.#clock.clearTimeout(t);
    this.#timers.clear();
    this.#anonymousTimers.clear();
  }

  async #drain(key: string, slot: AddressSlot): Promise<void> {
    try {
      while (slot.inbox.length > 0 && !this.#closed) {
        const batch = slot.inbox.splice(0, this.#maxBatch);
        await this.#invoke(slot, batch);
      }
    } finally {
      slot.busy = false;
      if (slot.inbox.length === 0 && slot.state.size === 0) this.#slots.delete(key);
      this.#inFlight -= 1;
      if (this.#inFlight === 0) {
        const waiters = this.#idleWaiters;
        this.#idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }

  async #invoke(slot: AddressSlot, batch: PbInvocation[]): Promise<void> {
    const endpoint = this.#endpoints.get(slot.functionType) as FunctionEndpoint;
    const specs = this.#specs.get(slot.functionType) as Map<string, string>;
    for (let attempt = 1; ; attempt++) {
      let reply: PbFromFunction;
      try {
        const state = [...specs].map(([stateName, typename]) => ({
          stateName,
          stateValue: slot.state.get(stateName) ?? { typename, hasValue: false, value: new Uint8Array(0) },
        }));
        this.requests += 1;
        const body = encodeToFunction({ request: { $case: 'invocation', value: { target: slot.address, state, invocations: batch } } });
        this.bytesSent.set(slot.functionType, (this.bytesSent.get(slot.functionType) ?? 0) + body.byteLength);
        reply = decodeFromFunction(await endpoint.handle(body));
      } catch (err) {
        // Flink retries a failed batch; so do we, a few times, then report it.
        this.options.logger({
          level: 'error',
          message: 'function call failed; retrying the batch',
          fields: { functionType: slot.functionType, id: slot.address.id, attempt, error: String(err) },
        });
        if (attempt >= MAX_ATTEMPTS) {
          this.options.logger({
            level: 'error',
            message: 'batch dropped after repeated failures',
            fields: { functionType: slot.functionType, id: slot.address.id },
          });
          return;
        }
        await new Promise((r) => setTimeout(r, 10 * attempt));
        continue;
      }
      const response = reply.response;
      if (response?.$case === 'incompleteInvocationContext' && response.value.missingValues.length > 0) {
        for (const m of response.value.missingValues) specs.set(m.stateName, m.typeTypename);
        continue;
      }
      this.invocations += batch.length;
      this.#apply(slot, reply);
      return;
    }
  }

  #apply(slot: AddressSlot, reply: PbFromFunction): void {
    if (reply.response?.$case !== 'invocationResult') return;
    const result = reply.response.value;
    // Order as the runtime applies them: messages, delayed messages, egress, state.
    for (const m of result.outgoingMessages) if (m.target && m.argument) this.deliver(m.target, m.argument, slot.address);
    for (const d of result.delayedInvocations) {
      if (d.isCancellationRequest) {
        const t = this.#timers.get(d.cancellationToken);
        if (t) this.#clock.clearTimeout(t);
        this.#timers.delete(d.cancellationToken);
        continue;
      }
      const delay = d.delayInMs;
      const target = d.target;
      const argument = d.argument;
      if (!target || !argument) continue;
      const token = d.cancellationToken;
      const timer = this.#clock.setTimeout(
        () => {
          if (token) this.#timers.delete(token);
          else this.#anonymousTimers.delete(timer);
          this.deliver(target, argument, slot.address);
        },
        Math.max(0, delay),
      );
      if (token) this.#timers.set(token, timer);
      else this.#anonymousTimers.add(timer);
      // A state expiry alone must not keep the process alive (retries do).
      if (token.startsWith(EXPIRY_TOKEN_PREFIX)) timer.unref();
    }
    for (const e of result.outgoingEgresses) if (e.argument) this.options.onEgress(`${e.egressNamespace}/${e.egressType}`, e.argument);
    for (const m of result.stateMutations) {
      if (m.mutationType === 1 && m.stateValue) slot.state.set(m.stateName, m.stateValue);
      else slot.state.delete(m.stateName);
    }
  }
}
