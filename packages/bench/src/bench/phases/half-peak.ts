import type { BenchContext } from '../context';
import { cpuCountedRuns } from '../cpu-count';
import { postLoad, statusLoad } from '../loads';
import { purgeQueue } from '../queue';

/** Ingest and Status GET again, evenly paced at half of their median peak. */
export async function benchHalfPeak(ctx: BenchContext): Promise<void> {
  const { http } = ctx.results;
  const ingestRate = Math.round((http.ingest?.median.rps ?? 0) / 2);
  if (ingestRate > 0) {
    const label = 'Ingest at half of peak';
    const opts = postLoad(ctx, ctx.stack.apiUrl, { overallRate: ingestRate });
    http.ingestHalf = {
      label,
      rate: ingestRate,
      ...(await cpuCountedRuns(ctx, label, opts, { warmup: false })),
    };
    await purgeQueue(ctx);
  }
  const statusRate = Math.round((http.statusGet?.median.rps ?? 0) / 2);
  const ids = ctx.results.statusIds;
  if (statusRate > 0 && ids) {
    const label = 'Status GET at half of peak';
    const opts = statusLoad(ctx, ids, { overallRate: statusRate });
    http.statusHalf = {
      label,
      rate: statusRate,
      ...(await cpuCountedRuns(ctx, label, opts, { warmup: false })),
    };
  }
}
