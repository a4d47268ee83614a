import type { NotificationRecord, NotificationStore } from '@herald/core';

/**
 * Re-reads a notification until it is no longer Pending, `waitMs` has passed, or the client went
 * away. Reads start fast (a send often completes in tens of ms) and back off to 1 s, so a
 * long-polling client costs a handful of store reads, not a tight loop.
 */
export async function waitWhilePending(
  store: Pick<NotificationStore, 'get'>,
  first: NotificationRecord,
  waitMs: number,
  signal: AbortSignal,
): Promise<NotificationRecord> {
  const deadline = Date.now() + waitMs;
  let current = first;
  let interval = 50;
  while (current.status === 'Pending' && !signal.aborted) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await sleep(Math.min(interval, remaining), signal);
    if (signal.aborted) break;
    current = (await store.get(current.id)) ?? current;
    interval = Math.min(1_000, interval * 2);
  }
  return current;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
