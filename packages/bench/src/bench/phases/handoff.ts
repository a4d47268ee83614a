import { runLoad } from '../../load/run-load';
import type { HandoffFigure, HandoffRun } from '../../report/results';
import type { BenchContext } from '../context';
import { handoffLatencies } from '../handoff-latency';
import { postLoad, runDuration } from '../loads';
import { purgeQueue } from '../queue';
import { mediansOf } from '../repeated';
import { startHeraldWorker, stopWorkerAndSettle } from '../worker-variants';

/**
 * The end-to-end peak: notifications/s delivered at the sink while ingest offers more than the
 * stack can carry (the worker's solo peak), so the api, the worker and the emulators share the two
 * cores as they do in the hand-off runs. Counted over the last 70 % of the load window, once the
 * worker is busy; the backlog left over is purged.
 */
async function endToEndPeak(ctx: BenchContext, offered: number): Promise<number> {
  ctx.progress.update(`Hand-off: end-to-end peak (ingest offered at ${offered}/s)`);
  ctx.sink.reset();
  const started = Date.now();
  await runLoad(
    postLoad(ctx, ctx.stack.apiUrl, { duration: ctx.settings.durationS, overallRate: offered }),
  );
  const ended = Date.now();
  const from = started + (ended - started) * 0.3;
  let delivered = 0;
  for (const at of ctx.sink.arrivals.values()) if (at >= from && at <= ended) delivered++;
  await purgeQueue(ctx);
  return delivered / ((ended - from) / 1000);
}

/** Hand-off runs at one offered rate: the latency from each 202 to its arrival at the sink. */
async function handoffAt(ctx: BenchContext, rate: number, label: string): Promise<HandoffFigure> {
  const runs: HandoffRun[] = [];
  const { repeats } = ctx.settings;
  for (let i = 0; i <= repeats; i++) {
    ctx.progress.update(`Hand-off at ${rate}/s: ${i === 0 ? 'warm-up' : `run ${i}/${repeats}`}`);
    ctx.sink.reset();
    const r = await runLoad(
      postLoad(ctx, ctx.stack.apiUrl, {
        duration: runDuration(ctx, i === 0),
        overallRate: rate,
        recordAccepted: true,
      }),
    );
    const accepted = r.accepted ?? {};
    await ctx.sink.waitFor(Object.keys(accepted).length, 60_000).catch(() => undefined);
    if (i > 0) runs.push(handoffLatencies(ctx.sink, accepted));
  }
  return { label, rate, runs, median: mediansOf(runs) };
}

/**
 * Accept → hand-off at half of peak load, with the Herald worker running. Peak load is the
 * end-to-end peak (ingest and delivery together on the same two cores); for comparison the same
 * runs are made at half of min(ingest alone, worker alone), which on two shared cores is close to
 * saturation.
 */
export async function benchHandoff(ctx: BenchContext): Promise<void> {
  const ingestPeak = ctx.results.http.ingest?.median.rps;
  const workerPeak = ctx.results.worker.herald?.median.perSec;
  if (!ingestPeak || !workerPeak) throw new Error('needs the Ingest and Worker figures');
  await purgeQueue(ctx);
  const worker = await startHeraldWorker(ctx);
  ctx.worker = worker;
  try {
    const endToEnd = await endToEndPeak(ctx, Math.round(workerPeak));
    const soloHalf = Math.round(Math.min(ingestPeak, workerPeak) / 2);
    ctx.results.handoff = {
      ...(await handoffAt(ctx, Math.round(endToEnd / 2), 'half of the end-to-end peak')),
      peaks: { endToEnd, ingest: ingestPeak, worker: workerPeak },
    };
    ctx.results.handoffSoloHalf = await handoffAt(
      ctx,
      soloHalf,
      'half of min(ingest alone, worker alone)',
    );
  } finally {
    await stopWorkerAndSettle(ctx, worker);
  }
}
