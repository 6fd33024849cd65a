package io.flinktasks.statefun.ingress;

import com.google.protobuf.Message;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.flink.statefun.flink.io.generated.AutoRoutable;
import org.apache.flink.statefun.flink.io.generated.RoutingConfig;
import org.apache.flink.statefun.sdk.kafka.KafkaIngressDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every Kafka record into something StateFun can route, and never throws.
 *
 * <ul>
 *   <li>A valid record (key non-empty and at most {@code maxKeyBytes} long, value non-null) is
 *       routed like StateFun's own {@code io.statefun.kafka.v1/ingress} does: to every target of
 *       its topic, function id = the key as UTF-8, typename = the topic's {@code valueType}, the
 *       value as payload.
 *   <li>Any other record goes to every target of its topic under the id {@code invalidRecordId},
 *       with typename {@value #INVALID_RECORD_TYPENAME} and an {@code InvalidRecord} message
 *       describing it (see {@link InvalidRecordEncoder}).
 *   <li>A record of a topic without routing (cannot happen with a consistent spec) is skipped with
 *       a log line; so is a record whose handling fails for a reason nobody foresaw.
 * </ul>
 *
 * <p>Log lines are throttled to one per second per kind (invalid / skipped).
 */
public final class TolerantKafkaIngressDeserializer implements KafkaIngressDeserializer<Message> {

  private static final long serialVersionUID = 1L;

  /** The typename under which an invalid record reaches the targets. */
  public static final String INVALID_RECORD_TYPENAME = "io.flinktasks/InvalidRecord";

  private static final Logger LOG = LoggerFactory.getLogger(TolerantKafkaIngressDeserializer.class);
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Per topic: how valid records are routed, and how invalid ones are. */
  private final HashMap<String, RoutingConfig> validRoutes;

  private final HashMap<String, RoutingConfig> invalidRoutes;
  private final String invalidRecordId;
  private final int maxKeyBytes;

  private transient LogThrottle invalidLog;
  private transient LogThrottle skippedLog;

  /**
   * @param routes per topic, the typename of its records and their targets
   * @param invalidRecordId the function id invalid records are sent to
   * @param maxKeyBytes the longest key (in bytes) still used as a function id
   */
  public TolerantKafkaIngressDeserializer(
      Map<String, RoutingConfig> routes, String invalidRecordId, int maxKeyBytes) {
    Objects.requireNonNull(routes, "routes");
    Objects.requireNonNull(invalidRecordId, "invalidRecordId");
    if (routes.isEmpty()) {
      throw new IllegalArgumentException("at least one topic must be routed");
    }
    if (invalidRecordId.isEmpty()) {
      throw new IllegalArgumentException("invalidRecordId must not be empty");
    }
    if (maxKeyBytes < 1) {
      throw new IllegalArgumentException("maxKeyBytes must be at least 1, got " + maxKeyBytes);
    }
    this.validRoutes = new HashMap<>(routes);
    this.invalidRoutes = new HashMap<>();
    for (Map.Entry<String, RoutingConfig> route : routes.entrySet()) {
      if (route.getValue().getTargetFunctionTypesCount() == 0) {
        throw new IllegalArgumentException("topic " + route.getKey() + " has no targets");
      }
      this.invalidRoutes.put(
          route.getKey(), route.getValue().toBuilder().setTypeUrl(INVALID_RECORD_TYPENAME).build());
    }
    this.invalidRecordId = invalidRecordId;
    this.maxKeyBytes = maxKeyBytes;
  }

  @Override
  public Message deserialize(ConsumerRecord<byte[], byte[]> record) {
    try {
      return route(record);
    } catch (RuntimeException e) {
      // Nothing here is expected to throw; if it does anyway, losing one record with a log line
      // is better than a job that fails on it forever.
      logSkipped(record, "could not be handled (" + e + ")");
      return null;
    }
  }

  private Message route(ConsumerRecord<byte[], byte[]> record) {
    String topic = record.topic();
    RoutingConfig valid = topic == null ? null : validRoutes.get(topic);
    if (valid == null) {
      logSkipped(record, "comes from a topic this ingress has no routing for");
      return null;
    }
    byte[] key = record.key();
    byte[] value = record.value();
    InvalidRecordReason reason = InvalidRecordReason.of(key, value, maxKeyBytes);
    if (reason == null) {
      return AutoRoutable.newBuilder()
          .setConfig(valid)
          .setId(new String(key, StandardCharsets.UTF_8))
          .setPayloadBytes(UnsafeByteOperations.unsafeWrap(value))
          .build();
    }
    logInvalid(record, reason);
    byte[] description =
        InvalidRecordEncoder.encode(
            reason,
            topic,
            record.partition(),
            record.offset(),
            key,
            maxKeyBytes,
            value,
            record.timestamp());
    return AutoRoutable.newBuilder()
        .setConfig(invalidRoutes.get(topic))
        .setId(invalidRecordId)
        .setPayloadBytes(UnsafeByteOperations.unsafeWrap(description))
        .build();
  }

  private void logInvalid(ConsumerRecord<byte[], byte[]> record, InvalidRecordReason reason) {
    if (invalidLog == null) {
      invalidLog = new LogThrottle(LOG_INTERVAL_NANOS);
    }
    long held = invalidLog.pass(System.nanoTime());
    if (held < 0) {
      return;
    }
    LOG.warn(
        "flink-tasks ingress: record {}/{}@{} is invalid ({}: {}, {}), sent to id {} as {}{}",
        record.topic(),
        record.partition(),
        record.offset(),
        reason.code(),
        record.key() == null ? "no key" : record.key().length + "-byte key",
        record.value() == null ? "null value" : record.value().length + "-byte value",
        invalidRecordId,
        INVALID_RECORD_TYPENAME,
        held > 0 ? " (" + held + " similar lines suppressed)" : "");
  }

  private void logSkipped(ConsumerRecord<byte[], byte[]> record, String why) {
    if (skippedLog == null) {
      skippedLog = new LogThrottle(LOG_INTERVAL_NANOS);
    }
    long held = skippedLog.pass(System.nanoTime());
    if (held < 0) {
      return;
    }
    String where =
        record == null
            ? "(null record)"
            : record.topic() + "/" + record.partition() + "@" + record.offset();
    LOG.warn(
        "flink-tasks ingress: record {} {}; skipped{}",
        where,
        why,
        held > 0 ? " (" + held + " similar lines suppressed)" : "");
  }
}
