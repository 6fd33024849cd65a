package io.flinktasks.statefun.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogThrottleTest {

  @Test
  void passesOneLinePerIntervalAndCountsTheOthers() {
    LogThrottle t = new LogThrottle(1_000);
    assertEquals(0, t.pass(5_000));
    assertEquals(-1, t.pass(5_001));
    assertEquals(-1, t.pass(5_999));
    assertEquals(2, t.pass(6_000));
    assertEquals(0, t.pass(9_000));
  }

  @Test
  void passesTheFirstLineWhateverTheClockSays() {
    assertEquals(0, new LogThrottle(1_000).pass(Long.MIN_VALUE));
    assertEquals(0, new LogThrottle(1_000).pass(0));
  }
}
