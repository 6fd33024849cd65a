/**
 * kafkajs' log lines, routed into a flink-tasks logger.
 *
 * @module
 */
import { logLevel, type LogEntry as KafkaLogEntry } from 'kafkajs';
import type { Logger, LogLevel } from '../core/log.js';

const KAFKA_LEVELS: Readonly<Record<number, LogLevel | undefined>> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** Routes kafkajs' log lines into a flink-tasks logger. */
export function kafkaLogCreator(logger: Logger) {
  return () => ({ namespace, level, log }: KafkaLogEntry) => {
    const { message, ...fields } = log;
    logger({ level: KAFKA_LEVELS[level] ?? 'debug', message: `kafkajs: ${message}`, fields: { component: namespace, ...fields } });
  };
}

