import { AppError, createTokenBucketPacer, type Clock, type Pacer } from '@herald/core';
import type { RequestHandler } from 'express';
import { clientOf } from './require-client-token';

export interface ClientRateLimitOptions {
  /** Sustained requests per second per client. */
  ratePerSecond: number;
  /** Requests a client may send at once after being idle. */
  burst: number;
  clock: Clock;
  /** At most this many clients are tracked; the least recently seen is forgotten first. */
  maxClients?: number;
}

interface Bucket {
  pacer: Pacer;
  lastSeen: number;
}

/**
 * A token bucket per authenticated client (`ratePerSecond`, bursts of `burst`); a request over the
 * limit fails with `RATE_LIMITED` (429) and `details.retryAfterSeconds`, before its body is read.
 * Register it after `requireClientToken`. The buckets live in this process: with N api instances
 * a client may send N × the rate. Memory is bounded: a bucket idle long enough to have refilled is
 * dropped (a new one starts full, so nothing changes), and past `maxClients` (default 100 000) the
 * least recently seen client is forgotten and gets a fresh burst.
 */
export function clientRateLimit(opts: ClientRateLimitOptions): RequestHandler {
  const { ratePerSecond, burst, clock, maxClients = 100_000 } = opts;
  if (!(ratePerSecond > 0) || !(burst >= 1) || !(maxClients >= 1)) {
    throw new TypeError('clientRateLimit needs ratePerSecond > 0, burst >= 1 and maxClients >= 1');
  }
  const rule = { bucket: { ratePerSecond, burst } };
  const refillMs = (burst / ratePerSecond) * 1000;
  // Map order is least recently seen first: every hit moves its client to the end.
  const buckets = new Map<string, Bucket>();

  function bucketOf(clientId: string, now: number): Bucket {
    for (const [id, b] of buckets) {
      if (now - b.lastSeen < refillMs) break;
      buckets.delete(id);
    }
    let bucket = buckets.get(clientId);
    if (bucket) buckets.delete(clientId);
    else {
      bucket = { pacer: createTokenBucketPacer(rule, clock), lastSeen: now };
      const oldest = buckets.size >= maxClients ? buckets.keys().next().value : undefined;
      if (oldest !== undefined) buckets.delete(oldest);
    }
    bucket.lastSeen = now;
    buckets.set(clientId, bucket);
    return bucket;
  }

  return (_req, res, next) => {
    const { clientId } = clientOf(res);
    const waitMs = bucketOf(clientId, clock.now().getTime()).pacer.reserve('bucket');
    if (waitMs > 0) {
      throw new AppError('RATE_LIMITED', 'Too many requests; retry later', {
        details: { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) },
      });
    }
    next();
  };
}
