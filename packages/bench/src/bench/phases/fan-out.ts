/**
 * Fan-out (issue 14): a topic of N subscribers (written straight to the audience table, not
 * measured), one topic send accepted with the api's own accept code (audience/topic-accept.ts),
 * every child delivered by the Herald worker to the sink (Slack through the configured webhook
 * `bench`, the same provider the Worker phase delivers to, so (b) compares like with like).
 * Figures: children created per second against a bare loop of the same conditional PutItem
 * calls, accept → last child delivered against the worker's single-notification rate, worker RSS
 * through the fan-out, and direct notifications' queue wait idle and during the fan-out.
 */
import { rssMb } from '@herald/local';
import { sleep } from '../../lib/processes';
import type { FanOutRss } from '../../report/results';
import { bareCreateLoop, readOneChild } from '../audience/bare-put-loop';
import { queueWaits, startProbes } from '../audience/queue-wait';
import { seedTopic } from '../audience/seed';
import { acceptTopicSend } from '../audience/topic-accept';
import { eventAt, readView, type NotificationView } from '../audience/views';
import { workerRate } from '../audience/worker-rate';
import type { BenchContext } from '../context';
import { PeakPerTenth } from '../peak-per-tenth';
import { purgeQueue } from '../queue';
import { startHeraldWorker, stopWorkerAndSettle } from '../worker-variants';

/** Direct notifications per second posted to measure the queue wait. */
export const PROBE_RATE = 2;

/**
 * Samples a process's RSS every 250 ms until `stop`: start, peak, end, and the peak in each tenth
 * of `n` children delivered (`delivered()`).
 */
function sampleRss(
  pid: number | undefined,
  n: number,
  delivered: () => number,
): { stop(): FanOutRss } {
  const read = () => (pid === undefined ? 0 : (rssMb(pid) ?? 0));
  const startMb = read();
  const tenths = new PeakPerTenth(Math.max(1, n / 10));
  let peakMb = startMb;
  let samples = 1;
  const timer = setInterval(() => {
    const rss = read();
    peakMb = Math.max(peakMb, rss);
    tenths.sample(delivered(), rss);
    samples++;
  }, 250);
  // A phase that throws before `stop` must not keep the runner alive.
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const endMb = read();
      const byTenth = tenths
        .rows()
        .map(([i, rss]) => ({ delivered: Math.round(((i + 1) * n) / 10), rssMb: rss }));
      return { startMb, peakMb: Math.max(peakMb, endMb), endMb, samples: samples + 1, byTenth };
    },
  };
}

/** Waits until the parent is final (every child final); the last view read. */
async function settledParent(
  ctx: BenchContext,
  id: string,
  timeoutMs: number,
): Promise<NotificationView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await readView(ctx, id);
    if (view !== undefined && view.status !== 'Pending') return view;
    if (Date.now() > deadline)
      throw new Error(`topic send ${id} still Pending after ${timeoutMs} ms`);
    await sleep(500);
  }
}

export async function benchFanOut(ctx: BenchContext): Promise<void> {
  const n = ctx.settings.fanOut;
  const worker = await workerRate(ctx, n);
  await purgeQueue(ctx);
  ctx.progress.update(`Fan-out: seeding a topic of ${n} subscribers`);
  const topicId = await seedTopic(ctx, n);
  const proc = await startHeraldWorker(ctx);
  ctx.worker = proc;
  try {
    // Idle: the same probes with nothing else queued, as many as the fan-out will see at most.
    const idleCount = Math.max(10, Math.min(40, Math.ceil(n / worker.perSec) * PROBE_RATE));
    ctx.progress.update(`Fan-out: ${idleCount} probes with the worker idle`);
    ctx.sink.reset();
    const idleIds = await startProbes(ctx, 'idle', PROBE_RATE, idleCount).done();
    const waitIdle = await queueWaits(ctx, 'idle', idleIds, PROBE_RATE);

    ctx.sink.reset();
    const marker = `fanout-${topicId}`;
    const delivered = () => ctx.sink.repeated.get(marker)?.count ?? 0;
    const rss = sampleRss(proc.pid, n, delivered);
    const { id, acceptedAt } = await acceptTopicSend(ctx, topicId, {
      title: `bench ${marker}`,
    });
    ctx.progress.update(`Fan-out: ${id} to ${n} subscribers`);
    const probes = startProbes(ctx, 'busy', PROBE_RATE);
    const deadline = Date.now() + Math.max(120_000, (20 * n * 1000) / worker.perSec);
    while (delivered() < n && Date.now() < deadline) {
      ctx.progress.update(`Fan-out: ${delivered()}/${n} children delivered`);
      await sleep(250);
    }
    const busyIds = await probes.stop();
    if (delivered() < n) throw new Error(`only ${delivered()} of ${n} children reached the sink`);
    const lastAt = ctx.sink.repeated.get(marker)?.lastAt;
    const parent = await settledParent(ctx, id, 60_000);
    const rssFigures = rss.stop();
    const waitDuringFanOut = await queueWaits(ctx, 'busy', busyIds, PROBE_RATE);

    const accepted = eventAt(parent, 'accepted');
    const fannedOut = eventAt(parent, 'fanned_out');
    const counts = parent.fanOut?.children ?? {};
    const children = (counts.Pending ?? 0) + (counts.Delivered ?? 0) + (counts.Refused ?? 0);
    if (accepted === undefined || fannedOut === undefined || lastAt === undefined) {
      throw new Error(`topic send ${id}: no fanned_out event or no child delivered`);
    }
    const fanOutSeconds = (fannedOut - accepted) / 1000;
    const deliverySeconds = (lastAt - acceptedAt) / 1000;

    ctx.progress.update('Fan-out: the bare PutItem loop');
    const bareLoopPerSec = await bareCreateLoop(ctx, await readOneChild(ctx, id), children);
    ctx.results.fanOut = {
      subscribers: n,
      children,
      delivered: counts.Delivered ?? 0,
      parentStatus: parent.status,
      fanOutSeconds,
      createdPerSec: children / fanOutSeconds,
      bareLoopPerSec,
      deliverySeconds,
      deliveredPerSec: n / deliverySeconds,
      worker,
      rss: rssFigures,
      waitIdle,
      waitDuringFanOut,
      duplicates: Math.max(0, delivered() - n),
    };
  } finally {
    await stopWorkerAndSettle(ctx, proc);
    await purgeQueue(ctx);
  }
}
