import { medianOfRuns } from '../lib/stats';
import { runLoad } from '../load/run-load';
import type { LoadOptions } from '../load/load-options';
import type { HttpRun, Medians } from '../report/results';
import type { BenchContext } from './context';
import { httpRun, runDuration } from './loads';

/** Field-wise medians of runs whose fields are all numbers. */
export function mediansOf<R extends object>(runs: readonly R[]): Medians<R> {
  const numeric = runs as readonly Partial<Record<string, number | undefined>>[];
  return medianOfRuns(numeric);
}

/** Runs `fn` once to warm up (result dropped), then `repeats` times; returns runs and medians. */
export async function repeated<R extends object>(
  ctx: BenchContext,
  name: string,
  fn: (run: { warmup: boolean }) => Promise<R>,
  { warmup = true }: { warmup?: boolean } = {},
): Promise<{ runs: R[]; median: Medians<R> }> {
  if (warmup) {
    ctx.progress.update(`${name}: warm-up`);
    await fn({ warmup: true });
  }
  const runs: R[] = [];
  for (let i = 1; i <= ctx.settings.repeats; i++) {
    ctx.progress.update(`${name}: run ${i}/${ctx.settings.repeats}`);
    runs.push(await fn({ warmup: false }));
  }
  return { runs, median: mediansOf(runs) };
}

/** A warm-up and the repeats of one load; returns its runs and medians. */
export function httpRuns(
  ctx: BenchContext,
  name: string,
  opts: LoadOptions,
): Promise<{ runs: HttpRun[]; median: Medians<HttpRun> }> {
  return repeated(ctx, name, async ({ warmup }) =>
    httpRun(await runLoad({ ...opts, duration: runDuration(ctx, warmup) })),
  );
}
