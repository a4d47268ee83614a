import type { Clock } from './ports';

/** Sending rate per provider (or provider + sender): `ratePerSecond` with bursts of `burst`. */
export interface PacingRule {
  ratePerSecond: number;
  burst: number;
}

/** Decides when a provider may be called again, so Herald never causes a 429 storm. */
export interface Pacer {
  /**
   * Takes a token for `key` if one is free now (returns 0), else returns how many ms until one
   * will be, without taking it. Keys without a rule are never paced.
   */
  reserve(key: string): number;
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
  return {
    reserve(key) {
      const rule = rules[key];
      if (!rule) return 0;
      const now = clock.now().getTime();
      const b = buckets.get(key) ?? { tokens: rule.burst, at: now };
      b.tokens = Math.min(rule.burst, b.tokens + ((now - b.at) / 1000) * rule.ratePerSecond);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - b.tokens) / rule.ratePerSecond) * 1000);
    },
  };
}

export const unpaced: Pacer = { reserve: () => 0 };
