/**
 * The load generator process: runs one load with the options given as JSON in argv[2] and prints
 * one JSON line with the result. It runs in its own process so the load it makes does not share
 * an event loop with the benchmark runner or the provider sink.
 */
import { autocannonLoad } from './autocannon-load';
import type { LoadOptions } from './load-options';
import { pacedLoad } from './paced-load';

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  const { overallRate } = opts;
  // A fixed rate is paced by paced-load.ts: autocannon would send it in bursts.
  const result =
    overallRate === undefined
      ? await autocannonLoad(opts)
      : await pacedLoad({ ...opts, overallRate });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main();
