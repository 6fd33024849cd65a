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
 * the defaults below; {@code execution.savepoint.path=<dir>/chk-N} restores the job from a
 * retained checkpoint (bin/up.sh passes the newest one). Blocks until the job ends; exits with
 * status 1 when it fails for good (the restart strategy is bounded), so that whoever supervises
 * the process sees it.
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
    // Keep the newest checkpoints when the job is cancelled, fails or the process stops, so that
    // bin/up.sh can restore the next run from them (without it, Flink deletes them on shutdown).
    conf.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    conf.put("state.checkpoints.num-retained", "3");
    // A checkpoint that fails (e.g. Kafka briefly unreachable for the egress transactions) does
    // not fail the job at once; the next successful one commits what is pending.
    conf.put("execution.checkpointing.tolerable-failed-checkpoints", "3");
    // Bounded: more than 10 failures within 10 minutes fail the job for good and this process
    // exits 1, instead of replaying the same failure forever. A transient outage (worker or
    // Kafka down for a while) stays well below that rate; a deterministic failure reaches it in
    // about a minute. bin/up.sh then restores from the newest retained checkpoint.
    conf.put("restart-strategy", "failure-rate");
    conf.put("restart-strategy.failure-rate.max-failures-per-interval", "10");
    conf.put("restart-strategy.failure-rate.failure-rate-interval", "10 min");
    conf.put("restart-strategy.failure-rate.delay", "2 s");
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
    String restoreFrom = conf.get("execution.savepoint.path");
    System.out.println(
        restoreFrom == null
            ? "flink-tasks StateFun launcher: starting with empty state"
            : "flink-tasks StateFun launcher: restoring from " + restoreFrom);
    try {
      harness.start();
      System.out.println("flink-tasks StateFun launcher: the job finished");
    } catch (Throwable t) {
      // Make sure the JVM ends (and up.sh or a supervisor notices) even if Flink threads linger.
      t.printStackTrace();
      System.out.println(
          "flink-tasks StateFun launcher: the job FAILED for good (restart strategy exhausted or"
              + " startup error); see the exception above. Retained checkpoints are kept:"
              + " bash flink/bin/up.sh restores the newest (see docs/deployment.md, Recovery).");
      System.out.flush();
      System.exit(1);
    }
  }
}
