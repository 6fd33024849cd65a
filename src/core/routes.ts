/**
 * What a deployment can deliver to: the function types StateFun routes to a
 * served endpoint, the egresses it declares, and the reply topics clients may
 * ask for. Checked before anything is sent, because StateFun fails the whole
 * job on a message to a function type or egress it does not know, and the
 * Kafka egress fails it on an invalid or missing topic.
 *
 * @module
 */

/**
 * Extra destinations a deployment declares, besides the function types the
 * server itself serves and flink-tasks' own egresses.
 *
 * @example
 * ```ts
 * const routes: RoutesOptions = {
 *   functions: ['images/resizer', 'billing/*'], // served by other endpoints in module.yaml
 *   egresses: ['example/audit'],
 *   replyTopics: [/^orders\.replies\.[a-z0-9-]+$/],
 * };
 * await serve(tasks, { routes });
 * ```
 */
export interface RoutesOptions {
  /** Function types `namespace/type`, or `namespace/*` for a whole namespace. */
  readonly functions?: readonly string[];
  /** Egress typenames `namespace/name` that module.yaml declares. */
  readonly egresses?: readonly string[];
  /** Reply topics clients may name, besides `flink-tasks.replies` and `flink-tasks.replies.<suffix>`. */
  readonly replyTopics?: readonly (string | RegExp)[];
}

/** Kafka's rule for topic names. */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

/**
 * Whether `topic` is a legal Kafka topic name.
 *
 * @example
 * ```ts
 * isValidTopicName('flink-tasks.replies'); // true
 * isValidTopicName('no spaces'); // false
 * ```
 */
export function isValidTopicName(topic: string): boolean {
  return TOPIC_NAME.test(topic) && topic !== '.' && topic !== '..';
}

const DEFAULT_REPLY_TOPIC = /^flink-tasks\.replies(\.[A-Za-z0-9_-][A-Za-z0-9._-]*)?$/;

/**
 * The destinations of one deployment.
 *
 * @example
 * ```ts
 * const routes = new Routes(['example/pipeline', 'example/worker'], ['flinktasks/replies'], { functions: ['images/*'] });
 * routes.servesFunction('images', 'resizer'); // true
 * routes.servesFunction('other', 'worker'); // false
 * ```
 */
export class Routes {
  readonly #functions: ReadonlySet<string>;
  readonly #namespaces: ReadonlySet<string>;
  readonly #egresses: ReadonlySet<string>;
  readonly #replyTopics: readonly (string | RegExp)[];

  /**
   * @param served - function types this server serves.
   * @param egresses - egresses flink-tasks itself publishes to.
   * @param options - what else the deployment declares.
   */
  constructor(served: readonly string[], egresses: readonly string[], options: RoutesOptions = {}) {
    const functions = new Set(served);
    const namespaces = new Set<string>();
    for (const f of options.functions ?? []) {
      const [namespace, type, ...rest] = f.split('/');
      if (!namespace || !type || rest.length > 0) throw new RangeError(`flink-tasks: routes.functions: '${f}' is not namespace/type or namespace/*`);
      if (type === '*') namespaces.add(namespace);
      else functions.add(f);
    }
    this.#functions = functions;
    this.#namespaces = namespaces;
    this.#egresses = new Set([...egresses, ...(options.egresses ?? [])]);
    this.#replyTopics = options.replyTopics ?? [];
  }

  /** Whether messages to function type `namespace/type` can be delivered. */
  servesFunction(namespace: string, type: string): boolean {
    return this.#functions.has(`${namespace}/${type}`) || this.#namespaces.has(namespace);
  }

  /** Whether the deployment declares egress `egress` (`namespace/name`). */
  hasEgress(egress: string): boolean {
    return this.#egresses.has(egress);
  }

  /** Why `topic` cannot be a reply topic, or `undefined` if it can. */
  replyTopicProblem(topic: string): string | undefined {
    if (!isValidTopicName(topic)) return `'${truncate(topic)}' is not a valid Kafka topic name (letters, digits, '.', '_', '-'; at most 249)`;
    if (DEFAULT_REPLY_TOPIC.test(topic)) return undefined;
    for (const allowed of this.#replyTopics) {
      if (typeof allowed === 'string' ? allowed === topic : allowed.test(topic)) return undefined;
    }
    return `reply topic '${topic}' is not allowed by this deployment (flink-tasks.replies, flink-tasks.replies.<suffix>, or routes.replyTopics)`;
  }
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
