/**
 * How a worker reaches a pipeline function outside of a StateFun call: the
 * end of a call that went to the background, and its heartbeats, travel as
 * commands to the pipeline's key (on Flink: the requests topic, through the
 * Kafka ingress; on the embedded runtime: directly).
 *
 * @module
 */

/**
 * Delivers commands to pipeline functions from outside a call.
 *
 * @example
 * ```ts
 * const sink: ResultSink = { send: async (pipelineId, command) => producer.send({ topic: REQUESTS_TOPIC, messages: [{ key: pipelineId, value: Buffer.from(command) }] }) };
 * await serve(tasks, { resultSink: sink });
 * ```
 */
export interface ResultSink {
  /** Sends `command` (`PipelineCommand` bytes) to the pipeline function at `pipelineId`. */
  send(pipelineId: string, command: Uint8Array): Promise<void>;
}
