package io.flinktasks.statefun.ingress;

/**
 * At most one log line per interval: a producer flooding a topic with invalid records must not
 * flood the StateFun log too. Lines that are held back are counted and the count is reported
 * with the next line that passes.
 */
final class LogThrottle {

  private final long intervalNanos;
  private boolean passedBefore;
  private long lastPassNanos;
  private long suppressed;

  LogThrottle(long intervalNanos) {
    if (intervalNanos < 0) {
      throw new IllegalArgumentException("interval must not be negative: " + intervalNanos);
    }
    this.intervalNanos = intervalNanos;
  }

  /**
   * Whether a line may be logged at {@code nowNanos} (a {@link System#nanoTime()} value).
   *
   * @return -1 if the line is to be held back; otherwise how many lines were held back since the
   *     last one that passed
   */
  synchronized long pass(long nowNanos) {
    if (passedBefore && nowNanos - lastPassNanos < intervalNanos) {
      suppressed++;
      return -1;
    }
    long held = suppressed;
    suppressed = 0;
    passedBefore = true;
    lastPassNanos = nowNanos;
    return held;
  }
}
