import type { Logger } from '@herald/core';

/**
 * Collects receipt handles and deletes them in batches of up to 10 (one DeleteMessageBatch
 * instead of ten DeleteMessage calls). A batch goes out when full or `maxDelayMs` after its first
 * handle. Waiting costs nothing but a little SQS visibility (the outcome is already stored, and a
 * redelivered message is dropped by the claim), so the default waits 200 ms to fill batches even
 * at low traffic. A failed delete is only logged: the message comes back and the claim drops it.
 */
export function createAckBatcher(
  ack: (handles: string[]) => Promise<void>,
  logger: Logger,
  maxDelayMs = 200,
) {
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (pending.length > 0) {
      const batch = pending.splice(0, 10);
      const call = ack(batch)
        .catch((err: unknown) =>
          logger.warn(
            { err: String(err), count: batch.length },
            'ack failed; messages will be redelivered',
          ),
        )
        .finally(() => inFlight.delete(call));
      inFlight.add(call);
    }
  }

  return {
    add(handle: string): void {
      pending.push(handle);
      if (pending.length >= 10) flush();
      else timer ??= setTimeout(flush, maxDelayMs);
    },
    /** Sends what is waiting and resolves when every delete has answered. */
    async drain(): Promise<void> {
      flush();
      await Promise.all([...inFlight]);
      pending = [];
    },
  };
}
