import type { WorkerRateBaseline } from '../../report/results';
import type { BenchContext } from '../context';
import { drainOnce } from '../phases/workers';
import { workerVariants } from '../worker-variants';

/**
 * The Herald worker's single-notification rate the audience phases are judged against: the
 * Worker phase's median from this run if it ran, else one measured here the same way (a backlog
 * of `n` direct notifications drained by a fresh worker after a warm-up, steady state between the 5th and 95th
 * percentile arrival), measured once and shared by both phases. No worker is running afterwards.
 */
export async function workerRate(ctx: BenchContext, n: number): Promise<WorkerRateBaseline> {
  const phase = ctx.results.worker.herald?.median.perSec;
  if (phase !== undefined && Number.isFinite(phase) && phase > 0) {
    return { perSec: phase, source: 'worker-phase' };
  }
  const earlier = ctx.results.fanOut?.worker ?? ctx.results.scheduled?.worker;
  if (earlier?.source === 'backlog') return earlier;
  const herald = workerVariants(ctx).find(([key]) => key === 'herald');
  if (herald === undefined) throw new Error('no Herald worker variant');
  // A warm-up first, as the Worker phase does: a fresh process's first deliveries (JIT,
  // connections) would otherwise count against the rate.
  ctx.progress.update(`measuring the worker's rate: warm-up of ${Math.ceil(n / 4)}`);
  await drainOnce(ctx, 'herald', herald[1], Math.ceil(n / 4));
  ctx.progress.update(`measuring the worker's rate on a backlog of ${n}`);
  const run = await drainOnce(ctx, 'herald', herald[1], n);
  return { perSec: run.perSec, source: 'backlog', notifications: n };
}
