import { rssMb } from '@herald/local';
import { sleep } from '../../lib/processes';
import { runLoad } from '../../load/run-load';
import type { BenchContext } from '../context';
import { postLoad } from '../loads';
import { PeakPerTenth } from '../peak-per-tenth';
import { purgeQueue, queueDepth } from '../queue';
import { startHeraldWorker } from '../worker-variants';

const rssOf = (pid: number | undefined) => (pid === undefined ? undefined : rssMb(pid));

/**
 * Memory under a backlog: the api accepts `backlog` notifications with no worker running (its
 * RSS sampled as the queue grows), then a worker drains them (its RSS sampled as it shrinks).
 */
export async function benchBacklog(ctx: BenchContext): Promise<void> {
  const { memory } = ctx.results;
  const n = ctx.settings.backlog;
  const tenth = n / 10;
  await purgeQueue(ctx);
  const load = runLoad(postLoad(ctx, ctx.stack.apiUrl, { amount: n, duration: 3600 }));
  let loadDone = false;
  void load.finally(() => (loadDone = true)).catch(() => undefined);
  // Idle RSS is recorded apart: "flat" is about growth with the backlog, not the step from idle
  // to loaded. RSS saws up and down with garbage collection, so each tenth of the backlog
  // reports the highest RSS sampled (every 250 ms) while it built up.
  const apiPid = ctx.stack.api.pid;
  memory.apiIdleMb = rssOf(apiPid);
  const apiPeaks = new PeakPerTenth(tenth);
  while (!loadDone) {
    const depth = await queueDepth(ctx);
    ctx.progress.update(
      `Backlog: ${depth.toLocaleString('en')} of ${n.toLocaleString('en')} accepted`,
    );
    apiPeaks.sample(depth, rssOf(apiPid));
    await sleep(250);
  }
  apiPeaks.sample(await queueDepth(ctx), rssOf(apiPid));
  const loadResult = await load;
  if (loadResult.errors + loadResult.non2xx > 0) {
    ctx.results.notes.push(
      `Backlog fill: ${loadResult.errors} errors, ${loadResult.non2xx} non-2xx.`,
    );
  }
  memory.apiBacklog = apiPeaks.rows().map(([i, rss]) => ({
    backlog: Math.round((i + 1) * tenth),
    rssMb: rss,
  }));

  ctx.sink.reset();
  const worker = await startHeraldWorker(ctx);
  ctx.worker = worker;
  try {
    memory.workerIdleMb = rssOf(worker.pid);
    const workerPeaks = new PeakPerTenth(tenth);
    const deadline = Date.now() + 20 * 60_000;
    while (ctx.sink.arrivals.size < n && Date.now() < deadline) {
      const remaining = n - ctx.sink.arrivals.size;
      ctx.progress.update(`Backlog: worker draining, ${remaining.toLocaleString('en')} left`);
      workerPeaks.sample(ctx.sink.arrivals.size, rssOf(worker.pid));
      await sleep(250);
    }
    memory.workerBacklog = workerPeaks.rows().map(([i, rss]) => ({
      remaining: Math.round(n - i * tenth),
      rssMb: rss,
    }));
    const times = [...ctx.sink.arrivals.values()];
    memory.backlogDrainPerSec = times.length / ((Math.max(...times) - Math.min(...times)) / 1000);
  } finally {
    await worker.stop();
    ctx.worker = undefined;
  }
}
