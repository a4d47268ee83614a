import type { Clock, Logger, NotificationQueue, NotificationStore } from '../ports';
import { MAX_QUEUE_DELAY_SECONDS } from '../schedule';

export interface SweepDeps {
  store: NotificationStore;
  queue: NotificationQueue;
  clock: Clock;
  logger: Logger;
  sweepAfterMs: number;
  batchSize: number;
  /**
   * Entries due within this long are enqueued now, hidden until their `sweepAt` (default 0). Set
   * it above the sweep interval, so a scheduled notification (`sweepAt` = `sendAt`) is in the
   * queue when it falls due rather than up to an interval later.
   */
  lookAheadMs?: number;
}

/**
 * Enqueues Pending notifications whose `sweepAt` has passed or falls within `lookAheadMs`. For
 * an overdue one, its queue message was never sent (crash or queue outage between store and
 * enqueue) or was lost (queue restarted); one due soon (a scheduled notification) is enqueued
 * with a delay of the time left, so it arrives when it is due. Each then gets its next `sweepAt`
 * `sweepAfterMs` after its due time, so a lost message is recovered again. A spurious enqueue is
 * harmless: the worker's claim drops duplicates and refuses anything before its `sendAt`.
 * Returns how many it enqueued.
 */
export function createSweepPending(deps: SweepDeps) {
  return async function sweepPending(): Promise<number> {
    const now = deps.clock.now().getTime();
    const until = new Date(now + (deps.lookAheadMs ?? 0)).toISOString();
    const entries = await deps.store.findDueForSweep(until, deps.batchSize);
    if (entries.length === 0) return 0;
    const byDelay = new Map<number, string[]>();
    for (const entry of entries) {
      const delaySeconds = Math.min(
        MAX_QUEUE_DELAY_SECONDS,
        Math.ceil(Math.max(0, Date.parse(entry.sweepAt) - now) / 1000),
      );
      byDelay.set(delaySeconds, [...(byDelay.get(delaySeconds) ?? []), entry.id]);
    }
    for (const [delaySeconds, ids] of byDelay) {
      await deps.queue.enqueue(ids, delaySeconds > 0 ? { delaySeconds } : undefined);
    }
    await Promise.all(
      entries.map((entry) => {
        const dueMs = Math.max(now, Date.parse(entry.sweepAt));
        return deps.store.markSwept(entry.id, new Date(dueMs + deps.sweepAfterMs).toISOString());
      }),
    );
    deps.logger.info({ count: entries.length }, 'enqueued pending notifications');
    return entries.length;
  };
}
