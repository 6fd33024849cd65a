package io.flinktasks.statefun.ingress;

import com.google.protobuf.Message;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.statefun.flink.io.generated.RoutingConfig;
import org.apache.flink.statefun.flink.io.generated.TargetFunctionType;
import org.apache.flink.statefun.sdk.FunctionType;
import org.apache.flink.statefun.sdk.io.IngressIdentifier;
import org.apache.flink.statefun.sdk.kafka.KafkaIngressAutoResetPosition;
import org.apache.flink.statefun.sdk.kafka.KafkaIngressBuilder;
import org.apache.flink.statefun.sdk.kafka.KafkaIngressBuilderApiExtension;
import org.apache.flink.statefun.sdk.kafka.KafkaIngressSpec;
import org.apache.flink.statefun.sdk.kafka.KafkaIngressStartupPosition;
import org.apache.flink.statefun.sdk.kafka.KafkaTopicPartition;

/**
 * The spec of an {@code io.flinktasks.kafka.v1/ingress} component, parsed from module.yaml.
 *
 * <pre>
 * kind: io.flinktasks.kafka.v1/ingress
 * spec:
 *   id: flinktasks/requests                      # required, namespace/name
 *   address: kafka:9092                          # or properties: bootstrap.servers
 *   consumerGroupId: flink-tasks                 # or properties: group.id
 *   topics:                                      # required, at least one
 *     - topic: flink-tasks.requests
 *       valueType: io.flinktasks/PipelineCommand
 *       targets: [example/pipeline]              # at least one function type
 *   autoOffsetResetPosition: earliest            # earliest (default) | latest
 *   startupPosition:                             # default: group-offsets
 *     type: group-offsets                        # | earliest | latest
 *                                                # | specific-offsets + offsets: [{"topic/0": 42}]
 *                                                # | date + date: "2024-01-31 12:00:00.000 +0000"
 *   properties:                                  # Kafka consumer properties
 *     - isolation.level: read_committed
 *   invalidRecordId: flinktasks.invalid-records  # default
 *   maxKeyBytes: 1024                            # default
 * </pre>
 *
 * <p>Unlike StateFun's own ingress, unknown fields are errors (a misspelt field is not silently
 * ignored), and {@code auto.offset.reset} under {@code properties} is refused: StateFun
 * overwrites it with {@code autoOffsetResetPosition}.
 */
public final class TolerantKafkaIngressSpec {

  /** Function id that invalid records are sent to, unless the spec says otherwise. */
  public static final String DEFAULT_INVALID_RECORD_ID = "flinktasks.invalid-records";

  /** Longest key used as a function id, unless the spec says otherwise. */
  public static final int DEFAULT_MAX_KEY_BYTES = 1024;

  /** Upper bound of {@code maxKeyBytes}: a function id is not a payload. */
  public static final int MAX_KEY_BYTES_LIMIT = 1 << 20;

  /** Format of {@code startupPosition.date}. */
  public static final String STARTUP_DATE_PATTERN = "yyyy-MM-dd HH:mm:ss.SSS Z";

  private static final Set<String> SPEC_FIELDS =
      fields(
          "id",
          "address",
          "consumerGroupId",
          "topics",
          "autoOffsetResetPosition",
          "startupPosition",
          "properties",
          "invalidRecordId",
          "maxKeyBytes");
  private static final Set<String> TOPIC_FIELDS = fields("topic", "valueType", "targets");

  private final IngressIdentifier<Message> id;
  private final Optional<String> address;
  private final Optional<String> consumerGroupId;
  private final Map<String, RoutingConfig> routes;
  private final KafkaIngressAutoResetPosition autoOffsetResetPosition;
  private final KafkaIngressStartupPosition startupPosition;
  private final Properties properties;
  private final String invalidRecordId;
  private final int maxKeyBytes;

  private TolerantKafkaIngressSpec(
      IngressIdentifier<Message> id,
      Optional<String> address,
      Optional<String> consumerGroupId,
      Map<String, RoutingConfig> routes,
      KafkaIngressAutoResetPosition autoOffsetResetPosition,
      KafkaIngressStartupPosition startupPosition,
      Properties properties,
      String invalidRecordId,
      int maxKeyBytes) {
    this.id = id;
    this.address = address;
    this.consumerGroupId = consumerGroupId;
    this.routes = routes;
    this.autoOffsetResetPosition = autoOffsetResetPosition;
    this.startupPosition = startupPosition;
    this.properties = properties;
    this.invalidRecordId = invalidRecordId;
    this.maxKeyBytes = maxKeyBytes;
  }

  /**
   * Parses the {@code spec} object of a component.
   *
   * @throws IllegalArgumentException naming the field that is wrong and what was expected
   */
  public static TolerantKafkaIngressSpec parse(JsonNode spec) {
    Reader r = new Reader(TolerantKafkaIngressBinder.KIND + " spec");
    if (spec == null || !spec.isObject()) {
      throw r.error("", "expected an object, got " + describe(spec));
    }
    IngressIdentifier<Message> id = ingressId(r, spec.get("id"));
    r = new Reader(TolerantKafkaIngressBinder.KIND + " " + id.namespace() + "/" + id.name());
    r.rejectUnknownFields("", spec, SPEC_FIELDS);

    Optional<String> address = r.optionalText("address", spec.get("address"));
    Optional<String> groupId = r.optionalText("consumerGroupId", spec.get("consumerGroupId"));
    Map<String, RoutingConfig> routes = topics(r, spec.get("topics"));
    KafkaIngressAutoResetPosition reset = autoOffsetReset(r, spec.get("autoOffsetResetPosition"));
    KafkaIngressStartupPosition startup =
        startupPosition(r, spec.get("startupPosition"), routes.keySet());
    Properties properties = properties(r, spec.get("properties"));
    String invalidRecordId =
        r.optionalText("invalidRecordId", spec.get("invalidRecordId"))
            .orElse(DEFAULT_INVALID_RECORD_ID);
    int maxKeyBytes = maxKeyBytes(r, spec.get("maxKeyBytes"));

    if (properties.containsKey("auto.offset.reset")) {
      throw r.error(
          "properties",
          "auto.offset.reset is overwritten by StateFun; set autoOffsetResetPosition instead"
              + " (earliest or latest; default earliest)");
    }
    requireOnce(r, address, "address", properties, "bootstrap.servers");
    requireOnce(r, groupId, "consumerGroupId", properties, "group.id");
    if (invalidRecordId.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxKeyBytes) {
      throw r.error(
          "invalidRecordId", "is longer than maxKeyBytes (" + maxKeyBytes + " bytes)");
    }
    return new TolerantKafkaIngressSpec(
        id,
        address,
        groupId,
        Collections.unmodifiableMap(routes),
        reset,
        startup,
        properties,
        invalidRecordId,
        maxKeyBytes);
  }

  public IngressIdentifier<Message> id() {
    return id;
  }

  public Optional<String> address() {
    return address;
  }

  public Optional<String> consumerGroupId() {
    return consumerGroupId;
  }

  /** Per topic, in the order of the spec: its value typename and targets. */
  public Map<String, RoutingConfig> routes() {
    return routes;
  }

  public KafkaIngressAutoResetPosition autoOffsetResetPosition() {
    return autoOffsetResetPosition;
  }

  public KafkaIngressStartupPosition startupPosition() {
    return startupPosition;
  }

  /** The consumer properties as written in the spec (a copy). */
  public Properties properties() {
    Properties copy = new Properties();
    copy.putAll(properties);
    return copy;
  }

  public String invalidRecordId() {
    return invalidRecordId;
  }

  public int maxKeyBytes() {
    return maxKeyBytes;
  }

  /** The ingress StateFun runs: its Kafka source with this module's deserializer. */
  public KafkaIngressSpec<Message> toKafkaIngressSpec() {
    KafkaIngressBuilder<Message> builder = KafkaIngressBuilder.forIdentifier(id);
    builder.withProperties(properties);
    address.ifPresent(builder::withKafkaAddress);
    consumerGroupId.ifPresent(builder::withConsumerGroupId);
    routes.keySet().forEach(builder::withTopic);
    builder.withAutoResetPosition(autoOffsetResetPosition);
    builder.withStartupPosition(startupPosition);
    KafkaIngressBuilderApiExtension.withDeserializer(
        builder, new TolerantKafkaIngressDeserializer(routes, invalidRecordId, maxKeyBytes));
    return builder.build();
  }

  // --- fields ---------------------------------------------------------------------------------

  private static IngressIdentifier<Message> ingressId(Reader r, JsonNode node) {
    String text = r.requiredText("id", node);
    String[] parts = typename(r, "id", text);
    return new IngressIdentifier<>(Message.class, parts[0], parts[1]);
  }

  private static Map<String, RoutingConfig> topics(Reader r, JsonNode node) {
    if (node == null || node.isNull()) {
      throw r.error("topics", "is required: a list of {topic, valueType, targets}");
    }
    if (!node.isArray() || node.size() == 0) {
      throw r.error("topics", "expected a non-empty list of {topic, valueType, targets}, got " + describe(node));
    }
    Map<String, RoutingConfig> routes = new LinkedHashMap<>();
    for (int i = 0; i < node.size(); i++) {
      String at = "topics[" + i + "]";
      JsonNode entry = node.get(i);
      if (!entry.isObject()) {
        throw r.error(at, "expected an object {topic, valueType, targets}, got " + describe(entry));
      }
      r.rejectUnknownFields(at, entry, TOPIC_FIELDS);
      String topic = r.requiredText(at + ".topic", entry.get("topic"));
      if (routes.containsKey(topic)) {
        throw r.error(at + ".topic", "topic " + topic + " is listed twice");
      }
      String valueType = r.requiredText(at + ".valueType", entry.get("valueType"));
      typename(r, at + ".valueType", valueType);
      RoutingConfig.Builder route = RoutingConfig.newBuilder().setTypeUrl(valueType);
      JsonNode targets = entry.get("targets");
      if (targets == null || !targets.isArray() || targets.size() == 0) {
        throw r.error(
            at + ".targets",
            "expected a non-empty list of function types like example/pipeline, got "
                + describe(targets));
      }
      Set<String> seen = new TreeSet<>();
      for (int t = 0; t < targets.size(); t++) {
        String target = r.requiredText(at + ".targets[" + t + "]", targets.get(t));
        String[] parts = typename(r, at + ".targets[" + t + "]", target);
        if (parts[1].equals("*")) {
          throw r.error(at + ".targets[" + t + "]", "must name one function type, not a namespace: " + target);
        }
        if (!seen.add(target)) {
          throw r.error(at + ".targets[" + t + "]", target + " is listed twice");
        }
        FunctionType type = new FunctionType(parts[0], parts[1]);
        route.addTargetFunctionTypes(
            TargetFunctionType.newBuilder()
                .setNamespace(type.namespace())
                .setType(type.name())
                .build());
      }
      routes.put(topic, route.build());
    }
    return routes;
  }

  private static KafkaIngressAutoResetPosition autoOffsetReset(Reader r, JsonNode node) {
    Optional<String> text = r.optionalText("autoOffsetResetPosition", node);
    if (!text.isPresent()) {
      return KafkaIngressAutoResetPosition.EARLIEST;
    }
    switch (text.get()) {
      case "earliest":
        return KafkaIngressAutoResetPosition.EARLIEST;
      case "latest":
        return KafkaIngressAutoResetPosition.LATEST;
      default:
        throw r.error(
            "autoOffsetResetPosition", "expected earliest or latest, got " + text.get());
    }
  }

  private static KafkaIngressStartupPosition startupPosition(
      Reader r, JsonNode node, Set<String> topics) {
    if (node == null || node.isNull()) {
      return KafkaIngressStartupPosition.fromGroupOffsets();
    }
    if (!node.isObject()) {
      throw r.error("startupPosition", "expected an object with a type, got " + describe(node));
    }
    String type = r.requiredText("startupPosition.type", node.get("type"));
    switch (type) {
      case "group-offsets":
        r.rejectUnknownFields("startupPosition", node, fields("type"));
        return KafkaIngressStartupPosition.fromGroupOffsets();
      case "earliest":
        r.rejectUnknownFields("startupPosition", node, fields("type"));
        return KafkaIngressStartupPosition.fromEarliest();
      case "latest":
        r.rejectUnknownFields("startupPosition", node, fields("type"));
        return KafkaIngressStartupPosition.fromLatest();
      case "specific-offsets":
        r.rejectUnknownFields("startupPosition", node, fields("type", "offsets"));
        return KafkaIngressStartupPosition.fromSpecificOffsets(
            specificOffsets(r, node.get("offsets"), topics));
      case "date":
        r.rejectUnknownFields("startupPosition", node, fields("type", "date"));
        return KafkaIngressStartupPosition.fromDate(startupDate(r, node.get("date")));
      default:
        throw r.error(
            "startupPosition.type",
            "expected one of group-offsets, earliest, latest, specific-offsets, date; got "
                + type);
    }
  }

  private static Map<KafkaTopicPartition, Long> specificOffsets(
      Reader r, JsonNode node, Set<String> topics) {
    String at = "startupPosition.offsets";
    if (node == null || !node.isArray() || node.size() == 0) {
      throw r.error(at, "expected a non-empty list like [{\"flink-tasks.requests/0\": 42}], got " + describe(node));
    }
    Map<KafkaTopicPartition, Long> offsets = new LinkedHashMap<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode entry = node.get(i);
      if (!entry.isObject() || entry.size() == 0) {
        throw r.error(at + "[" + i + "]", "expected {\"<topic>/<partition>\": <offset>}, got " + describe(entry));
      }
      Iterator<Map.Entry<String, JsonNode>> fields = entry.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String where = at + "[" + i + "]." + field.getKey();
        KafkaTopicPartition partition = topicPartition(r, where, field.getKey());
        if (!topics.contains(partition.topic())) {
          throw r.error(where, "topic " + partition.topic() + " is not one of this ingress's topics " + topics);
        }
        JsonNode offset = field.getValue();
        if (!offset.isIntegralNumber() || !offset.canConvertToLong() || offset.asLong() < 0) {
          throw r.error(where, "expected an offset (an integer >= 0), got " + describe(offset));
        }
        if (offsets.put(partition, offset.asLong()) != null) {
          throw r.error(where, "partition " + field.getKey() + " is listed twice");
        }
      }
    }
    return offsets;
  }

  private static KafkaTopicPartition topicPartition(Reader r, String where, String text) {
    int slash = text.lastIndexOf('/');
    if (slash <= 0 || slash == text.length() - 1) {
      throw r.error(where, "expected <topic>/<partition>, e.g. flink-tasks.requests/0");
    }
    int partition;
    try {
      partition = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw r.error(where, "the partition after the last / must be an integer");
    }
    if (partition < 0) {
      throw r.error(where, "the partition must be >= 0");
    }
    return new KafkaTopicPartition(text.substring(0, slash), partition);
  }

  private static ZonedDateTime startupDate(Reader r, JsonNode node) {
    String text = r.requiredText("startupPosition.date", node);
    try {
      return ZonedDateTime.parse(text, DateTimeFormatter.ofPattern(STARTUP_DATE_PATTERN));
    } catch (DateTimeParseException e) {
      throw r.error(
          "startupPosition.date",
          "expected the format " + STARTUP_DATE_PATTERN + " (e.g. 2024-01-31 12:00:00.000 +0000), got " + text);
    }
  }

  private static Properties properties(Reader r, JsonNode node) {
    Properties properties = new Properties();
    if (node == null || node.isNull()) {
      return properties;
    }
    if (!node.isArray()) {
      throw r.error("properties", "expected a list of {name: value}, got " + describe(node));
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode entry = node.get(i);
      if (!entry.isObject() || entry.size() == 0) {
        throw r.error("properties[" + i + "]", "expected {name: value}, got " + describe(entry));
      }
      Iterator<Map.Entry<String, JsonNode>> fields = entry.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode value = field.getValue();
        if (!value.isValueNode() || value.isNull()) {
          throw r.error(
              "properties[" + i + "]." + field.getKey(),
              "expected a string, number or boolean, got " + describe(value));
        }
        if (properties.setProperty(field.getKey(), value.asText()) != null) {
          throw r.error("properties[" + i + "]." + field.getKey(), "is set twice");
        }
      }
    }
    return properties;
  }

  private static int maxKeyBytes(Reader r, JsonNode node) {
    if (node == null || node.isNull()) {
      return DEFAULT_MAX_KEY_BYTES;
    }
    if (!node.isIntegralNumber()
        || !node.canConvertToInt()
        || node.asInt() < 1
        || node.asInt() > MAX_KEY_BYTES_LIMIT) {
      throw r.error(
          "maxKeyBytes",
          "expected an integer from 1 to " + MAX_KEY_BYTES_LIMIT + ", got " + describe(node));
    }
    return node.asInt();
  }

  private static void requireOnce(
      Reader r, Optional<String> field, String fieldName, Properties properties, String property) {
    if (field.isPresent() && properties.containsKey(property)) {
      throw r.error(
          "properties",
          property + " is overwritten by " + fieldName + "; set only " + fieldName);
    }
    if (!field.isPresent() && !properties.containsKey(property)) {
      throw r.error(fieldName, "is required (or the consumer property " + property + ")");
    }
  }

  /** namespace/name: both parts non-empty, no white space. */
  private static String[] typename(Reader r, String where, String text) {
    int slash = text.lastIndexOf('/');
    if (slash <= 0 || slash == text.length() - 1 || text.chars().anyMatch(Character::isWhitespace)) {
      throw r.error(where, "expected namespace/name (e.g. example/pipeline), got \"" + text + "\"");
    }
    return new String[] {text.substring(0, slash), text.substring(slash + 1)};
  }

  private static Set<String> fields(String... names) {
    Set<String> set = new TreeSet<>();
    Collections.addAll(set, names);
    return Collections.unmodifiableSet(set);
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    String type = node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    String text = node.toString();
    return type + " " + (text.length() > 80 ? text.substring(0, 77) + "..." : text);
  }

  /** Field access with errors that say which component and field was wrong. */
  private static final class Reader {
    private final String component;

    Reader(String component) {
      this.component = component;
    }

    IllegalArgumentException error(String field, String message) {
      return new IllegalArgumentException(
          component + (field.isEmpty() ? "" : ": " + field) + ": " + message);
    }

    String requiredText(String field, JsonNode node) {
      if (node == null || node.isNull() || node.isMissingNode()) {
        throw error(field, "is required");
      }
      if (!node.isTextual() || node.textValue().trim().isEmpty()) {
        throw error(field, "expected a non-empty string, got " + describe(node));
      }
      return node.textValue().trim();
    }

    Optional<String> optionalText(String field, JsonNode node) {
      if (node == null || node.isNull() || node.isMissingNode()) {
        return Optional.empty();
      }
      return Optional.of(requiredText(field, node));
    }

    void rejectUnknownFields(String at, JsonNode object, Set<String> known) {
      List<String> unknown = new ArrayList<>();
      object.fieldNames().forEachRemaining(
          name -> {
            if (!known.contains(name)) {
              unknown.add(name);
            }
          });
      if (!unknown.isEmpty()) {
        throw error(
            at.isEmpty() ? "spec" : at,
            "unknown field" + (unknown.size() > 1 ? "s " : " ") + unknown + "; known fields: " + known);
      }
    }
  }
}
