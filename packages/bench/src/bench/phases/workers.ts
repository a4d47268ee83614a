import type { WorkerRun } from '../../report/results';
import type { BenchContext } from '../context';
import { fillBacklog, purgeQueue } from '../queue';
import { mediansOf } from '../repeated';
import {
  stopWorkerAndSettle,
  workerVariants,
  type WorkerVariant,
  type WorkerVariantKey,
} from '../worker-variants';

/**
 * Worker throughput (also the audience phases' baseline when the Worker phase did not run): a backlog of N notifications is filled with no worker running, then the
 * variant starts and drains it. The rate is the steady state between the 5th and 95th percentile
 * arrival at the sink, so process start-up is not counted against any variant.
 */
export async function drainOnce(
  ctx: BenchContext,
  key: WorkerVariantKey,
  variant: WorkerVariant,
  n: number,
): Promise<WorkerRun> {
  await fillBacklog(ctx, n);
  ctx.sink.reset();
  const proc = await variant.start(ctx);
  if (key === 'herald') ctx.worker = proc;
  try {
    await ctx.sink.waitFor(n, 300_000);
  } finally {
    await stopWorkerAndSettle(ctx, proc);
  }
  // Steady state: the rate between the 5th and the 95th percentile arrival, so neither start-up
  // nor a straggler (a message redelivered after its visibility timeout) decides the figure.
  // The whole span is kept too.
  const times = [...ctx.sink.arrivals.values()].sort((a, b) => a - b);
  const at = (i: number) => times[i] ?? NaN;
  const seconds = (at(times.length - 1) - at(0)) / 1000;
  const lo = Math.floor(times.length * 0.05);
  const hi = Math.ceil(times.length * 0.95) - 1;
  return {
    perSec: (hi - lo) / ((at(hi) - at(lo)) / 1000),
    wholeSpanPerSec: (times.length - 1) / seconds,
    delivered: times.length,
    seconds,
    duplicates: ctx.sink.duplicates,
  };
}

/**
 * The three workers in interleaved rounds: a warm-up of each, then each round runs every variant
 * once, starting one further along each time. dynalite slows as it fills and a shared machine
 * drifts, so running one variant's repeats back to back would hand whichever ran first a faster
 * stack; interleaved, a drift falls on every variant alike.
 */
export async function benchWorkers(ctx: BenchContext): Promise<void> {
  const n = ctx.settings.workerMessages;
  const variants = workerVariants(ctx);
  const runs = new Map<WorkerVariantKey, WorkerRun[]>(variants.map(([key]) => [key, []]));
  for (const [key, variant] of variants) {
    ctx.progress.update(`Worker: ${variant.label}: warm-up`);
    await drainOnce(ctx, key, variant, Math.ceil(n / 4));
  }
  const { repeats } = ctx.settings;
  for (let round = 0; round < repeats; round++) {
    for (let i = 0; i < variants.length; i++) {
      const entry = variants[(round + i) % variants.length];
      if (entry === undefined) continue;
      const [key, variant] = entry;
      ctx.progress.update(`Worker: ${variant.label}: run ${round + 1}/${repeats}`);
      runs.get(key)?.push(await drainOnce(ctx, key, variant, n));
    }
  }
  for (const [key, variant] of variants) {
    const keyRuns = runs.get(key) ?? [];
    ctx.results.worker[key] = { label: variant.label, runs: keyRuns, median: mediansOf(keyRuns) };
  }
  await purgeQueue(ctx);
}
