package io.flinktasks.statefun.ingress;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes the protobuf message {@code InvalidRecord} of {@code types/flinktasks.proto} by hand
 * (no generated code, so this jar needs nothing but the protobuf runtime StateFun already has).
 * Fields at their proto3 default (empty, zero) are left out, as protobuf itself does.
 *
 * <pre>
 * message InvalidRecord {
 *   string reason = 1; string topic = 2; int32 partition = 3; int64 offset = 4;
 *   bytes key = 5; bytes value = 6; int64 timestamp = 7;
 * }
 * </pre>
 */
final class InvalidRecordEncoder {

  static final int REASON = 1;
  static final int TOPIC = 2;
  static final int PARTITION = 3;
  static final int OFFSET = 4;
  static final int KEY = 5;
  static final int VALUE = 6;
  static final int TIMESTAMP = 7;

  private InvalidRecordEncoder() {}

  /**
   * @param key the record key, or null; only its first {@code keyLength} bytes are written
   * @param value the record value, or null
   */
  static byte[] encode(
      InvalidRecordReason reason,
      String topic,
      int partition,
      long offset,
      byte[] key,
      int keyLength,
      byte[] value,
      long timestamp) {
    String topicName = topic == null ? "" : topic;
    int keyBytes = key == null ? 0 : Math.max(0, Math.min(keyLength, key.length));
    int size = CodedOutputStream.computeStringSize(REASON, reason.code());
    if (!topicName.isEmpty()) {
      size += CodedOutputStream.computeStringSize(TOPIC, topicName);
    }
    if (partition != 0) {
      size += CodedOutputStream.computeInt32Size(PARTITION, partition);
    }
    if (offset != 0) {
      size += CodedOutputStream.computeInt64Size(OFFSET, offset);
    }
    if (keyBytes > 0) {
      size += CodedOutputStream.computeTagSize(KEY) + CodedOutputStream.computeUInt32SizeNoTag(keyBytes) + keyBytes;
    }
    if (value != null && value.length > 0) {
      size += CodedOutputStream.computeByteArraySize(VALUE, value);
    }
    if (timestamp != 0) {
      size += CodedOutputStream.computeInt64Size(TIMESTAMP, timestamp);
    }

    byte[] out = new byte[size];
    CodedOutputStream stream = CodedOutputStream.newInstance(out);
    try {
      stream.writeString(REASON, reason.code());
      if (!topicName.isEmpty()) {
        stream.writeString(TOPIC, topicName);
      }
      if (partition != 0) {
        stream.writeInt32(PARTITION, partition);
      }
      if (offset != 0) {
        stream.writeInt64(OFFSET, offset);
      }
      if (keyBytes > 0) {
        stream.writeByteArray(KEY, key, 0, keyBytes);
      }
      if (value != null && value.length > 0) {
        stream.writeByteArray(VALUE, value);
      }
      if (timestamp != 0) {
        stream.writeInt64(TIMESTAMP, timestamp);
      }
      stream.checkNoSpaceLeft();
    } catch (IOException e) {
      // Writing into an array of the computed size cannot run out of space.
      throw new UncheckedIOException("InvalidRecord: encoding into a byte array failed", e);
    }
    return out;
  }
}
