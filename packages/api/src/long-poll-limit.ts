import { AppError } from '@herald/core';

/** Concurrent long-polls per client in this api instance. */
export interface LongPollLimit {
  /**
   * Takes one of `clientId`'s long-poll slots (`max` of them when the client's settings say so,
   * else the default) and returns the function that gives it back, to be called once when the
   * poll ends however it ends. Throws `RATE_LIMITED` (429, `Retry-After: 1`) when none is free.
   */
  acquire(clientId: string, max?: number): () => void;
  /** How many long-polls `clientId` holds now. */
  inFlight(clientId: string): number;
}

/**
 * Counts each client's open long-polls (`GET /v1/notifications/:id?waitSeconds=`), so one client
 * cannot hold every connection and timer of an instance. Per process, like the rate limits: with
 * N api instances a client may hold N × `maxPerClient`. Only clients with a poll open are kept.
 */
export function createLongPollLimit(opts: { maxPerClient: number }): LongPollLimit {
  if (!(opts.maxPerClient >= 1)) throw new TypeError('createLongPollLimit needs maxPerClient >= 1');
  const open = new Map<string, number>();
  return {
    acquire(clientId, max) {
      const cap = max !== undefined && max >= 1 ? max : opts.maxPerClient;
      const held = open.get(clientId) ?? 0;
      if (held >= cap) {
        throw new AppError('RATE_LIMITED', 'Too many long-polls open; retry later', {
          details: { retryAfterSeconds: 1 },
        });
      }
      open.set(clientId, held + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(clientId) ?? 1) - 1;
        if (left > 0) open.set(clientId, left);
        else open.delete(clientId);
      };
    },
    inFlight: (clientId) => open.get(clientId) ?? 0,
  };
}
