/**
 * Describing anything a task may throw, totally: a thrown value can be a
 * revoked `Proxy`, an object whose getters throw, an `Error` whose `message`
 * getter throws, a null-prototype object. Reading it must never throw, or the
 * failure of one task would take its whole batch down with it.
 *
 * @module
 */

/**
 * What is known of a thrown value.
 *
 * @example
 * ```ts
 * const d: ThrownDescription = describeThrown(new RangeError('too big'));
 * d.errorType; // 'RangeError'
 * ```
 */
export interface ThrownDescription {
  /** Class name of an error (e.g. `RangeError`), or the kind of value thrown (`string`, `object` …). */
  readonly errorType: string;
  /** Class names from the error's class up to `Error`, e.g. `['QuotaError', 'RangeError', 'Error']`. */
  readonly errorTypes: readonly string[];
  readonly message: string;
  readonly stack: string | undefined;
}

const MAX_MESSAGE = 10_000;
const MAX_STACK = 20_000;

/** Runs `read`, or returns `fallback` if it throws. */
function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

function isError(value: unknown): value is Error {
  return safely(() => value instanceof Error, false);
}

/** Class names along the prototype chain, stopping after `Error` (or at Object). */
function classChain(value: object): string[] {
  const names: string[] = [];
  let proto: unknown = safely(() => Object.getPrototypeOf(value) as unknown, null);
  for (let depth = 0; proto !== null && proto !== undefined && depth < 32; depth++) {
    if (proto === Object.prototype) break;
    const name = safely(() => {
      const ctor: unknown = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
      return typeof ctor === 'function' && typeof ctor.name === 'string' ? ctor.name : '';
    }, '');
    if (name !== '') names.push(name);
    if (proto === Error.prototype) break;
    const current = proto;
    proto = safely(() => Object.getPrototypeOf(current) as unknown, null);
  }
  return names;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = safely(() => JSON.stringify(value), undefined);
  if (typeof json === 'string') return json;
  const str = safely(() => String(value), undefined);
  if (str !== undefined) return str;
  return safely(() => Object.prototype.toString.call(value), '[unreadable value]');
}

/**
 * Describes `thrown` without ever throwing.
 *
 * @example
 * ```ts
 * const { proxy, revoke } = Proxy.revocable({}, {});
 * revoke();
 * describeThrown(proxy).message; // '[unreadable value]': nothing could be read, and nothing threw
 * ```
 */
export function describeThrown(thrown: unknown): ThrownDescription {
  if (isError(thrown)) {
    const chain = classChain(thrown);
    const name = safely(() => (typeof thrown.name === 'string' ? thrown.name : ''), '');
    const errorType = chain[0] ?? (name || 'Error');
    const message = safely(() => {
      const m: unknown = thrown.message;
      return typeof m === 'string' ? m : text(m);
    }, '[the error message could not be read]');
    const stack = safely(() => (typeof thrown.stack === 'string' ? thrown.stack : undefined), undefined);
    return {
      errorType,
      errorTypes: chain.length > 0 ? chain : [errorType],
      message: clip(message, MAX_MESSAGE),
      stack: stack === undefined ? undefined : clip(stack, MAX_STACK),
    };
  }
  const kind = thrown === null ? 'null' : typeof thrown;
  return { errorType: kind, errorTypes: [kind], message: clip(text(thrown), MAX_MESSAGE), stack: undefined };
}
