package io.flinktasks.statefun.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.statefun.flink.core.StatefulFunctionsConfig;
import org.apache.flink.statefun.flink.core.StatefulFunctionsUniverse;
import org.apache.flink.statefun.flink.core.spi.Modules;
import org.apache.flink.statefun.flink.io.generated.AutoRoutable;
import org.apache.flink.statefun.sdk.io.EgressIdentifier;
import org.apache.flink.statefun.sdk.io.EgressSpec;
import org.apache.flink.statefun.sdk.io.IngressIdentifier;
import org.apache.flink.statefun.sdk.io.IngressSpec;
import org.apache.flink.statefun.sdk.kafka.KafkaEgressSpec;
import org.apache.flink.statefun.sdk.kafka.KafkaIngressSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The module.yaml files of the repository, loaded the way StateFun loads them (extension modules
 * found through META-INF/services, then the remote module), into a real universe.
 */
class ModuleYamlTest {

  private static StatefulFunctionsUniverse load(Path moduleYaml) {
    Configuration flink = new Configuration();
    flink.setString("statefun.remote.module-name", moduleYaml.toUri().toString());
    return Modules.loadFromClassPath(StatefulFunctionsConfig.fromFlinkConfiguration(flink))
        .createStatefulFunctionsUniverse();
  }

  private static Path repoFile(String relative) {
    Path path = Paths.get("../..").resolve(relative).toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(path), "not found: " + path);
    return path;
  }

  @ParameterizedTest
  @ValueSource(strings = {"flink/module.yaml", "deploy/module.yaml"})
  void bindsTheFlinkTasksIngressAndEgresses(String file) {
    StatefulFunctionsUniverse universe = load(repoFile(file));

    IngressSpec<?> ingress = universe.ingress().get(new IngressIdentifier<>(Message.class, "flinktasks", "requests"));
    KafkaIngressSpec<?> kafka = assertInstanceOf(KafkaIngressSpec.class, ingress);
    assertInstanceOf(TolerantKafkaIngressDeserializer.class, kafka.deserializer());
    assertEquals(List.of("flink-tasks.requests"), kafka.topics());
    Properties consumer = kafka.properties();
    assertEquals("earliest", consumer.getProperty("auto.offset.reset"));
    assertEquals("read_committed", consumer.getProperty("isolation.level"));
    assertEquals("flink-tasks", consumer.getProperty("group.id"));
    assertTrue(kafka.startupPosition().isGroupOffsets());
    assertEquals(1, universe.routers().get(ingress.id()).size());

    // A keyless record goes to example/pipeline as an InvalidRecord instead of failing.
    @SuppressWarnings("unchecked")
    KafkaIngressSpec<Message> typed = (KafkaIngressSpec<Message>) kafka;
    AutoRoutable routed =
        (AutoRoutable)
            typed
                .deserializer()
                .deserialize(
                    new ConsumerRecord<>(
                        "flink-tasks.requests", 0, 9, 1L, TimestampType.CREATE_TIME, -1, 1,
                        null, new byte[] {1}, new RecordHeaders(), Optional.empty()));
    assertEquals("flinktasks.invalid-records", routed.getId());
    assertEquals("io.flinktasks/InvalidRecord", routed.getConfig().getTypeUrl());
    assertEquals("pipeline", routed.getConfig().getTargetFunctionTypes(0).getType());

    Set<String> egresses = new TreeSet<>();
    for (Map.Entry<EgressIdentifier<?>, EgressSpec<?>> e : universe.egress().entrySet()) {
      egresses.add(e.getKey().namespace() + "/" + e.getKey().name());
      KafkaEgressSpec<?> egress = assertInstanceOf(KafkaEgressSpec.class, e.getValue());
      assertEquals("16777216", egress.properties().getProperty("max.request.size"), e.getKey().name());
    }
    assertEquals(Set.of("flinktasks/replies", "flinktasks/events", "flinktasks/dead-letters", "flinktasks/cancellations"), egresses);
    assertNotNull(universe.namespaceFunctions().get("example"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"flink/module.yaml", "deploy/module.yaml"})
  void setsTheEndpointLimits(String file) throws IOException {
    // The endpoint's spec is not readable from the universe: check the text StateFun parsed.
    String text = new String(Files.readAllBytes(repoFile(file)), StandardCharsets.UTF_8);
    assertTrue(text.contains("\n  maxNumBatchRequests: 100\n"), file);
    assertTrue(text.contains("\n    payload_max_bytes: 67108864\n"), file);
  }

  @Test
  void failsTheJobStartWithTheSpecError(@TempDir Path dir) throws IOException {
    Path module = dir.resolve("module.yaml");
    Files.write(
        module,
        ("kind: io.flinktasks.kafka.v1/ingress\n"
                + "spec:\n"
                + "  id: flinktasks/requests\n"
                + "  address: x:1\n"
                + "  consumerGroupId: g\n"
                + "  properties:\n"
                + "    - auto.offset.reset: earliest\n"
                + "  topics: [{topic: t, valueType: a/T, targets: [a/f]}]\n")
            .getBytes(StandardCharsets.UTF_8));
    RuntimeException e = assertThrows(RuntimeException.class, () -> load(module));
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
      cause = cause.getCause();
    }
    assertTrue(cause.getMessage().contains("auto.offset.reset is overwritten by StateFun"), String.valueOf(cause));
  }
}
