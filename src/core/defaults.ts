/**
 * Defaults shared by layers that cannot see each other (the DSL's options
 * and the executor's configuration), defined once here.
 *
 * @module
 */

/** How long a finished pipeline's state stays queryable by default: one hour, in ms. */
export const DEFAULT_FINISHED_RETENTION_MS = 3_600_000;
