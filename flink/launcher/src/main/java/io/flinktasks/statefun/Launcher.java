package io.flinktasks.statefun;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.statefun.flink.harness.Harness;

/**
 * Runs the StateFun 3.3.0 runtime in a Flink MiniCluster (via the StateFun harness) with the
 * remote module from {@code FLINK_TASKS_MODULE} (default: ./module.yaml).
 *
 * <p>Every argument of the form {@code key=value} is a Flink configuration entry that overrides
 * the defaults below. Blocks until the job ends.
 */
public final class Launcher {

  public static void main(String[] args) throws Exception {
    String module = System.getenv().getOrDefault("FLINK_TASKS_MODULE", "module.yaml");
    Path modulePath = Paths.get(module).toAbsolutePath().normalize();
    if (!modulePath.toFile().isFile()) {
      throw new IllegalArgumentException("module.yaml not found: " + modulePath);
    }

    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("statefun.remote.module-name", modulePath.toUri().toString());
    conf.put("statefun.flink-job-name", "flink-tasks");
    // Everything on loopback; REST (for /jobs/overview readiness) on a fixed port.
    conf.put("rest.address", "127.0.0.1");
    conf.put("rest.bind-address", "127.0.0.1");
    conf.put("rest.port", "18081");
    conf.put("jobmanager.rpc.address", "127.0.0.1");
    conf.put("jobmanager.bind-host", "127.0.0.1");
    conf.put("taskmanager.host", "127.0.0.1");
    conf.put("taskmanager.bind-host", "127.0.0.1");
    // Exactly-once Kafka egress publishes when a checkpoint completes: keep it short.
    conf.put("execution.checkpointing.interval", "1s");
    conf.put("execution.checkpointing.min-pause", "200ms");
    conf.put("restart-strategy", "fixed-delay");
    conf.put("restart-strategy.fixed-delay.attempts", "2147483647");
    conf.put("restart-strategy.fixed-delay.delay", "1s");
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected key=value, got: " + arg);
      }
      conf.put(arg.substring(0, eq).trim(), arg.substring(eq + 1).trim());
    }

    Harness harness = new Harness().withParallelism(1);
    conf.forEach(harness::withConfiguration);
    System.out.println("flink-tasks StateFun launcher: " + conf);
    try {
      harness.start();
    } catch (Throwable t) {
      // Make sure the JVM ends (and up.sh notices) even if Flink threads linger.
      t.printStackTrace();
      System.exit(1);
    }
  }
}
