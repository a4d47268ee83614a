/**
 * Fairness probes: direct notifications posted one at a time at a fixed rate while something
 * else runs (or nothing), and their queue wait, accept → claim: the `attempt_started` event's
 * time minus the `accepted` event's, both written by Herald on this machine's clock.
 */
import { latencySummary } from '../../lib/stats';
import { sleep } from '../../lib/processes';
import type { QueueWait } from '../../report/results';
import type { BenchContext } from '../context';
import { eventAt, postDirect, readViews, type NotificationView } from './views';

/**
 * Probes being posted: `stop` ends the posting and resolves with the ids posted; `done` waits
 * for a limited run to post all of its probes.
 */
export interface Probes {
  stop(): Promise<string[]>;
  done(): Promise<string[]>;
}

/**
 * Starts posting one probe every 1000 / `rate` ms (each waits for its answer, so a slow api posts
 * fewer, never a burst) until `stop`, or until `limit` probes when given.
 */
export function startProbes(
  ctx: BenchContext,
  label: string,
  rate: number,
  limit = Number.POSITIVE_INFINITY,
): Probes {
  const ids: string[] = [];
  let stopped = false;
  const loop = (async () => {
    const t0 = Date.now();
    for (let i = 0; !stopped && i < limit; i++) {
      const due = t0 + (i * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      if (stopped) break;
      ids.push(await postDirect(ctx, `${label}-${i}`));
    }
  })();
  // A failed post surfaces from `stop`/`done`; until then it must not count as unhandled.
  loop.catch(() => undefined);
  return {
    async stop() {
      stopped = true;
      await loop;
      return ids;
    },
    async done() {
      await loop;
      return ids;
    },
  };
}

/** Accept → claim of one view, ms; undefined when it has not been claimed. */
export function queueWaitOf(view: NotificationView | undefined): number | undefined {
  const accepted = eventAt(view, 'accepted');
  const claimed = eventAt(view, 'attempt_started');
  return accepted === undefined || claimed === undefined ? undefined : claimed - accepted;
}

/** The queue waits of `ids`, once every probe was delivered (or 30 s passed). */
export async function queueWaits(
  ctx: BenchContext,
  label: string,
  ids: readonly string[],
  rate: number,
): Promise<QueueWait> {
  const deadline = Date.now() + 30_000;
  const arrived = () => ids.every((_, i) => ctx.sink.arrivals.has(`${label}-${i}`));
  while (!arrived() && Date.now() < deadline) await sleep(200);
  const waits = (await readViews(ctx, ids)).map(queueWaitOf);
  const measured = waits.filter((w): w is number => w !== undefined);
  return { ...latencySummary(measured), rate, missing: ids.length - measured.length };
}
