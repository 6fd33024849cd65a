/**
 * Byte helpers for running the calls of a map request at once: reading each
 * call's argument tuple from the request's packed arguments as text, and
 * writing each call's result straight into the packed values of its
 * `MapResults`, so that a call costs no array, view or copy of its own.
 *
 * @module
 */
import { Buffer } from 'node:buffer';

const decoder = new TextDecoder();

/** `bytes` as a Buffer over the same memory (no copy). */
export function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The UTF-8 text of `bytes[start, end)`, exactly as `TextDecoder` reads it;
 * ASCII (what JSON arguments mostly are) is read without a view.
 */
export function textAt(bytes: Buffer, start: number, end: number): string {
  for (let i = start; i < end; i++) if ((bytes[i] as number) >= 0x80) return decoder.decode(bytes.subarray(start, end));
  return bytes.toString('latin1', start, end);
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size += 1;
  }
  return size;
}

/**
 * Encoded `Value`s holding superjson texts, packed as `MapResults.values`
 * carries them: each a varint length, then the Value (its json field's tag,
 * the text's length, the text's UTF-8 bytes), written in place.
 */
export class PackedValues {
  #bytes: Buffer;
  /** Bytes written so far. */
  length = 0;

  constructor(capacity: number) {
    this.#bytes = Buffer.allocUnsafe(Math.max(64, capacity));
  }

  /**
   * Appends the Value holding superjson `text`; returns its size (what
   * `toValueBytes` of the same value would be long).
   */
  appendJson(text: string): number {
    const textBytes = Buffer.byteLength(text, 'utf8');
    const value = 1 + varintSize(textBytes) + textBytes;
    const entry = varintSize(value) + value;
    if (this.length + entry > this.#bytes.byteLength) {
      const grown = Buffer.allocUnsafe(Math.max(this.#bytes.byteLength * 2, this.length + entry));
      this.#bytes.copy(grown, 0, 0, this.length);
      this.#bytes = grown;
    }
    const out = this.#bytes;
    let pos = this.#varint(this.length, value);
    out[pos++] = 0x0a;
    pos = this.#varint(pos, textBytes);
    out.write(text, pos, textBytes, 'utf8');
    this.length = pos + textBytes;
    return value;
  }

  /** Forgets what was written after `length`. */
  truncate(length: number): void {
    this.length = length;
  }

  /** The packed values (a view). */
  get packed(): Uint8Array {
    return this.#bytes.subarray(0, this.length);
  }

  #varint(pos: number, n: number): number {
    const out = this.#bytes;
    while (n >= 0x80) {
      out[pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    out[pos++] = n;
    return pos;
  }
}
