package io.flinktasks.kafka;

import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Usage: CreateTopics BOOTSTRAP TIMEOUT_SECONDS TOPIC...
 *
 * <p>Waits (up to the timeout) until the broker answers metadata requests, then creates the
 * missing topics with one partition and replication factor 1. One JVM instead of one per topic.
 */
public final class CreateTopics {

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      throw new IllegalArgumentException("usage: CreateTopics BOOTSTRAP TIMEOUT_SECONDS TOPIC...");
    }
    List<String> topics = Arrays.asList(args).subList(2, args.length);
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
              .map(topic -> new NewTopic(topic, 1, (short) 1))
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
      System.out.println("topics ready: " + topics + " (created " + missing.size() + ")");
    }
  }
}
