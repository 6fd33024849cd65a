package io.flinktasks.statefun.ingress;

/**
 * Why the ingress could not route a Kafka record as a command. The {@link #code()} strings are
 * the values of {@code InvalidRecord.reason} in {@code types/flinktasks.proto}.
 */
public enum InvalidRecordReason {
  /** The record has no key, or an empty one: there is no function id to address. */
  MISSING_KEY("MissingKey"),
  /** The record has a key but a null value (a tombstone): there is no command. */
  MISSING_VALUE("MissingValue"),
  /** The key is longer than the ingress's {@code maxKeyBytes}. */
  KEY_TOO_LONG("KeyTooLong");

  private final String code;

  InvalidRecordReason(String code) {
    this.code = code;
  }

  /** The wire value, e.g. {@code MissingKey}. */
  public String code() {
    return code;
  }

  /**
   * Why a record with this key and value cannot be routed, or {@code null} if it can. Key
   * problems come first: the key decides where a record goes.
   */
  static InvalidRecordReason of(byte[] key, byte[] value, int maxKeyBytes) {
    if (key == null || key.length == 0) {
      return MISSING_KEY;
    }
    if (key.length > maxKeyBytes) {
      return KEY_TOO_LONG;
    }
    if (value == null) {
      return MISSING_VALUE;
    }
    return null;
  }
}
