/**
 * The binary reader and writer that the generated wire code
 * (`src/wire/generated/`) runs on: protobufjs' minimal runtime, with the few
 * method name ts-proto's output calls (`join`) and typed so that
 * calls chain. See `scripts/gen-wire.mjs` for why.
 *
 * @module
 */
import protobuf from 'protobufjs/minimal.js';

/**
 * Messages nested deeper than this are refused when decoding (a group nested
 * in a group costs three levels). Far beyond what pipelines written by hand
 * reach; it only stops hostile input from exhausting the stack.
 */
export const MAX_DECODE_DEPTH = 1000;

/** Writes protobuf binary. */
export class BinaryWriter extends protobuf.Writer {
  declare uint32: (value: number) => this;
  declare int32: (value: number) => this;
  declare uint64: (value: number) => this;
  declare int64: (value: number) => this;
  declare bool: (value: boolean) => this;
  declare double: (value: number) => this;
  declare string: (value: string) => this;
  declare bytes: (value: Uint8Array) => this;
  declare fork: () => this;
  /** Ends a length-delimited field started with `fork()`. */
  join(): this {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- protobufjs' ldelim returns the writer it was called on
    return this.ldelim() as this;
  }
}

/** Reads protobuf binary. */
export class BinaryReader extends protobuf.Reader {
  /** How many messages deep the decoder is (checked against {@link MAX_DECODE_DEPTH}). */
  depth = 0;
}
