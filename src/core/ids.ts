/**
 * Pipeline ids: what a client may choose.
 *
 * @module
 */

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@+=-]{0,199}$/;

/**
 * Why `id` cannot be a pipeline id, or `undefined` if it can. Ids are 1–200
 * letters, digits and `. _ : @ + = -`, starting with a letter or digit; `/`
 * is reserved for the pipelines flink-tasks starts itself, and ids starting
 * with `flinktasks.` for its own addresses.
 *
 * @example
 * ```ts
 * pipelineIdProblem('order-42'); // undefined
 * pipelineIdProblem('a/b'); // "'a/b' is not a valid pipeline id: …"
 * ```
 */
export function pipelineIdProblem(id: string): string | undefined {
  if (typeof id !== 'string' || !ID.test(id)) {
    const shown = typeof id === 'string' ? `'${id.length > 60 ? `${id.slice(0, 60)}…` : id}'` : String(id);
    return `${shown} is not a valid pipeline id: use 1-200 letters, digits and . _ : @ + = -, starting with a letter or digit ('/' is reserved for child pipelines)`;
  }
  if (id.startsWith('flinktasks.')) return `'${id}' is not a valid pipeline id: ids starting with 'flinktasks.' are reserved`;
  return undefined;
}
