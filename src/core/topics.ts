/**
 * The names flink-tasks uses in Kafka and StateFun by default: topics and
 * egress typenames. module.yaml (flink/, deploy/) declares the same.
 *
 * @module
 */

/**
 * Topic of commands to the pipeline function (submissions and actions).
 *
 * @example
 * ```ts
 * const client = await KafkaTasksClient.connect({ brokers: ['127.0.0.1:19092'], requestTopic: REQUESTS_TOPIC }); // the default
 * ```
 */
export const REQUESTS_TOPIC = 'flink-tasks.requests';
/**
 * Kafka topic of replies.
 *
 * @example
 * ```ts
 * const client = await KafkaTasksClient.connect({ brokers: ['127.0.0.1:19092'], replyTopic: REPLIES_TOPIC }); // the default replyTopic
 * ```
 */
export const REPLIES_TOPIC = 'flink-tasks.replies';
/**
 * Kafka topic of events.
 *
 * @example
 * ```ts
 * await serve(tasks, { events: { egress: EVENTS_EGRESS, topic: EVENTS_TOPIC } });
 * const client = await KafkaTasksClient.connect({ brokers: ['127.0.0.1:19092'], eventsTopic: EVENTS_TOPIC }); // the default eventsTopic
 * ```
 */
export const EVENTS_TOPIC = 'flink-tasks.events';
/**
 * Kafka topic of dead letters: records the pipeline function had to drop.
 *
 * @example
 * ```ts
 * await serve(tasks, { deadLetters: { egress: DEAD_LETTERS_EGRESS, topic: DEAD_LETTERS_TOPIC } });
 * ```
 */
export const DEAD_LETTERS_TOPIC = 'flink-tasks.dead-letters';
/**
 * Kafka topic of cancellations: every worker process reads it, so that a
 * cancelled pipeline's running calls are aborted whichever replica runs them.
 *
 * @example
 * ```ts
 * await serve(tasks, { cancellations: { egress: CANCELLATIONS_EGRESS, topic: CANCELLATIONS_TOPIC } });
 * const resultSink = await kafkaResultSink({ brokers: ['127.0.0.1:19092'], cancellationsTopic: CANCELLATIONS_TOPIC });
 * ```
 */
export const CANCELLATIONS_TOPIC = 'flink-tasks.cancellations';
/**
 * Egress typename for replies to clients.
 *
 * @example
 * ```ts
 * new FunctionServer(tasks, { repliesEgress: REPLIES_EGRESS }); // the default
 * // module.yaml: kind io.statefun.kafka.v1/egress with spec.id flinktasks/replies
 * ```
 */
export const REPLIES_EGRESS = 'flinktasks/replies';
/**
 * Egress typename for pipeline events.
 *
 * @example
 * ```ts
 * new FunctionServer(tasks, { events: { egress: EVENTS_EGRESS, topic: EVENTS_TOPIC } });
 * // module.yaml: kind io.statefun.kafka.v1/egress with spec.id flinktasks/events
 * ```
 */
export const EVENTS_EGRESS = 'flinktasks/events';
/**
 * Egress typename for dead letters.
 *
 * @example
 * ```ts
 * new FunctionServer(tasks, { deadLetters: { egress: DEAD_LETTERS_EGRESS, topic: DEAD_LETTERS_TOPIC } });
 * // module.yaml: kind io.statefun.kafka.v1/egress with spec.id flinktasks/dead-letters
 * ```
 */
export const DEAD_LETTERS_EGRESS = 'flinktasks/dead-letters';
/**
 * Egress typename for cancellations (at-least-once: a cancellation read
 * twice aborts nothing more).
 *
 * @example
 * ```ts
 * new FunctionServer(tasks, { cancellations: { egress: CANCELLATIONS_EGRESS, topic: CANCELLATIONS_TOPIC } });
 * // module.yaml: kind io.statefun.kafka.v1/egress with spec.id flinktasks/cancellations
 * ```
 */
export const CANCELLATIONS_EGRESS = 'flinktasks/cancellations';
