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
  /**
   * Calls `deliver` with every cancellation (`TaskCancel` bytes) published
   * for any pipeline, so that this process aborts the calls of cancelled runs
   * that it is running; returns a function that stops the delivery.
   * Optional: without it, a running call hears of a cancellation only from
   * the cancel message, which reaches one replica of a worker type (on
   * Flink: `kafkaResultSink({ cancellationsTopic })`).
   */
  onCancellation?(deliver: (cancel: Uint8Array) => void): () => void;
}
