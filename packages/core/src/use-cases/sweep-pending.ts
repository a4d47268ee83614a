import type { Clock, Logger, NotificationQueue, NotificationStore } from '../ports';

export interface SweepDeps {
  store: NotificationStore;
  queue: NotificationQueue;
  clock: Clock;
  logger: Logger;
  sweepAfterMs: number;
  batchSize: number;
}

/**
 * Re-enqueues Pending notifications that nobody has touched for `sweepAfterMs`: their queue
 * message was never sent (crash or queue outage between store and enqueue) or was lost (queue
 * restarted). A spurious re-enqueue is harmless, because the worker's claim drops duplicates.
 * Returns how many it re-enqueued.
 */
export function createSweepPending(deps: SweepDeps) {
  return async function sweepPending(): Promise<number> {
    const now = deps.clock.now();
    const ids = await deps.store.findDueForSweep(now.toISOString(), deps.batchSize);
    if (ids.length === 0) return 0;
    await deps.queue.enqueue(ids);
    const next = new Date(now.getTime() + deps.sweepAfterMs).toISOString();
    await Promise.all(ids.map((id) => deps.store.markSwept(id, next)));
    deps.logger.info({ count: ids.length }, 're-enqueued pending notifications');
    return ids.length;
  };
}
