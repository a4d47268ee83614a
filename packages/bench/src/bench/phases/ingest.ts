import type { BenchContext } from '../context';
import { cpuCountedRuns } from '../cpu-count';
import { postLoad } from '../loads';
import { purgeQueue } from '../queue';

/** Ingest: POST /v1/notifications at peak, with the CPU each request costs. */
export async function benchIngest(ctx: BenchContext): Promise<void> {
  ctx.results.http.ingest = {
    label: 'Ingest — POST /v1/notifications',
    ...(await cpuCountedRuns(
      ctx,
      'Ingest (POST /v1/notifications)',
      postLoad(ctx, ctx.stack.apiUrl),
    )),
  };
  await purgeQueue(ctx);
}
