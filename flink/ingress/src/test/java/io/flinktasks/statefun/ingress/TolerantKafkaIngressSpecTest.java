package io.flinktasks.statefun.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.flink.statefun.flink.io.generated.RoutingConfig;
import org.apache.flink.statefun.sdk.kafka.KafkaIngressAutoResetPosition;
import org.apache.flink.statefun.sdk.kafka.KafkaIngressSpec;
import org.apache.flink.statefun.sdk.kafka.KafkaIngressStartupPosition;
import org.apache.flink.statefun.sdk.kafka.KafkaTopicPartition;
import org.junit.jupiter.api.Test;

class TolerantKafkaIngressSpecTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final String MINIMAL =
      "id: flinktasks/requests\n"
          + "address: kafka:9092\n"
          + "consumerGroupId: flink-tasks\n"
          + "topics:\n"
          + "  - topic: flink-tasks.requests\n"
          + "    valueType: io.flinktasks/PipelineCommand\n"
          + "    targets: [example/pipeline]\n";

  private static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static TolerantKafkaIngressSpec parse(String text) {
    return TolerantKafkaIngressSpec.parse(yaml(text));
  }

  /** Parsing fails, with a message that contains every one of {@code expected}. */
  private static void fails(String text, String... expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(text));
    for (String part : expected) {
      assertTrue(e.getMessage().contains(part), "message \"" + e.getMessage() + "\" lacks \"" + part + "\"");
    }
  }

  @Test
  void appliesTheDefaults() {
    TolerantKafkaIngressSpec spec = parse(MINIMAL);
    assertEquals("flinktasks", spec.id().namespace());
    assertEquals("requests", spec.id().name());
    assertEquals("kafka:9092", spec.address().orElseThrow());
    assertEquals("flink-tasks", spec.consumerGroupId().orElseThrow());
    assertEquals(KafkaIngressAutoResetPosition.EARLIEST, spec.autoOffsetResetPosition());
    assertTrue(spec.startupPosition().isGroupOffsets());
    assertEquals("flinktasks.invalid-records", spec.invalidRecordId());
    assertEquals(1024, spec.maxKeyBytes());
    RoutingConfig route = spec.routes().get("flink-tasks.requests");
    assertEquals("io.flinktasks/PipelineCommand", route.getTypeUrl());
    assertEquals("example", route.getTargetFunctionTypes(0).getNamespace());
    assertEquals("pipeline", route.getTargetFunctionTypes(0).getType());
  }

  @Test
  void readsEveryField() {
    TolerantKafkaIngressSpec spec =
        parse(
            "id: ns/in\n"
                + "address: a:1,b:2\n"
                + "consumerGroupId: g\n"
                + "autoOffsetResetPosition: latest\n"
                + "startupPosition: {type: latest}\n"
                + "invalidRecordId: bad\n"
                + "maxKeyBytes: 64\n"
                + "properties:\n"
                + "  - isolation.level: read_committed\n"
                + "  - max.partition.fetch.bytes: 16777216\n"
                + "  - check.crcs: true\n"
                + "topics:\n"
                + "  - {topic: t1, valueType: a/A, targets: [x/one, y/two]}\n"
                + "  - {topic: t2, valueType: b/B, targets: [x/one]}\n");
    assertEquals(KafkaIngressAutoResetPosition.LATEST, spec.autoOffsetResetPosition());
    assertTrue(spec.startupPosition().isLatest());
    assertEquals("bad", spec.invalidRecordId());
    assertEquals(64, spec.maxKeyBytes());
    assertEquals(List.of("t1", "t2"), List.copyOf(spec.routes().keySet()));
    assertEquals(2, spec.routes().get("t1").getTargetFunctionTypesCount());
    Properties p = spec.properties();
    assertEquals("read_committed", p.getProperty("isolation.level"));
    assertEquals("16777216", p.getProperty("max.partition.fetch.bytes"));
    assertEquals("true", p.getProperty("check.crcs"));
  }

  @Test
  void buildsTheKafkaIngressStateFunRuns() {
    KafkaIngressSpec<?> kafka =
        parse(MINIMAL + "properties:\n  - isolation.level: read_committed\n").toKafkaIngressSpec();
    assertEquals(List.of("flink-tasks.requests"), kafka.topics());
    Properties p = kafka.properties();
    // autoOffsetResetPosition (default earliest) is what reaches the consumer.
    assertEquals("earliest", p.getProperty("auto.offset.reset"));
    assertEquals("flink-tasks", p.getProperty("group.id"));
    assertEquals("kafka:9092", p.getProperty("bootstrap.servers"));
    assertEquals("read_committed", p.getProperty("isolation.level"));
    assertInstanceOf(TolerantKafkaIngressDeserializer.class, kafka.deserializer());
    assertTrue(kafka.startupPosition().isGroupOffsets());
  }

  @Test
  void takesAddressAndGroupFromPropertiesWhenTheFieldsAreAbsent() {
    KafkaIngressSpec<?> kafka =
        parse(
                "id: a/b\n"
                    + "topics: [{topic: t, valueType: a/T, targets: [a/f]}]\n"
                    + "properties:\n  - bootstrap.servers: k:1\n  - group.id: g2\n")
            .toKafkaIngressSpec();
    assertEquals("k:1", kafka.properties().getProperty("bootstrap.servers"));
    assertEquals("g2", kafka.properties().getProperty("group.id"));
  }

  @Test
  void readsEveryStartupPosition() {
    assertTrue(parse(MINIMAL + "startupPosition: {type: earliest}").startupPosition().isEarliest());
    assertTrue(parse(MINIMAL + "startupPosition: {type: group-offsets}").startupPosition().isGroupOffsets());
    KafkaIngressStartupPosition specific =
        parse(
                MINIMAL
                    + "startupPosition:\n  type: specific-offsets\n  offsets:\n"
                    + "    - flink-tasks.requests/0: 42\n    - flink-tasks.requests/3: 7\n")
            .startupPosition();
    assertTrue(specific.isSpecificOffsets());
    Map<KafkaTopicPartition, Long> offsets = specific.asSpecificOffsets().specificOffsets();
    assertEquals(42L, offsets.get(new KafkaTopicPartition("flink-tasks.requests", 0)));
    assertEquals(7L, offsets.get(new KafkaTopicPartition("flink-tasks.requests", 3)));
    KafkaIngressStartupPosition date =
        parse(MINIMAL + "startupPosition: {type: date, date: '2024-01-31 12:00:00.000 +0100'}").startupPosition();
    assertTrue(date.isDate());
    assertEquals(ZonedDateTime.parse("2024-01-31T11:00:00Z").toInstant().toEpochMilli(), date.asDate().epochMilli());
  }

  @Test
  void refusesAutoOffsetResetUnderProperties() {
    fails(MINIMAL + "properties:\n  - auto.offset.reset: earliest\n", "auto.offset.reset", "autoOffsetResetPosition");
  }

  @Test
  void refusesAnAddressOrGroupSetTwiceOrNotAtAll() {
    fails(MINIMAL + "properties:\n  - bootstrap.servers: x:1\n", "bootstrap.servers", "address");
    fails(MINIMAL + "properties:\n  - group.id: other\n", "group.id", "consumerGroupId");
    fails(MINIMAL.replace("address: kafka:9092\n", ""), "address: is required");
    fails(MINIMAL.replace("consumerGroupId: flink-tasks\n", ""), "consumerGroupId: is required");
  }

  @Test
  void refusesMisspeltAndUnknownFields() {
    fails(MINIMAL + "autoOffsetResetPositon: earliest\n", "unknown field", "autoOffsetResetPositon");
    fails(MINIMAL.replace("    targets:", "    target:"), "topics[0]", "unknown field", "target");
    fails(MINIMAL + "startupPosition: {type: earliest, offsets: []}\n", "startupPosition", "offsets");
  }

  @Test
  void refusesABadIdOrTypename() {
    fails(MINIMAL.replace("id: flinktasks/requests", "id: requests"), "id", "namespace/name");
    fails(MINIMAL.replace("id: flinktasks/requests\n", ""), "id: is required");
    fails(MINIMAL.replace("id: flinktasks/requests", "id: 42"), "id", "non-empty string");
    fails(MINIMAL.replace("valueType: io.flinktasks/PipelineCommand", "valueType: PipelineCommand"), "topics[0].valueType");
    fails(MINIMAL.replace("targets: [example/pipeline]", "targets: [example/*]"), "topics[0].targets[0]", "namespace");
    fails(MINIMAL.replace("targets: [example/pipeline]", "targets: [example/pipeline, example/pipeline]"), "listed twice");
    fails(MINIMAL.replace("targets: [example/pipeline]", "targets: []"), "topics[0].targets", "non-empty list");
    fails(MINIMAL.replace("targets: [example/pipeline]", "targets: example/pipeline"), "topics[0].targets");
  }

  @Test
  void refusesMissingEmptyOrRepeatedTopics() {
    fails(MINIMAL.substring(0, MINIMAL.indexOf("topics:")), "topics: is required");
    fails(MINIMAL.substring(0, MINIMAL.indexOf("topics:")) + "topics: []\n", "topics", "non-empty list");
    fails(
        MINIMAL + "  - {topic: flink-tasks.requests, valueType: a/B, targets: [a/b]}\n",
        "topics[1].topic",
        "listed twice");
    fails(MINIMAL.replace("  - topic: flink-tasks.requests\n", "  - topic: ''\n"), "topics[0].topic");
  }

  @Test
  void refusesABadAutoOffsetResetOrStartupPosition() {
    fails(MINIMAL + "autoOffsetResetPosition: none\n", "autoOffsetResetPosition", "earliest or latest");
    fails(MINIMAL + "startupPosition: {type: newest}\n", "startupPosition.type", "group-offsets");
    fails(MINIMAL + "startupPosition: earliest\n", "startupPosition", "object");
    fails(MINIMAL + "startupPosition: {type: specific-offsets}\n", "startupPosition.offsets");
    fails(MINIMAL + "startupPosition: {type: specific-offsets, offsets: [{other/0: 1}]}\n", "not one of this ingress's topics");
    fails(MINIMAL + "startupPosition: {type: specific-offsets, offsets: [{flink-tasks.requests/0: -1}]}\n", "integer >= 0");
    fails(MINIMAL + "startupPosition: {type: specific-offsets, offsets: [{flink-tasks.requests/x: 1}]}\n", "integer");
    fails(MINIMAL + "startupPosition: {type: specific-offsets, offsets: [{flink-tasks.requests: 1}]}\n", "<topic>/<partition>");
    fails(MINIMAL + "startupPosition: {type: specific-offsets, offsets: [{flink-tasks.requests/0: '5'}]}\n", "integer >= 0");
    fails(MINIMAL + "startupPosition: {type: date, date: yesterday}\n", "startupPosition.date", "yyyy-MM-dd");
  }

  @Test
  void refusesABadMaxKeyBytesOrInvalidRecordId() {
    fails(MINIMAL + "maxKeyBytes: 0\n", "maxKeyBytes", "from 1 to");
    fails(MINIMAL + "maxKeyBytes: '1024'\n", "maxKeyBytes");
    fails(MINIMAL + "maxKeyBytes: 1.5\n", "maxKeyBytes");
    fails(MINIMAL + "maxKeyBytes: 99999999999\n", "maxKeyBytes");
    fails(MINIMAL + "invalidRecordId: ''\n", "invalidRecordId");
    fails(MINIMAL + "maxKeyBytes: 4\n", "invalidRecordId", "longer than maxKeyBytes");
  }

  @Test
  void refusesPropertiesThatAreNotNameValuePairs() {
    fails(MINIMAL + "properties: {isolation.level: read_committed}\n", "properties", "list");
    fails(MINIMAL + "properties:\n  - a: [1, 2]\n", "properties[0].a");
    fails(MINIMAL + "properties:\n  - a: null\n", "properties[0].a");
    fails(MINIMAL + "properties:\n  - a: 1\n  - a: 2\n", "properties[1].a", "twice");
  }

  @Test
  void refusesASpecThatIsNotAnObject() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TolerantKafkaIngressSpec.parse(yaml("[1, 2]")));
    assertTrue(e.getMessage().contains("expected an object"));
    assertThrows(IllegalArgumentException.class, () -> TolerantKafkaIngressSpec.parse(null));
  }

  @Test
  void namesTheIngressInEveryErrorOnceItsIdIsKnown() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> parse(MINIMAL + "maxKeyBytes: -1\n"));
    assertTrue(e.getMessage().startsWith("io.flinktasks.kafka.v1/ingress flinktasks/requests: maxKeyBytes"), e.getMessage());
    assertFalse(e.getMessage().contains("null"));
  }
}
