import {
  AppError,
  createTokenBucketPacer,
  type ClientLimitOverrides,
  type Clock,
  type Pacer,
} from '@herald/core';
import type { RequestHandler } from 'express';
import { clientLimitsOf } from './client-limits';
import { clientOf } from './require-client-token';

/** A client's own rate and burst, where its settings set them. */
export interface RateOverride {
  ratePerSecond?: number | undefined;
  burst?: number | undefined;
}

export interface ClientRateLimitOptions {
  /** Sustained requests per second per client. */
  ratePerSecond: number;
  /** Requests a client may send at once after being idle. */
  burst: number;
  clock: Clock;
  /** At most this many clients are tracked; the least recently seen is forgotten first. */
  maxClients?: number;
  /**
   * Which of a client's overrides (`loadClientLimits`) replace `ratePerSecond` and `burst` for
   * that client alone: `sendOverrides` or `readOverrides`. None by default.
   */
  overrides?: (limits: ClientLimitOverrides) => RateOverride;
}

/** `POST /v1/notifications`: a client's `sendPerSecond` and `sendBurst`. */
export const sendOverrides = (l: ClientLimitOverrides): RateOverride => ({
  ratePerSecond: l.sendPerSecond,
  burst: l.sendBurst,
});

/** `GET /v1/notifications[/:id]`: a client's `readPerSecond` and `readBurst`. */
export const readOverrides = (l: ClientLimitOverrides): RateOverride => ({
  ratePerSecond: l.readPerSecond,
  burst: l.readBurst,
});

interface Rule {
  ratePerSecond: number;
  burst: number;
}

interface Bucket {
  pacer: Pacer;
  rule: Rule;
  lastSeen: number;
}

/**
 * A token bucket per authenticated client (`ratePerSecond`, bursts of `burst`, or the client's
 * own values through `overrides`); a request over the limit fails with `RATE_LIMITED` (429) and
 * `details.retryAfterSeconds`, before its body is read. Register it after `requireClientToken`
 * (and `loadClientLimits` for overrides). The buckets live in this process: with N api instances
 * a client may send N × the rate. A client whose overrides change starts a fresh bucket. Memory is
 * bounded: a bucket idle long enough to have refilled is dropped (a new one starts full, so
 * nothing changes), and past `maxClients` (default 100 000) the least recently seen client is
 * forgotten and gets a fresh burst.
 */
export function clientRateLimit(opts: ClientRateLimitOptions): RequestHandler {
  const { ratePerSecond, burst, clock, maxClients = 100_000, overrides } = opts;
  if (!(ratePerSecond > 0) || !(burst >= 1) || !(maxClients >= 1)) {
    throw new TypeError('clientRateLimit needs ratePerSecond > 0, burst >= 1 and maxClients >= 1');
  }
  // Map order is least recently seen first: every hit moves its client to the end.
  const buckets = new Map<string, Bucket>();

  function bucketOf(clientId: string, rule: Rule, now: number): Bucket {
    for (const [id, b] of buckets) {
      if (now - b.lastSeen < (b.rule.burst / b.rule.ratePerSecond) * 1000) break;
      buckets.delete(id);
    }
    let bucket = buckets.get(clientId);
    if (bucket) buckets.delete(clientId);
    if (!bucket || !sameRule(bucket.rule, rule)) {
      bucket = { pacer: createTokenBucketPacer({ bucket: rule }, clock), rule, lastSeen: now };
      const oldest = buckets.size >= maxClients ? buckets.keys().next().value : undefined;
      if (oldest !== undefined) buckets.delete(oldest);
    }
    bucket.lastSeen = now;
    buckets.set(clientId, bucket);
    return bucket;
  }

  return (_req, res, next) => {
    const { clientId } = clientOf(res);
    const own = overrides?.(clientLimitsOf(res)) ?? {};
    const rule = {
      ratePerSecond: positive(own.ratePerSecond) ?? ratePerSecond,
      burst: positive(own.burst) ?? burst,
    };
    const waitMs = bucketOf(clientId, rule, clock.now().getTime()).pacer.reserve('bucket');
    if (waitMs > 0) {
      throw new AppError('RATE_LIMITED', 'Too many requests; retry later', {
        details: { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) },
      });
    }
    next();
  };
}

function sameRule(a: Rule, b: Rule): boolean {
  return a.ratePerSecond === b.ratePerSecond && a.burst === b.burst;
}

/** Settings are validated when written; anything else falls back to the default, never blocks. */
function positive(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n >= 1 ? n : undefined;
}
