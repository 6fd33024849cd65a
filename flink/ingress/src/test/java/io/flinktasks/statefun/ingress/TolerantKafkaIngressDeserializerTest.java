package io.flinktasks.statefun.ingress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.flink.statefun.flink.io.common.AutoRoutableProtobufRouter;
import org.apache.flink.statefun.flink.io.generated.AutoRoutable;
import org.apache.flink.statefun.flink.io.generated.RoutingConfig;
import org.apache.flink.statefun.flink.io.generated.TargetFunctionType;
import org.apache.flink.statefun.sdk.Address;
import org.apache.flink.statefun.sdk.io.Router;
import org.apache.flink.statefun.sdk.metrics.Metrics;
import org.apache.flink.statefun.sdk.reqreply.generated.TypedValue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class TolerantKafkaIngressDeserializerTest {

  private static final String REQUESTS = "flink-tasks.requests";
  private static final String OTHER = "other.topic";
  private static final String COMMAND = "io.flinktasks/PipelineCommand";
  private static final int MAX_KEY = 16;

  private static RoutingConfig route(String valueType, String... targets) {
    RoutingConfig.Builder b = RoutingConfig.newBuilder().setTypeUrl(valueType);
    for (String t : targets) {
      String[] p = t.split("/");
      b.addTargetFunctionTypes(TargetFunctionType.newBuilder().setNamespace(p[0]).setType(p[1]));
    }
    return b.build();
  }

  private static TolerantKafkaIngressDeserializer deserializer() {
    Map<String, RoutingConfig> routes = new LinkedHashMap<>();
    routes.put(REQUESTS, route(COMMAND, "example/pipeline"));
    routes.put(OTHER, route("other/Type", "a/one", "b/two"));
    return new TolerantKafkaIngressDeserializer(routes, "flinktasks.invalid-records", MAX_KEY);
  }

  private static ConsumerRecord<byte[], byte[]> record(
      String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    return new ConsumerRecord<>(
        topic,
        partition,
        offset,
        timestamp,
        TimestampType.CREATE_TIME,
        key == null ? -1 : key.length,
        value == null ? -1 : value.length,
        key,
        value,
        new RecordHeaders(),
        Optional.empty());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** What the function receives: the message passed through StateFun's own router. */
  private static List<Map.Entry<Address, TypedValue>> routed(Message message) {
    List<Map.Entry<Address, TypedValue>> out = new ArrayList<>();
    new AutoRoutableProtobufRouter()
        .route(
            message,
            new Router.Downstream<Message>() {
              @Override
              public void forward(Address to, Message m) {
                out.add(Map.entry(to, (TypedValue) m));
              }

              @Override
              public Metrics metrics() {
                throw new UnsupportedOperationException("not used by the router");
              }
            });
    return out;
  }

  @Test
  void routesAValidRecordLikeStateFunsOwnIngress() {
    byte[] value = {1, 2, 3, 0, -1};
    Message m = deserializer().deserialize(record(REQUESTS, 3, 42, 1700, utf8("pipeline-1"), value));
    AutoRoutable r = (AutoRoutable) m;
    assertEquals("pipeline-1", r.getId());
    assertEquals(COMMAND, r.getConfig().getTypeUrl());
    assertArrayEquals(value, r.getPayloadBytes().toByteArray());

    List<Map.Entry<Address, TypedValue>> to = routed(m);
    assertEquals(1, to.size());
    assertEquals("example", to.get(0).getKey().type().namespace());
    assertEquals("pipeline", to.get(0).getKey().type().name());
    assertEquals("pipeline-1", to.get(0).getKey().id());
    assertEquals(COMMAND, to.get(0).getValue().getTypename());
    assertTrue(to.get(0).getValue().getHasValue());
    assertArrayEquals(value, to.get(0).getValue().getValue().toByteArray());
  }

  @Test
  void decodesTheKeyAsUtf8AndKeepsAnEmptyValue() {
    AutoRoutable r =
        (AutoRoutable) deserializer().deserialize(record(REQUESTS, 0, 0, 0, utf8("zürich-∑"), new byte[0]));
    assertEquals("zürich-∑", r.getId());
    assertEquals(COMMAND, r.getConfig().getTypeUrl());
    assertEquals(0, r.getPayloadBytes().size());
  }

  @Test
  void sendsEveryRecordToEveryTargetOfItsTopic() {
    List<Map.Entry<Address, TypedValue>> valid =
        routed(deserializer().deserialize(record(OTHER, 0, 1, 1, utf8("k"), utf8("v"))));
    assertEquals(2, valid.size());
    assertEquals("a", valid.get(0).getKey().type().namespace());
    assertEquals("two", valid.get(1).getKey().type().name());
    List<Map.Entry<Address, TypedValue>> invalid =
        routed(deserializer().deserialize(record(OTHER, 0, 2, 1, null, utf8("v"))));
    assertEquals(2, invalid.size());
    for (Map.Entry<Address, TypedValue> e : invalid) {
      assertEquals("flinktasks.invalid-records", e.getKey().id());
      assertEquals("io.flinktasks/InvalidRecord", e.getValue().getTypename());
    }
  }

  private static DecodedInvalidRecord invalid(Message m, String expectedId) {
    assertNotNull(m, "an invalid record is routed, not dropped");
    AutoRoutable r = (AutoRoutable) m;
    assertEquals(expectedId, r.getId());
    assertEquals(TolerantKafkaIngressDeserializer.INVALID_RECORD_TYPENAME, r.getConfig().getTypeUrl());
    assertEquals(1, r.getConfig().getTargetFunctionTypesCount());
    assertEquals("pipeline", r.getConfig().getTargetFunctionTypes(0).getType());
    List<Map.Entry<Address, TypedValue>> to = routed(m);
    assertEquals("io.flinktasks/InvalidRecord", to.get(0).getValue().getTypename());
    return DecodedInvalidRecord.decode(r.getPayloadBytes().toByteArray());
  }

  @Test
  void aRecordWithoutKeyBecomesAnInvalidRecord() {
    byte[] value = utf8("a command nobody can address");
    DecodedInvalidRecord d =
        invalid(deserializer().deserialize(record(REQUESTS, 2, 77, 1_700_000_000_123L, null, value)), "flinktasks.invalid-records");
    assertEquals("MissingKey", d.reason);
    assertEquals(REQUESTS, d.topic);
    assertEquals(2, d.partition);
    assertEquals(77, d.offset);
    assertEquals(0, d.key.length);
    assertArrayEquals(value, d.value);
    assertEquals(1_700_000_000_123L, d.timestamp);
  }

  @Test
  void anEmptyKeyIsAMissingKey() {
    DecodedInvalidRecord d =
        invalid(deserializer().deserialize(record(REQUESTS, 0, 5, 9, new byte[0], utf8("x"))), "flinktasks.invalid-records");
    assertEquals("MissingKey", d.reason);
    assertEquals(0, d.key.length);
    assertEquals(5, d.offset);
  }

  @Test
  void aTombstoneBecomesAMissingValue() {
    DecodedInvalidRecord d =
        invalid(deserializer().deserialize(record(REQUESTS, 1, 8, 10, utf8("pipeline-9"), null)), "flinktasks.invalid-records");
    assertEquals("MissingValue", d.reason);
    assertArrayEquals(utf8("pipeline-9"), d.key);
    assertEquals(0, d.value.length);
    assertEquals(1, d.partition);
  }

  @Test
  void noKeyAndNoValueIsAMissingKey() {
    DecodedInvalidRecord d =
        invalid(deserializer().deserialize(record(REQUESTS, 0, 1, 1, null, null)), "flinktasks.invalid-records");
    assertEquals("MissingKey", d.reason);
    assertEquals(0, d.key.length);
    assertEquals(0, d.value.length);
  }

  @Test
  void aKeyOfExactlyMaxKeyBytesIsValidOneMoreIsTooLong() {
    byte[] longest = new byte[MAX_KEY];
    Arrays.fill(longest, (byte) 'k');
    AutoRoutable ok = (AutoRoutable) deserializer().deserialize(record(REQUESTS, 0, 1, 1, longest, utf8("v")));
    assertEquals(new String(longest, StandardCharsets.US_ASCII), ok.getId());

    byte[] tooLong = new byte[MAX_KEY + 1000];
    for (int i = 0; i < tooLong.length; i++) {
      tooLong[i] = (byte) i;
    }
    DecodedInvalidRecord d =
        invalid(deserializer().deserialize(record(REQUESTS, 0, 2, 1, tooLong, utf8("v"))), "flinktasks.invalid-records");
    assertEquals("KeyTooLong", d.reason);
    assertArrayEquals(Arrays.copyOf(tooLong, MAX_KEY), d.key, "the key is cut to maxKeyBytes");
    assertArrayEquals(utf8("v"), d.value);
  }

  @Test
  void aTooLongKeyWithoutValueIsReportedAsKeyTooLong() {
    DecodedInvalidRecord d =
        invalid(deserializer().deserialize(record(REQUESTS, 0, 3, 1, new byte[MAX_KEY + 1], null)), "flinktasks.invalid-records");
    assertEquals("KeyTooLong", d.reason);
    assertEquals(MAX_KEY, d.key.length);
    assertEquals(0, d.value.length);
  }

  @Test
  void usesTheConfiguredInvalidRecordId() {
    Map<String, RoutingConfig> routes = Map.of(REQUESTS, route(COMMAND, "example/pipeline"));
    TolerantKafkaIngressDeserializer d = new TolerantKafkaIngressDeserializer(routes, "dead.on.arrival", 4);
    invalid(d.deserialize(record(REQUESTS, 0, 1, 1, utf8("12345"), utf8("v"))), "dead.on.arrival");
  }

  @Test
  void skipsARecordOfATopicWithoutRouting() {
    assertNull(deserializer().deserialize(record("not.routed", 0, 1, 1, utf8("k"), utf8("v"))));
    assertNull(deserializer().deserialize(record("not.routed", 0, 1, 1, null, null)));
  }

  @Test
  void neverThrowsEvenForANullRecord() {
    assertNull(deserializer().deserialize(null));
  }

  @Test
  void keepsTimestampsAndOffsetsThatAreNegativeOrHuge() {
    DecodedInvalidRecord d =
        invalid(
            deserializer()
                .deserialize(record(REQUESTS, Integer.MAX_VALUE, Long.MAX_VALUE, ConsumerRecord.NO_TIMESTAMP, null, null)),
            "flinktasks.invalid-records");
    assertEquals(Integer.MAX_VALUE, d.partition);
    assertEquals(Long.MAX_VALUE, d.offset);
    assertEquals(-1L, d.timestamp);
  }

  /** Any mix of keys, values, topics and positions: never an exception, always a consistent answer. */
  @Test
  void neverThrowsOnRandomRecords() {
    TolerantKafkaIngressDeserializer d = deserializer();
    Random random = new Random(20240901L);
    String[] topics = {REQUESTS, OTHER, "unrouted", ""};
    for (int i = 0; i < 20_000; i++) {
      byte[] key = random.nextInt(5) == 0 ? null : bytes(random, random.nextInt(3 * MAX_KEY));
      byte[] value = random.nextInt(5) == 0 ? null : bytes(random, random.nextInt(200));
      String topic = topics[random.nextInt(topics.length)];
      int partition = random.nextInt(5) == 0 ? random.nextInt() : random.nextInt(4);
      long offset = random.nextLong();
      long timestamp = random.nextLong();
      Message m = d.deserialize(record(topic, partition, offset, timestamp, key, value));
      if (!topic.equals(REQUESTS) && !topic.equals(OTHER)) {
        assertNull(m);
        continue;
      }
      AutoRoutable r = (AutoRoutable) m;
      InvalidRecordReason reason = InvalidRecordReason.of(key, value, MAX_KEY);
      if (reason == null) {
        assertEquals(new String(key, StandardCharsets.UTF_8), r.getId());
        assertArrayEquals(value, r.getPayloadBytes().toByteArray());
      } else {
        DecodedInvalidRecord got = DecodedInvalidRecord.decode(r.getPayloadBytes().toByteArray());
        assertEquals(reason.code(), got.reason);
        assertEquals(topic, got.topic);
        assertEquals(partition, got.partition);
        assertEquals(offset, got.offset);
        assertEquals(timestamp, got.timestamp);
        assertArrayEquals(key == null ? new byte[0] : Arrays.copyOf(key, Math.min(key.length, MAX_KEY)), got.key);
        assertArrayEquals(value == null ? new byte[0] : value, got.value);
      }
    }
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** Flink ships the deserializer to the task managers by Java serialization. */
  @Test
  void survivesJavaSerialization() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(deserializer());
    }
    TolerantKafkaIngressDeserializer copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (TolerantKafkaIngressDeserializer) in.readObject();
    }
    assertEquals("p", ((AutoRoutable) copy.deserialize(record(REQUESTS, 0, 1, 1, utf8("p"), utf8("v")))).getId());
    assertEquals("MissingKey", invalid(copy.deserialize(record(REQUESTS, 0, 1, 1, null, utf8("v"))), "flinktasks.invalid-records").reason);
  }

  @Test
  void refusesAnUnusableConfiguration() {
    Map<String, RoutingConfig> routes = Map.of(REQUESTS, route(COMMAND, "example/pipeline"));
    assertThrows(IllegalArgumentException.class, () -> new TolerantKafkaIngressDeserializer(Map.of(), "x", 1));
    assertThrows(IllegalArgumentException.class, () -> new TolerantKafkaIngressDeserializer(routes, "", 1));
    assertThrows(IllegalArgumentException.class, () -> new TolerantKafkaIngressDeserializer(routes, "x", 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TolerantKafkaIngressDeserializer(Map.of(REQUESTS, route(COMMAND)), "x", 1));
  }
}
