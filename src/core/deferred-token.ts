/**
 * Tokens of deferred tasks: which pipeline the task waits in, and the
 * unguessable nonce of the call.
 *
 * @module
 */

const PREFIX = 'ftd1';

/** The token of a deferred call of pipeline `pipelineId`. */
export function deferredToken(pipelineId: string, nonce: string): string {
  return `${PREFIX}.${Buffer.from(pipelineId, 'utf8').toString('base64url')}.${nonce}`;
}

/** What a token says, or `undefined` if it is not a deferred-task token. */
export function parseDeferredToken(token: unknown): { pipelineId: string; nonce: string } | undefined {
  if (typeof token !== 'string' || token.length > 1024) return undefined;
  const [prefix, id, nonce, ...rest] = token.split('.');
  if (prefix !== PREFIX || !id || !nonce || rest.length > 0 || !/^[A-Za-z0-9_-]+$/.test(id) || !/^[A-Za-z0-9-]{16,64}$/.test(nonce)) return undefined;
  const pipelineId = Buffer.from(id, 'base64url').toString('utf8');
  return pipelineId === '' ? undefined : { pipelineId, nonce };
}
