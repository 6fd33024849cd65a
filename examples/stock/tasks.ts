/**
 * The stock portfolio example: load each stock's prices in parallel, compute
 * each one's standard deviation, then the average of those.
 */
import { FlinkTasks, inParallel } from 'flink-tasks';

export const tasks = new FlinkTasks({ namespace: 'example', workerName: 'worker' });

/** Deterministic prices for a ticker (a stand-in for a market-data service). */
export async function loadPrices(stock: string): Promise<number[]> {
  let seed = [...stock].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const prices: number[] = [];
  let price = 100 + (seed % 400);
  for (let day = 0; day < 250; day++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    price *= 1 + (seed / 2 ** 32 - 0.5) * 0.04;
    prices.push(Math.round(price * 100) / 100);
  }
  return prices;
}

export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
export const std = (xs: number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length);
};

export const loadTimeseries = tasks.bind('loadTimeseries', async (stock: string) => loadPrices(stock));
export const computeStdDev = tasks.bind('computeStdDev', (prices: number[]) => std(prices));
export const computeAverage = tasks.bind('computeAverage', (xs: number[]) => mean(xs));
export const averageStdDev = tasks.bind('averageStdDev', (stocks: string[]) =>
  inParallel(stocks.map((s) => loadTimeseries.send(s).continueWith(computeStdDev))).continueWith(computeAverage),
);
