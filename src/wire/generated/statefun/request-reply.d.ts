import { BinaryReader, BinaryWriter } from "../../protobuf-runtime.js";
/**
 * The runtime's side of the StateFun 3.3 remote-function protocol
 * (package io.statefun.sdk.reqreply), as far as the embedded local runtime
 * needs it to drive functions exactly as Apache Flink StateFun does. Field
 * numbers are the protocol's; only the fields the local runtime uses are
 * declared.
 */
export interface Address {
    namespace: string;
    type: string;
    id: string;
}
export interface TypedValue {
    typename: string;
    hasValue: boolean;
    value: Uint8Array;
}
export interface ToFunction {
    request?: {
        $case: "invocation";
        value: ToFunction_InvocationBatchRequest;
    } | undefined;
}
export interface ToFunction_PersistedValue {
    stateName: string;
    stateValue?: TypedValue | undefined;
}
export interface ToFunction_Invocation {
    caller?: Address | undefined;
    argument?: TypedValue | undefined;
}
export interface ToFunction_InvocationBatchRequest {
    target?: Address | undefined;
    state: ToFunction_PersistedValue[];
    invocations: ToFunction_Invocation[];
}
export interface FromFunction {
    response?: {
        $case: "invocationResult";
        value: FromFunction_InvocationResponse;
    } | {
        $case: "incompleteInvocationContext";
        value: FromFunction_IncompleteInvocationContext;
    } | undefined;
}
export interface FromFunction_PersistedValueMutation {
    mutationType: FromFunction_PersistedValueMutation_MutationType;
    stateName: string;
    stateValue?: TypedValue | undefined;
}
export declare const FromFunction_PersistedValueMutation_MutationType: {
    readonly DELETE: 0;
    readonly MODIFY: 1;
    readonly UNRECOGNIZED: -1;
};
export type FromFunction_PersistedValueMutation_MutationType = typeof FromFunction_PersistedValueMutation_MutationType[keyof typeof FromFunction_PersistedValueMutation_MutationType];
export declare namespace FromFunction_PersistedValueMutation_MutationType {
    type DELETE = typeof FromFunction_PersistedValueMutation_MutationType.DELETE;
    type MODIFY = typeof FromFunction_PersistedValueMutation_MutationType.MODIFY;
    type UNRECOGNIZED = typeof FromFunction_PersistedValueMutation_MutationType.UNRECOGNIZED;
}
export interface FromFunction_Invocation {
    target?: Address | undefined;
    argument?: TypedValue | undefined;
}
export interface FromFunction_DelayedInvocation {
    isCancellationRequest: boolean;
    cancellationToken: string;
    delayInMs: number;
    target?: Address | undefined;
    argument?: TypedValue | undefined;
}
export interface FromFunction_EgressMessage {
    egressNamespace: string;
    egressType: string;
    argument?: TypedValue | undefined;
}
export interface FromFunction_InvocationResponse {
    stateMutations: FromFunction_PersistedValueMutation[];
    outgoingMessages: FromFunction_Invocation[];
    delayedInvocations: FromFunction_DelayedInvocation[];
    outgoingEgresses: FromFunction_EgressMessage[];
}
export interface FromFunction_ExpirationSpec {
    mode: FromFunction_ExpirationSpec_ExpireMode;
    expireAfterMillis: number;
}
export declare const FromFunction_ExpirationSpec_ExpireMode: {
    readonly NONE: 0;
    readonly AFTER_WRITE: 1;
    readonly AFTER_INVOKE: 2;
    readonly UNRECOGNIZED: -1;
};
export type FromFunction_ExpirationSpec_ExpireMode = typeof FromFunction_ExpirationSpec_ExpireMode[keyof typeof FromFunction_ExpirationSpec_ExpireMode];
export declare namespace FromFunction_ExpirationSpec_ExpireMode {
    type NONE = typeof FromFunction_ExpirationSpec_ExpireMode.NONE;
    type AFTER_WRITE = typeof FromFunction_ExpirationSpec_ExpireMode.AFTER_WRITE;
    type AFTER_INVOKE = typeof FromFunction_ExpirationSpec_ExpireMode.AFTER_INVOKE;
    type UNRECOGNIZED = typeof FromFunction_ExpirationSpec_ExpireMode.UNRECOGNIZED;
}
export interface FromFunction_PersistedValueSpec {
    stateName: string;
    expirationSpec?: FromFunction_ExpirationSpec | undefined;
    typeTypename: string;
}
export interface FromFunction_IncompleteInvocationContext {
    missingValues: FromFunction_PersistedValueSpec[];
}
/** The value of a Kafka egress message (io.statefun.sdk.egress). */
export interface KafkaProducerRecord {
    key: string;
    valueBytes: Uint8Array;
    topic: string;
}
export declare const Address: MessageFns<Address>;
export declare const TypedValue: MessageFns<TypedValue>;
export declare const ToFunction: MessageFns<ToFunction>;
export declare const ToFunction_PersistedValue: MessageFns<ToFunction_PersistedValue>;
export declare const ToFunction_Invocation: MessageFns<ToFunction_Invocation>;
export declare const ToFunction_InvocationBatchRequest: MessageFns<ToFunction_InvocationBatchRequest>;
export declare const FromFunction: MessageFns<FromFunction>;
export declare const FromFunction_PersistedValueMutation: MessageFns<FromFunction_PersistedValueMutation>;
export declare const FromFunction_Invocation: MessageFns<FromFunction_Invocation>;
export declare const FromFunction_DelayedInvocation: MessageFns<FromFunction_DelayedInvocation>;
export declare const FromFunction_EgressMessage: MessageFns<FromFunction_EgressMessage>;
export declare const FromFunction_InvocationResponse: MessageFns<FromFunction_InvocationResponse>;
export declare const FromFunction_ExpirationSpec: MessageFns<FromFunction_ExpirationSpec>;
export declare const FromFunction_PersistedValueSpec: MessageFns<FromFunction_PersistedValueSpec>;
export declare const FromFunction_IncompleteInvocationContext: MessageFns<FromFunction_IncompleteInvocationContext>;
export declare const KafkaProducerRecord: MessageFns<KafkaProducerRecord>;
type Builtin = Date | Function | Uint8Array | string | number | boolean | undefined;
type DeepPartial<T> = T extends Builtin ? T : T extends globalThis.Array<infer U> ? globalThis.Array<DeepPartial<U>> : T extends ReadonlyArray<infer U> ? ReadonlyArray<DeepPartial<U>> : T extends {
    $case: string;
    value: unknown;
} ? {
    $case: T["$case"];
    value?: DeepPartial<T["value"]>;
} : T extends {} ? {
    [K in keyof T]?: DeepPartial<T[K]>;
} : Partial<T>;
interface MessageFns<T> {
    encode(message: T, writer?: BinaryWriter): BinaryWriter;
    decode(input: BinaryReader | Uint8Array, length?: number): T;
    create(base?: DeepPartial<T>): T;
    fromPartial(object: DeepPartial<T>): T;
}
export {};
