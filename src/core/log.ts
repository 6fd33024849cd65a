/**
 * Structured, quiet-by-default logging.
 *
 * @module
 */

/**
 * Severity of a {@link LogEntry}.
 *
 * @example
 * ```ts
 * const level: LogLevel = process.env.DEBUG ? 'debug' : 'warn';
 * const runtime = new LocalRuntime(tasks, { logger: jsonLogger(level) });
 * ```
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * A structured log line.
 *
 * @example
 * ```ts
 * const runtime = new LocalRuntime(tasks, {
 *   logger: (entry: LogEntry) => { if (entry.level === 'error') console.error(entry.message, entry.fields); },
 * });
 * ```
 */
export interface LogEntry {
  /** How severe. */
  readonly level: LogLevel;
  /** What happened, as a sentence. */
  readonly message: string;
  /** Structured details (pipeline id, task, error …). */
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * Receives log entries.
 *
 * @example
 * ```ts
 * const logger: Logger = ({ level, message, fields }) => console[level](message, fields);
 * const runtime = new LocalRuntime(tasks, { logger });
 * // Saying its level spares the runtime making debug lines it would drop:
 * const quiet: Logger = Object.assign((entry: LogEntry) => console.log(entry.message), { level: 'info' as const });
 * ```
 */
export type Logger = ((entry: LogEntry) => void) & {
  /**
   * The least severe level this logger keeps, if it says (`jsonLogger`'s and
   * `silentLogger` do; `'off'`: none). A logger that does not say is given
   * every entry, debug included, which costs a little on hot paths.
   */
  readonly level?: LogLevel | 'off';
};

/**
 * Whether `logger` keeps debug entries (it says nothing about its level, or
 * says `'debug'`). Hot paths make their debug lines only then.
 *
 * @example
 * ```ts
 * wantsDebug(jsonLogger('debug')); // true
 * wantsDebug(silentLogger); // false
 * ```
 */
export function wantsDebug(logger: Logger): boolean {
  return logger.level === undefined || logger.level === 'debug';
}

const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * A logger writing JSON lines to stderr for entries at `level` or above.
 * The default logger of runtimes and servers is `jsonLogger('warn')`.
 *
 * @example
 * ```ts
 * const runtime = new LocalRuntime(tasks, { logger: jsonLogger('debug') });
 * ```
 */
export function jsonLogger(level: LogLevel = 'warn'): Logger {
  const write = (entry: LogEntry): void => {
    if (rank[entry.level] < rank[level]) return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: entry.level, msg: entry.message, ...entry.fields })}\n`);
  };
  return Object.assign(write, { level });
}

/**
 * A logger that drops everything.
 *
 * @example
 * ```ts
 * const runtime = new LocalRuntime(tasks, { logger: silentLogger }); // no log output, e.g. in tests
 * ```
 */
export const silentLogger: Logger = Object.assign((): void => undefined, { level: 'off' as const });
