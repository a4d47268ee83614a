/**
 * Scheduled (issue 14): N direct notifications whose `sendAt` fall evenly over a period at half
 * the worker's measured rate, all posted before the first `sendAt`; each one's claim lag is its
 * `attempt_started` event's time minus its `sendAt`. Every `sendAt` is under 15 minutes ahead, so
 * they travel as SQS delays; the sweeper's look-ahead path (further than 15 minutes) is not
 * exercised within a bench run.
 */
import { latencySummary } from '../../lib/stats';
import { sleep } from '../../lib/processes';
import { pool } from '../audience/seed';
import { eventAt, postDirect, readViews } from '../audience/views';
import { workerRate } from '../audience/worker-rate';
import type { BenchContext } from '../context';
import { purgeQueue } from '../queue';
import { startHeraldWorker, stopWorkerAndSettle } from '../worker-variants';

/** Posts in flight while scheduling. */
const POST_CONCURRENCY = 16;
/** The first sendAt is at least this far ahead of the first post. */
export const MIN_LEAD_SECONDS = 20;
/** A lower bound on the api's rate for these posts on 2 shared cores (sets the lead). */
const ASSUMED_POSTS_PER_SEC = 200;

/** The `sendAt` of notification `i` of a schedule starting at `startMs`, `rate` per second. */
export const sendAtOf = (startMs: number, rate: number, i: number): number =>
  startMs + Math.round((i * 1000) / rate);

export async function benchScheduled(ctx: BenchContext): Promise<void> {
  const n = ctx.settings.scheduled;
  const worker = await workerRate(ctx, Math.min(n, ctx.settings.fanOut));
  const rate = worker.perSec / 2;
  const periodSeconds = (n - 1) / rate;
  if (periodSeconds > 14 * 60) {
    throw new Error(`${n} at ${rate.toFixed(0)}/s spans over 14 minutes: lower --scheduled`);
  }
  await purgeQueue(ctx);
  const proc = await startHeraldWorker(ctx);
  ctx.worker = proc;
  try {
    ctx.sink.reset();
    const postedAt = Date.now();
    const leadSeconds = Math.max(MIN_LEAD_SECONDS, 5 + n / ASSUMED_POSTS_PER_SEC);
    const start = postedAt + leadSeconds * 1000;
    const ids: string[] = new Array<string>(n);
    let posted = 0;
    await pool(n, POST_CONCURRENCY, async (i) => {
      ids[i] = await postDirect(
        ctx,
        `sched-${i}`,
        new Date(sendAtOf(start, rate, i)).toISOString(),
      );
      if (++posted % 500 === 0) ctx.progress.update(`Scheduled: posted ${posted}/${n}`);
    });
    if (Date.now() >= start) {
      throw new Error(`posting ${n} took longer than the ${leadSeconds} s lead`);
    }
    const deadline = start + periodSeconds * 1000 + 120_000;
    while (ctx.sink.arrivals.size < n && Date.now() < deadline) {
      ctx.progress.update(`Scheduled: ${ctx.sink.arrivals.size}/${n} delivered`);
      await sleep(500);
    }
    ctx.progress.update(`Scheduled: reading ${n} notifications' events`);
    const views = await readViews(ctx, ids);
    const lags: number[] = [];
    views.forEach((view, i) => {
      const claimed = eventAt(view, 'attempt_started');
      if (claimed !== undefined) lags.push(claimed - sendAtOf(start, rate, i));
    });
    ctx.results.scheduled = {
      notifications: n,
      rate,
      worker,
      leadSeconds,
      periodSeconds,
      lag: latencySummary(lags),
      early: lags.filter((lag) => lag < 0).length,
      missing: n - lags.length,
    };
  } finally {
    await stopWorkerAndSettle(ctx, proc);
    await purgeQueue(ctx);
  }
}
