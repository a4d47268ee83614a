import { LANES, laneOf, type Lane } from '../lane';
import type { Clock, Logger, NotificationQueue, NotificationStore } from '../ports';
import { MAX_QUEUE_DELAY_SECONDS, type SweepEntry } from '../schedule';

export interface SweepDeps {
  store: NotificationStore;
  queue: NotificationQueue;
  clock: Clock;
  logger: Logger;
  sweepAfterMs: number;
  batchSize: number;
  /**
   * Scheduled notifications due within this long are enqueued now, hidden until their `sendAt`
   * (default 0). Set it above the sweep interval, so a scheduled notification is in the queue
   * when it falls due rather than up to an interval later.
   */
  lookAheadMs?: number;
}

/**
 * One sweep, two jobs. Recovery: Pending notifications whose `sweepAt` has passed are enqueued
 * again, because their queue message was never sent (crash or queue outage between store and
 * enqueue) or was lost (queue restarted). Scheduling: notifications stored `scheduled` (their
 * `sendAt` beyond the queue's delay limit at accept) whose `sendAt` falls within `lookAheadMs`
 * are enqueued with a delay of the time left, so they arrive when due. Each then gets its next
 * `sweepAt` `sweepAfterMs` after its due time, among the recovery entries, so a lost message is
 * recovered like any other. A spurious enqueue is harmless: the worker's claim drops duplicates
 * and refuses anything before its `sendAt`. Every entry goes back to its own lane's queue (a
 * topic child to the bulk queue) and stays in its lane's sweep; the transactional lane is served
 * first, so a backlog of bulk children never holds up the recovery of a direct send. Returns how
 * many it enqueued (at most `batchSize`).
 */
export function createSweepPending(deps: SweepDeps) {
  return async function sweepPending(): Promise<number> {
    const now = deps.clock.now().getTime();
    const entries: SweepEntry[] = [];
    let scheduled = 0;
    for (const lane of LANES) {
      if (entries.length >= deps.batchSize) break;
      const lost = await deps.store.findDueForSweep(
        new Date(now).toISOString(),
        deps.batchSize - entries.length,
        lane,
      );
      entries.push(...lost.map((entry) => ({ ...entry, lane })));
      if (entries.length >= deps.batchSize) break;
      const soon = await deps.store.findScheduled(
        new Date(now + (deps.lookAheadMs ?? 0)).toISOString(),
        deps.batchSize - entries.length,
        lane,
      );
      entries.push(...soon.map((entry) => ({ ...entry, lane })));
      scheduled += soon.length;
    }
    if (entries.length === 0) return 0;
    for (const { lane, delaySeconds, ids } of byLaneAndDelay(entries, now)) {
      await deps.queue.enqueue(ids, {
        ...(delaySeconds > 0 ? { delaySeconds } : {}),
        ...(lane === 'bulk' ? { lane } : {}),
      });
    }
    await Promise.all(
      entries.map((entry) => {
        const dueMs = Math.max(now, Date.parse(entry.sweepAt));
        const next = new Date(dueMs + deps.sweepAfterMs).toISOString();
        return deps.store.markSwept(entry.id, next, laneOf(entry));
      }),
    );
    deps.logger.info({ count: entries.length, scheduled }, 'enqueued pending notifications');
    return entries.length;
  };
}

/** Ids grouped by lane and by how long each must stay hidden: until its `sweepAt`, rounded up. */
function byLaneAndDelay(
  entries: readonly SweepEntry[],
  now: number,
): { lane: Lane; delaySeconds: number; ids: string[] }[] {
  const groups = new Map<string, { lane: Lane; delaySeconds: number; ids: string[] }>();
  for (const entry of entries) {
    const lane = laneOf(entry);
    const delaySeconds = Math.min(
      MAX_QUEUE_DELAY_SECONDS,
      Math.ceil(Math.max(0, Date.parse(entry.sweepAt) - now) / 1000),
    );
    const key = `${lane}:${delaySeconds}`;
    const group = groups.get(key) ?? { lane, delaySeconds, ids: [] };
    group.ids.push(entry.id);
    groups.set(key, group);
  }
  return [...groups.values()];
}
