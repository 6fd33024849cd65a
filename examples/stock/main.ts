/**
 * Runs the stock example on the embedded local runtime and prints the result.
 *
 *   npm run example:stock
 */
import { LocalRuntime } from 'flink-tasks';
import { averageStdDev, tasks } from './tasks.js';

const stocks = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['BT.L', 'BP.L', 'VOD.L', 'HSBA.L', 'GSK.L'];
const runtime = new LocalRuntime(tasks);
try {
  const started = performance.now();
  const avg: number = await runtime.submit(averageStdDev.send(stocks));
  console.log(`average standard deviation of ${stocks.join(', ')}: ${avg.toFixed(4)} (${(performance.now() - started).toFixed(0)} ms on the local runtime)`);
} finally {
  await runtime.close();
}
