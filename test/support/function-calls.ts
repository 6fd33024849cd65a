/**
 * Calling a `FunctionServer` as StateFun does, one request-reply call at a
 * time, with the state the test keeps: for tests that decide the order in
 * which messages reach functions (races a runtime makes now and then).
 */
import type { FunctionServer } from '../../src/server.js';
import { decodeFromFunction, encodeToFunction } from '../../src/statefun/protocol.js';

/** A function address as the protocol writes it. */
export interface Target {
  readonly namespace: string;
  readonly type: string;
  readonly id: string;
}

/** A message to a function; `caller`: the function that sent it (none: the ingress, a client). */
export interface Sent {
  readonly typename: string;
  readonly value: Uint8Array;
  readonly caller?: Target | undefined;
}

/** The typenames of the functions' state values, as they declare them. */
export const STATE_TYPES: Readonly<Record<string, string>> = {
  record: 'io.flinktasks/PipelineRecord',
  progress: 'io.flinktasks/PipelineProgress',
  upload: 'io.flinktasks/SubmissionUpload',
  task_state: 'io.flinktasks/TaskState',
};

/** The state a pipeline function is called with before it has any. */
export const noPipelineState = (): Record<string, Uint8Array | undefined> => ({ record: undefined, progress: undefined, upload: undefined });

/** The request-reply bytes of a call of `target` with `states` and `messages`. */
export function callBytes(target: Target, states: Readonly<Record<string, Uint8Array | undefined>>, messages: readonly Sent[]): Uint8Array {
  return encodeToFunction({
    request: {
      $case: 'invocation',
      value: {
        target,
        state: Object.entries(states).map(([stateName, value]) => ({
          stateName,
          stateValue: { typename: STATE_TYPES[stateName] ?? '', hasValue: value !== undefined, value: value ?? new Uint8Array(0) },
        })),
        invocations: messages.map((m) => ({ caller: m.caller, argument: { typename: m.typename, hasValue: true, value: m.value } })),
      },
    },
  });
}

/**
 * Calls `target` on `server`; returns what it answered (its invocation
 * result) and applies its state mutations to `states`.
 */
export async function callFunction(server: FunctionServer, target: Target, states: Record<string, Uint8Array | undefined>, messages: readonly Sent[]) {
  const answer = decodeFromFunction(await server.handle(callBytes(target, states, messages))).response;
  if (answer?.$case !== 'invocationResult') throw new Error(`no invocation result: ${answer?.$case ?? 'nothing'}`);
  for (const m of answer.value.stateMutations) states[m.stateName] = m.mutationType === 1 ? m.stateValue?.value : undefined;
  return answer.value;
}
