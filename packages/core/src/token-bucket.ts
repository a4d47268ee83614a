import type { Clock } from './ports';

/** Sending rate per provider (or provider + sender): `ratePerSecond` with bursts of `burst`. */
export interface PacingRule {
  ratePerSecond: number;
  burst: number;
}

/** Decides when a provider may be called again, so Herald never causes a 429 storm. */
export interface Pacer {
  /**
   * Take-or-tell: takes a token for `key` if one is free now (returns 0), else takes nothing and
   * returns how many ms until one will be. Callers that get a wait must not act on it as if they
   * held a slot (concurrent callers all get the same wait): it suits a rate limit that refuses
   * with `Retry-After`, not a sender that sleeps and then sends. Keys without a rule are never
   * paced.
   */
  reserve(key: string): number;
  /**
   * Books a slot for a caller that will wait and then send. When the wait for the next slot is
   * at most `maxWaitMs`, takes it (the bucket goes into debt, so the next caller's wait is one
   * interval longer) and returns `{ reserved: true, waitMs }`: the caller sleeps `waitMs`, then
   * sends. Otherwise takes nothing and returns `{ reserved: false, waitMs }` (the wait for a
   * slot as things stand): the caller defers the work. Keys without a rule: `{ true, 0 }`.
   */
  schedule(key: string, maxWaitMs: number): { reserved: boolean; waitMs: number };
}

/**
 * In-memory token buckets, one per key. Each worker process paces on its own: with N workers the
 * provider sees at most N × the rate, so rules are set per worker (documented in the README).
 */
export function createTokenBucketPacer(
  rules: Readonly<Record<string, PacingRule>>,
  clock: Clock,
): Pacer {
  const buckets = new Map<string, { tokens: number; at: number }>();
  /** The key's bucket refilled to now; `tokens` below 0 is debt booked by `schedule`. */
  const refill = (key: string, rule: PacingRule) => {
    const now = clock.now().getTime();
    const b = buckets.get(key) ?? { tokens: rule.burst, at: now };
    b.tokens = Math.min(rule.burst, b.tokens + ((now - b.at) / 1000) * rule.ratePerSecond);
    b.at = now;
    buckets.set(key, b);
    return b;
  };
  const waitFor = (tokens: number, rule: PacingRule) =>
    Math.ceil(((1 - tokens) / rule.ratePerSecond) * 1000);
  return {
    reserve(key) {
      const rule = rules[key];
      if (!rule) return 0;
      const b = refill(key, rule);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return waitFor(b.tokens, rule);
    },
    schedule(key, maxWaitMs) {
      const rule = rules[key];
      if (!rule) return { reserved: true, waitMs: 0 };
      const b = refill(key, rule);
      const waitMs = b.tokens >= 1 ? 0 : waitFor(b.tokens, rule);
      if (waitMs > maxWaitMs) return { reserved: false, waitMs };
      b.tokens -= 1;
      return { reserved: true, waitMs };
    },
  };
}

export const unpaced: Pacer = {
  reserve: () => 0,
  schedule: () => ({ reserved: true, waitMs: 0 }),
};
