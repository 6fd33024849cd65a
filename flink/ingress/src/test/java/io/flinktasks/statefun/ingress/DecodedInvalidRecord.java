package io.flinktasks.statefun.ingress;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * An InvalidRecord read back field by field with protobuf's own reader, independently of the
 * encoder (a field this reader does not know fails the test: nothing unexpected is written).
 */
final class DecodedInvalidRecord {
  String reason = "";
  String topic = "";
  int partition;
  long offset;
  byte[] key = new byte[0];
  byte[] value = new byte[0];
  long timestamp;

  static DecodedInvalidRecord decode(byte[] bytes) {
    DecodedInvalidRecord r = new DecodedInvalidRecord();
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        int field = WireFormat.getTagFieldNumber(tag);
        int wireType = WireFormat.getTagWireType(tag);
        switch (field) {
          case 1:
            expect(wireType, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
            r.reason = new String(in.readByteArray(), StandardCharsets.UTF_8);
            break;
          case 2:
            expect(wireType, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
            r.topic = new String(in.readByteArray(), StandardCharsets.UTF_8);
            break;
          case 3:
            expect(wireType, WireFormat.WIRETYPE_VARINT, field);
            r.partition = in.readInt32();
            break;
          case 4:
            expect(wireType, WireFormat.WIRETYPE_VARINT, field);
            r.offset = in.readInt64();
            break;
          case 5:
            expect(wireType, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
            r.key = in.readByteArray();
            break;
          case 6:
            expect(wireType, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
            r.value = in.readByteArray();
            break;
          case 7:
            expect(wireType, WireFormat.WIRETYPE_VARINT, field);
            r.timestamp = in.readInt64();
            break;
          default:
            throw new AssertionError("unexpected field " + field + " in InvalidRecord");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return r;
  }

  private static void expect(int actual, int expected, int field) {
    if (actual != expected) {
      throw new AssertionError("field " + field + ": wire type " + actual + ", expected " + expected);
    }
  }
}
