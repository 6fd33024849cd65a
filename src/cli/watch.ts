/**
 * `flink-tasks watch`: a pipeline's progress, live, until it ends or the
 * user stops watching.
 *
 * @module
 */
import { isFinalStatus } from '../core/status.js';
import { EXIT, type CliIo, type ObservedClient } from './contract.js';
import { duration, errorLine, printable, progressLine } from './format.js';

/** Follows pipeline `id`, printing a progress line (rewritten in place on a terminal); returns the exit code. */
export async function watchCommand(client: ObservedClient, id: string, io: CliIo, now: () => number): Promise<number> {
  const tty = io.stdout.isTTY === true;
  let status = await client.status(id);
  const iterator = client.watch(id)[Symbol.asyncIterator]();
  let last = '';
  let lastPrinted = 0;
  const render = async (final: boolean): Promise<void> => {
    const view = await client.inspect(id);
    const line = view ? progressLine(view, now()) : `${status.padEnd(10)}  (no events of this pipeline seen yet)`;
    if (tty) io.stdout.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else if (final || (line !== last && now() - lastPrinted >= 1000)) {
      io.stdout.write(`${line}\n`);
      lastPrinted = now();
    }
    last = line;
  };
  if (isFinalStatus(status)) {
    await iterator.return?.();
    await render(true);
    return status === 'COMPLETED' ? EXIT.ok : EXIT.pipelineFailed;
  }
  let stop = false;
  void io.stopped.then(() => {
    stop = true;
  });
  let ended = false;
  const pump = (async () => {
    for (;;) {
      const r = await iterator.next();
      if (r.done) break;
    }
    ended = true;
  })();
  try {
    let polls = 0;
    while (!ended && !stop) {
      await render(false);
      await Promise.race([pump, io.stopped, new Promise((r) => setTimeout(r, 250))]);
      // The events may miss the end (a lost event, an index that dropped the pipeline): ask the runtime now and then.
      if (++polls % 8 === 0) {
        status = await client.status(id);
        if (isFinalStatus(status)) break;
      }
    }
  } finally {
    await iterator.return?.();
  }
  status = await client.status(id).catch(() => status);
  await render(true);
  if (stop && !isFinalStatus(status)) {
    io.stdout.write(`stopped watching; pipeline ${printable(id)} is still ${status}\n`);
    return EXIT.ok;
  }
  const view = await client.inspect(id);
  const took = view?.summary.finishedAt === undefined ? '' : ` in ${duration(view.summary.finishedAt - view.summary.submittedAt)}`;
  io.stdout.write(`pipeline ${printable(id)} ${status}${took}${view?.summary.error ? `: ${errorLine(view.summary.error)}` : ''}\n`);
  return status === 'COMPLETED' ? EXIT.ok : EXIT.pipelineFailed;
}
