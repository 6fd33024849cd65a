/**
 * kafkajs' log lines, routed into a flink-tasks logger.
 *
 * @module
 */
import type { LogEntry as KafkaLogEntry, logLevel as KafkaLogLevels } from 'kafkajs';
import type { Logger, LogLevel } from '../core/log.js';

/** Routes kafkajs' log lines into a flink-tasks logger (`logLevel`: kafkajs' own enum, loaded with it). */
export function kafkaLogCreator(logger: Logger, logLevel: typeof KafkaLogLevels) {
  const levels: Readonly<Record<number, LogLevel | undefined>> = {
    [logLevel.ERROR]: 'error',
    [logLevel.WARN]: 'warn',
    [logLevel.INFO]: 'info',
    [logLevel.DEBUG]: 'debug',
  };
  return () =>
    ({ namespace, level, log }: KafkaLogEntry) => {
      const { message, ...fields } = log;
      logger({ level: levels[level] ?? 'debug', message: `kafkajs: ${message}`, fields: { component: namespace, ...fields } });
    };
}
