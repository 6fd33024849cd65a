/** One line describing where a benchmark ran, for its printout. */
import os from 'node:os';

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  const load = os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  return `${new Date().toISOString().slice(0, 10)} · ${cpu} · ${os.cpus().length} cores · ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB · node ${process.version} · load ${load}`;
}
