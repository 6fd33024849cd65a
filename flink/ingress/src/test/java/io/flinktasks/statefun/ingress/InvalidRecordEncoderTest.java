package io.flinktasks.statefun.ingress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class InvalidRecordEncoderTest {

  /** The field numbers and types in the encoder are the ones of types/flinktasks.proto. */
  @Test
  void agreesWithTheWireSchema() throws Exception {
    Path proto = Paths.get("../../types/flinktasks.proto").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(proto), "wire schema not found at " + proto);
    String text = new String(Files.readAllBytes(proto), StandardCharsets.UTF_8);
    Matcher message = Pattern.compile("message InvalidRecord \\{(.*?)\\n\\}", Pattern.DOTALL).matcher(text);
    assertTrue(message.find(), "message InvalidRecord not found in " + proto);
    Map<String, String> fields = new HashMap<>();
    Matcher field =
        Pattern.compile("^\\s*(\\w+)\\s+(\\w+)\\s*=\\s*(\\d+)\\s*;", Pattern.MULTILINE).matcher(message.group(1));
    while (field.find()) {
      fields.put(field.group(2), field.group(1) + " " + field.group(3));
    }
    Map<String, String> expected = new HashMap<>();
    expected.put("reason", "string " + InvalidRecordEncoder.REASON);
    expected.put("topic", "string " + InvalidRecordEncoder.TOPIC);
    expected.put("partition", "int32 " + InvalidRecordEncoder.PARTITION);
    expected.put("offset", "int64 " + InvalidRecordEncoder.OFFSET);
    expected.put("key", "bytes " + InvalidRecordEncoder.KEY);
    expected.put("value", "bytes " + InvalidRecordEncoder.VALUE);
    expected.put("timestamp", "int64 " + InvalidRecordEncoder.TIMESTAMP);
    assertEquals(expected, fields);
  }

  @Test
  void leavesOutFieldsAtTheirDefaultAndCutsTheKey() {
    byte[] bytes =
        InvalidRecordEncoder.encode(InvalidRecordReason.KEY_TOO_LONG, "t", 0, 0, new byte[] {1, 2, 3}, 2, null, 0);
    DecodedInvalidRecord d = DecodedInvalidRecord.decode(bytes);
    assertEquals("KeyTooLong", d.reason);
    assertEquals("t", d.topic);
    assertArrayEquals(new byte[] {1, 2}, d.key);
    // reason (2 + 10) + topic (2 + 1) + key (2 + 2): nothing else was written.
    assertEquals(19, bytes.length);
  }

  @Test
  void encodesNegativeNumbersAsProtobufDoes() {
    DecodedInvalidRecord d =
        DecodedInvalidRecord.decode(
            InvalidRecordEncoder.encode(InvalidRecordReason.MISSING_KEY, "", -3, -4, null, 0, new byte[0], Long.MIN_VALUE));
    assertEquals(-3, d.partition);
    assertEquals(-4, d.offset);
    assertEquals(Long.MIN_VALUE, d.timestamp);
    assertEquals("", d.topic);
  }
}
