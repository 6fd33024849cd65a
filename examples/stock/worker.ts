/**
 * Serves the stock example's functions over HTTP for Apache Flink StateFun
 * (module.yaml points `example/*` at this endpoint).
 *
 *   PORT=18000 npx tsx examples/stock/worker.ts
 */
import { serve } from 'flink-tasks/server';
import { tasks } from './tasks.js';

const served = await serve(tasks, { port: Number(process.env.PORT ?? 18000), host: process.env.HOST ?? '127.0.0.1' });
console.log(`flink-tasks functions ${served.functions.functionTypes.join(', ')} at ${served.url}`);
const stop = (): void => void served.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
