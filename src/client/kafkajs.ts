/**
 * kafkajs, loaded when a Kafka client connects. kafkajs is an optional peer
 * dependency of flink-tasks: applications that only define tasks, run the
 * `LocalRuntime` or serve workers do not install it, and importing
 * `flink-tasks/kafka` does not load it.
 *
 * @module
 */

/** The kafkajs versions flink-tasks supports (its `peerDependencies` range). */
export const KAFKAJS_RANGE = '^2.2.4';

/** Thrown when kafkajs is needed but not installed; the message says how to install it. */
export class MissingKafkajsError extends Error {
  constructor(cause: unknown) {
    super(
      `flink-tasks: the Kafka client needs the kafkajs package (${KAFKAJS_RANGE}), which is not installed: ` +
        'it is an optional peer dependency of flink-tasks. Install it with `npm install kafkajs`.',
      { cause },
    );
    this.name = 'MissingKafkajsError';
  }
}

/** Whether `err` says that the package `kafkajs` itself could not be found (not one of its own imports). */
function isKafkajsMissing(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && /['"]kafkajs['"]/.test(err.message);
}

/** Imports kafkajs; rejects with a {@link MissingKafkajsError} if it is not installed. */
export async function loadKafkajs(): Promise<typeof import('kafkajs')> {
  try {
    return await import('kafkajs');
  } catch (err) {
    if (isKafkajsMissing(err)) throw new MissingKafkajsError(err);
    throw err;
  }
}
