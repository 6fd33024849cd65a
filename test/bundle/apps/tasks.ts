/**
 * Tasks of the bundled apps (bundle.test.ts): the local app runs them on the
 * LocalRuntime, the serve app serves them over HTTP, and the test builds its
 * pipelines from this same module.
 */
import { FlinkTasks, RetryPolicy, registerClass } from 'flink-tasks';

/** A registered class (under an explicit name, which minifying cannot change): its instances travel as themselves. */
export class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
registerClass(Point, 'bundle.Point');

export const tasks = new FlinkTasks({ namespace: 'bundled', workerName: 'worker' });
export const double = tasks.bind('double', (x: number) => x * 2);
export const sum = tasks.bind('sum', (xs: number[]) => xs.reduce((a, b) => a + b, 0));
export const fail = tasks.bind('fail', (why: string): number => {
  throw new RangeError(why);
});
let attempts = 0;
/** Fails twice, then succeeds: retried by its policy. */
export const flaky = tasks.bind({ name: 'flaky', retry: new RetryPolicy({ maxRetries: 3, delayMs: 5 }) }, () => {
  attempts += 1;
  if (attempts < 3) throw new Error(`attempt ${attempts}`);
  return attempts;
});
export const movePoint = tasks.bind('movePoint', (p: Point, dx: number) => new Point(p.x + dx, p.y));
export const norm = tasks.bind('norm', (p: Point) => (p instanceof Point ? Math.hypot(p.x, p.y) : -1));
/** Where the worker runs: the path of the script Node was started with. */
export const where = tasks.bind('where', () => process.argv[1] ?? '');
