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
 * and refuses anything before its `sendAt`. Returns how many it enqueued (at most `batchSize`).
 */
export function createSweepPending(deps: SweepDeps) {
  return async function sweepPending(): Promise<number> {
    const now = deps.clock.now().getTime();
    const lost = await deps.store.findDueForSweep(new Date(now).toISOString(), deps.batchSize);
    const soon =
      lost.length < deps.batchSize
        ? await deps.store.findScheduled(
            new Date(now + (deps.lookAheadMs ?? 0)).toISOString(),
            deps.batchSize - lost.length,
          )
        : [];
    const entries = [...lost, ...soon];
    if (entries.length === 0) return 0;
    for (const [delaySeconds, ids] of byDelay(entries, now)) {
      await deps.queue.enqueue(ids, delaySeconds > 0 ? { delaySeconds } : undefined);
    }
    await Promise.all(
      entries.map((entry) => {
        const dueMs = Math.max(now, Date.parse(entry.sweepAt));
        return deps.store.markSwept(entry.id, new Date(dueMs + deps.sweepAfterMs).toISOString());
      }),
    );
    deps.logger.info(
      { count: entries.length, scheduled: soon.length },
      'enqueued pending notifications',
    );
    return entries.length;
  };
}

/** Ids grouped by how long each must stay hidden: until its `sweepAt`, rounded up. */
function byDelay(entries: readonly SweepEntry[], now: number): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  for (const entry of entries) {
    const delaySeconds = Math.min(
      MAX_QUEUE_DELAY_SECONDS,
      Math.ceil(Math.max(0, Date.parse(entry.sweepAt) - now) / 1000),
    );
    groups.set(delaySeconds, [...(groups.get(delaySeconds) ?? []), entry.id]);
  }
  return groups;
}
