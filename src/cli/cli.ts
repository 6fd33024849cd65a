/**
 * The `flink-tasks` command line: commands that run against any client that
 * can both run and observe pipelines. How the client is made (Kafka, or a
 * local runtime in tests) is the caller's: see `main.ts`.
 *
 * @module
 */
import { parseArgs, inspect as inspectValue } from 'node:util';
import { isFinalStatus, isPipelineStatus, PIPELINE_STATUSES, type PipelineStatus } from '../core/status.js';
import { serveDashboard } from '../dashboard/server.js';
import { TaskError } from '../core/errors.js';
import { MissingKafkajsError } from '../client/kafkajs.js';
import { EXIT, type CliIo, type Connect, type ConnectionConfig, type ObservedClient } from './contract.js';
import { errorLine, listTable, printable, statusReport } from './format.js';
import { watchCommand } from './watch.js';

export { EXIT, type CliIo, type Connect, type ConnectionConfig, type ObservedClient } from './contract.js';

const VERSION = '0.1.0';

export const HELP = `flink-tasks: look at and control pipelines running on Apache Flink StateFun

Usage: flink-tasks <command> [options]

Commands:
  list                  recent pipelines, newest first
      --status S[,S]      only these statuses (${PIPELINE_STATUSES.join(', ')})
      --limit N           at most N (default 20)
      --all               include runtime-made branches and segments
  status <id>           a pipeline's status, tasks, errors and steps
  result <id>           a finished pipeline's result (its error if it failed)
  watch <id>            a live progress line until the pipeline finishes
  pause <id>            hold back new tasks
  unpause <id>          resume a paused pipeline
  cancel <id>           cancel a running or paused pipeline
  dashboard             serve the web dashboard until Ctrl-C
      --port N            port (default 8085; 0: any free port)
      --host H            interface (default 127.0.0.1)
      --token T           require this token for the API and actions (env FLINK_TASKS_DASHBOARD_TOKEN)
      --allow-actions     pause/unpause/cancel buttons without a token (loopback host only)

Connection (flags win over the environment):
  --brokers H:P[,H:P]   Kafka bootstrap servers (env FLINK_TASKS_BROKERS)
  --request-topic T     (env FLINK_TASKS_REQUEST_TOPIC, default flink-tasks.requests)
  --reply-topic T       (env FLINK_TASKS_REPLY_TOPIC, default flink-tasks.replies)
  --events-topic T      (env FLINK_TASKS_EVENTS_TOPIC, default flink-tasks.events)
  --timeout MS          how long to wait for an answer (env FLINK_TASKS_TIMEOUT_MS, default 30000)

Other options:
  --json                machine-readable output (list, status, result)
  -h, --help            this text
  --version             the version

Exit codes: 0 ok, 1 pipeline failed or cancelled (or no result yet, or action refused),
2 bad usage (or kafkajs not installed), 3 unknown pipeline id, 4 runtime unreachable or erring.
`;

class UsageError extends Error {}

const OPTIONS = {
  brokers: { type: 'string' },
  'request-topic': { type: 'string' },
  'reply-topic': { type: 'string' },
  'events-topic': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  status: { type: 'string' },
  limit: { type: 'string' },
  all: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  token: { type: 'string' },
  'allow-actions': { type: 'boolean' },
} as const;

/** Which options each command takes (besides the connection and --json). */
const COMMAND_OPTIONS: Record<string, readonly string[]> = {
  list: ['status', 'limit', 'all'],
  status: [],
  result: [],
  watch: [],
  pause: [],
  unpause: [],
  cancel: [],
  dashboard: ['port', 'host', 'token', 'allow-actions'],
};
const COMMON = new Set(['brokers', 'request-topic', 'reply-topic', 'events-topic', 'timeout', 'json', 'help', 'version']);

function integer(name: string, text: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--${name} takes a whole number, got '${text}'`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function connection(values: Record<string, string | boolean | undefined>, env: CliIo['env']): ConnectionConfig {
  const str = (flag: string, envName: string): string | undefined => {
    const v = values[flag];
    const s = typeof v === 'string' ? v : env[envName];
    return s === undefined || s.trim() === '' ? undefined : s.trim();
  };
  const brokers = (str('brokers', 'FLINK_TASKS_BROKERS') ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (brokers.length === 0) throw new UsageError('no Kafka brokers: pass --brokers host:port[,host:port] or set FLINK_TASKS_BROKERS');
  for (const b of brokers)
    if (!/^[^\s:/]+:\d{1,5}$/.test(b) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(b)) throw new UsageError(`a broker must be host:port, got '${b}'`);
  return {
    brokers,
    requestTopic: str('request-topic', 'FLINK_TASKS_REQUEST_TOPIC'),
    replyTopic: str('reply-topic', 'FLINK_TASKS_REPLY_TOPIC'),
    eventsTopic: str('events-topic', 'FLINK_TASKS_EVENTS_TOPIC'),
    timeoutMs: integer('timeout', str('timeout', 'FLINK_TASKS_TIMEOUT_MS'), 30_000, 1),
  };
}

const isNotFound = (e: unknown): boolean => e instanceof TaskError && e.errorType === 'PipelineNotFound';
const describe = (e: unknown): string => printable(e instanceof TaskError ? `${e.errorType}: ${e.message}` : e instanceof Error ? e.message : String(e));

function showValue(value: unknown, json: boolean): string {
  if (json) {
    try {
      const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
      if (text !== undefined) return `${text}\n`;
    } catch {
      // not JSON: shown as Node would
    }
  }
  return `${inspectValue(value, { depth: 8, colors: false, maxArrayLength: 200, breakLength: 100 })}\n`;
}

/**
 * Runs one command line (without `node` and the script name) and returns
 * the exit code. `connect` is called once, after the command line was
 * checked; the client is closed before returning.
 */
export async function runCli(argv: readonly string[], io: CliIo, connect: Connect): Promise<number> {
  const now = io.now ?? Date.now;
  const err = (text: string): void => void io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  const out = (text: string): void => void io.stdout.write(text);
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    err(`flink-tasks: ${describe(e)}\nRun 'flink-tasks --help' for usage.`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    out(`${VERSION}\n`);
    return EXIT.ok;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    (command === undefined && !values.help ? err : out)(HELP);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  let config: ConnectionConfig;
  let id = '';
  try {
    const allowed = COMMAND_OPTIONS[command];
    if (!allowed) throw new UsageError(`unknown command '${printable(command)}' (one of ${Object.keys(COMMAND_OPTIONS).join(', ')})`);
    for (const [k, v] of Object.entries(values)) {
      if (v !== undefined && !COMMON.has(k) && !allowed.includes(k)) throw new UsageError(`${command} does not take --${k}`);
    }
    const wantsId = command !== 'list' && command !== 'dashboard';
    if (wantsId) {
      if (rest.length !== 1 || rest[0] === undefined || rest[0].trim() === '')
        throw new UsageError(`${command} takes one pipeline id: flink-tasks ${command} <id>`);
      id = rest[0];
    } else if (rest.length > 0) throw new UsageError(`${command} takes no arguments, got '${printable(rest.join(' '))}'`);
    config = connection(values, io.env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`flink-tasks: ${e.message}\nRun 'flink-tasks --help' for usage.`);
    return EXIT.usage;
  }
  let listOptions: { status?: PipelineStatus[]; limit: number; includeBranches: boolean } | undefined;
  if (command === 'list') {
    try {
      const statuses = values.status
        ?.split(',')
        .map((s) => s.trim().toUpperCase())
        .filter((s) => s !== '');
      for (const s of statuses ?? [])
        if (!isPipelineStatus(s)) throw new UsageError(`unknown status '${printable(s)}' (one of ${PIPELINE_STATUSES.join(', ')})`);
      listOptions = {
        limit: integer('limit', values.limit, 20, 1, 100_000),
        includeBranches: values.all ?? false,
        ...(statuses ? { status: statuses as PipelineStatus[] } : {}),
      };
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      err(`flink-tasks: ${e.message}`);
      return EXIT.usage;
    }
  }

  let client: ObservedClient;
  try {
    client = await connect(config);
  } catch (e) {
    if (e instanceof MissingKafkajsError) {
      err(e.message);
      return EXIT.usage;
    }
    err(`flink-tasks: could not connect to Kafka at ${config.brokers.join(',')}: ${describe(e)}`);
    return EXIT.unreachable;
  }
  try {
    switch (command) {
      case 'list': {
        const list = await client.list(listOptions);
        out(values.json ? `${JSON.stringify(list, null, 2)}\n` : listTable(list, now()));
        return EXIT.ok;
      }
      case 'status': {
        const status = await client.status(id);
        const view = await client.inspect(id);
        if (values.json)
          out(`${JSON.stringify({ id, status, summary: view?.summary, entries: view ? Object.fromEntries(view.entries) : undefined }, null, 2)}\n`);
        else out(statusReport(id, status, view, now()));
        return EXIT.ok;
      }
      case 'result': {
        const status = await client.status(id);
        if (!isFinalStatus(status)) {
          err(`flink-tasks: pipeline '${printable(id)}' is ${status}: no result yet (flink-tasks watch ${printable(id)} waits for it)`);
          return EXIT.pipelineFailed;
        }
        try {
          out(showValue(await client.result(id), values.json ?? false));
          return EXIT.ok;
        } catch (e) {
          if (isNotFound(e) || !(e instanceof TaskError)) throw e;
          err(`flink-tasks: pipeline '${printable(id)}' ${status === 'CANCELLED' ? 'was cancelled' : 'failed'}: ${errorLine(e)}`);
          if (e.stack) err(printable(e.stack.split('\n').slice(1, 8).join('\n')).replaceAll('⏎', '\n'));
          return EXIT.pipelineFailed;
        }
      }
      case 'watch':
        return await watchCommand(client, id, io, now);
      case 'pause':
      case 'unpause':
      case 'cancel': {
        try {
          await client[command](id);
        } catch (e) {
          if (isNotFound(e) || !(e instanceof TaskError)) throw e;
          err(`flink-tasks: ${command} refused: ${describe(e)}`);
          return EXIT.pipelineFailed;
        }
        const status = await client.status(id).catch(() => undefined);
        out(
          `${command === 'pause' ? 'paused' : command === 'unpause' ? 'unpaused' : 'cancelled'} ${printable(id)}${status ? ` (status now ${status})` : ''}\n`,
        );
        return EXIT.ok;
      }
      case 'dashboard': {
        const dashboard = await serveDashboard(client, {
          port: integer('port', values.port, 8085, 0, 65_535),
          host: values.host ?? '127.0.0.1',
          ...((values.token ?? io.env.FLINK_TASKS_DASHBOARD_TOKEN) ? { token: values.token ?? io.env.FLINK_TASKS_DASHBOARD_TOKEN } : {}),
          allowActions: values['allow-actions'] ?? false,
        });
        out(`dashboard at ${dashboard.url}  (Ctrl-C stops it)\n`);
        await io.stopped;
        await dashboard.close();
        return EXIT.ok;
      }
      default:
        return EXIT.usage;
    }
  } catch (e) {
    if (isNotFound(e)) {
      err(`flink-tasks: no pipeline with id '${printable(id)}' (the runtime has no record of it)`);
      return EXIT.unknownId;
    }
    if (e instanceof UsageError || e instanceof RangeError) {
      err(`flink-tasks: ${e.message}`);
      return EXIT.usage;
    }
    err(`flink-tasks: ${command} failed: ${describe(e)}`);
    return EXIT.unreachable;
  } finally {
    await client.close().catch(() => undefined);
  }
}
