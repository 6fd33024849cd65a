package io.flinktasks.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Usage: CreateTopics BOOTSTRAP TIMEOUT_SECONDS [--config NAME=VALUE]... TOPIC...
 *
 * <p>Waits (up to the timeout) until the broker answers metadata requests, then creates the
 * missing topics with one partition, replication factor 1 and the given topic configs, and sets
 * those configs on topics that already exist (Kafka's data is kept across runs, so the topics may
 * come from an older configuration). One JVM instead of one per topic.
 */
public final class CreateTopics {

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      throw new IllegalArgumentException(
          "usage: CreateTopics BOOTSTRAP TIMEOUT_SECONDS [--config NAME=VALUE]... TOPIC...");
    }
    Map<String, String> configs = new LinkedHashMap<>();
    List<String> topics = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      if (args[i].equals("--config")) {
        if (i + 1 >= args.length || args[i + 1].indexOf('=') <= 0) {
          throw new IllegalArgumentException("--config needs NAME=VALUE");
        }
        String entry = args[++i];
        configs.put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
      } else {
        topics.add(args[i]);
      }
    }
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("no topics given");
    }
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "flink-tasks-create-topics");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        String.valueOf(Math.max(5, Long.parseLong(args[1])) * 1000));
    props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "100");

    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing =
          topics.stream()
              .filter(topic -> !existing.contains(topic))
              .map(topic -> new NewTopic(topic, 1, (short) 1).configs(configs))
              .collect(Collectors.toList());
      for (KafkaFuture<Void> created : admin.createTopics(missing).values().values()) {
        try {
          created.get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      // Topics created just now carry the configs already, and the broker may not list them in
      // its metadata yet (describeConfigs then fails with UnknownTopicOrPartition): align only
      // the topics that existed before this run.
      List<String> preexisting =
          topics.stream().filter(existing::contains).collect(Collectors.toList());
      int altered = preexisting.isEmpty() ? 0 : alignConfigs(admin, preexisting, configs);
      System.out.println(
          "topics ready: " + topics + " (created " + missing.size() + ", reconfigured " + altered + ")");
    }
  }

  /** Sets {@code configs} on every topic where they differ; returns how many topics changed. */
  private static int alignConfigs(Admin admin, List<String> topics, Map<String, String> configs)
      throws ExecutionException, InterruptedException {
    if (configs.isEmpty()) {
      return 0;
    }
    List<ConfigResource> resources =
        topics.stream()
            .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
            .collect(Collectors.toList());
    Map<ConfigResource, Config> current = admin.describeConfigs(resources).all().get();
    Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
    for (ConfigResource resource : resources) {
      Config config = current.get(resource);
      List<AlterConfigOp> ops = new ArrayList<>();
      for (Map.Entry<String, String> wanted : configs.entrySet()) {
        ConfigEntry entry = config == null ? null : config.get(wanted.getKey());
        if (entry == null
            || entry.source() != ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG
            || !wanted.getValue().equals(entry.value())) {
          ops.add(
              new AlterConfigOp(
                  new ConfigEntry(wanted.getKey(), wanted.getValue()), AlterConfigOp.OpType.SET));
        }
      }
      if (!ops.isEmpty()) {
        changes.put(resource, ops);
      }
    }
    if (!changes.isEmpty()) {
      admin.incrementalAlterConfigs(changes).all().get();
    }
    return changes.size();
  }
}
