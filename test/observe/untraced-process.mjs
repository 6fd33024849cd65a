// Runs a pipeline on the LocalRuntime of the built package (dist/) in a
// process where no tracer is registered, with a loader hook that reports
// every module URL resolved; prints { result, tracing, resolved } as JSON.
// OpenTelemetry is installed (a dev dependency): nothing may load it.
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
const resolved = [];
port1.on('message', (url) => resolved.push(url));
port1.unref();
const hooks = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  port.postMessage(r.url);
  return r;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { port: port2 }, transferList: [port2] });

const { FlinkTasks, LocalRuntime, silentLogger } = await import('../../dist/index.js');
const { tracingEnabled } = await import('../../dist/core/tracing.js');
const tasks = new FlinkTasks({ namespace: 'untraced', workerName: 'worker' });
const double = tasks.bind('double', (x) => x * 2);
const runtime = new LocalRuntime(tasks, { logger: silentLogger });
const result = await runtime.submit(double.send(1).continueWith(double));
await runtime.close();
// Let the last messages of the hook arrive.
await new Promise((r) => setTimeout(r, 50));
process.stdout.write(JSON.stringify({ result, tracing: tracingEnabled(), resolved }));
