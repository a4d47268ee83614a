import type { Clock } from './ports';

export interface CircuitBreakerOptions {
  /** Consecutive transient failures that open a provider's circuit. */
  failureThreshold: number;
  /** How long an open circuit stays open before one trial call is let through. */
  cooldownMs: number;
  clock: Clock;
}

/** Per-provider circuit state, shared by all deliveries in one worker. */
export interface CircuitBreakers {
  /** False while the provider's circuit is open: the router skips it (failover). */
  canTry(provider: string): boolean;
  success(provider: string): void;
  failure(provider: string): void;
}

/**
 * Classic closed → open → half-open breakers, one per provider name. While a provider keeps
 * failing transiently, traffic moves to the next provider of the channel instead of piling up
 * retries against it; after the cooldown one call tests whether it has recovered.
 */
export function createCircuitBreakers(opts: CircuitBreakerOptions): CircuitBreakers {
  const state = new Map<string, { failures: number; openUntil: number; trial: boolean }>();
  const get = (name: string) => {
    let s = state.get(name);
    if (!s) state.set(name, (s = { failures: 0, openUntil: 0, trial: false }));
    return s;
  };
  return {
    canTry(name) {
      const s = get(name);
      if (s.failures < opts.failureThreshold) return true;
      if (opts.clock.now().getTime() < s.openUntil || s.trial) return false;
      s.trial = true; // half-open: exactly one call goes through
      return true;
    },
    success(name) {
      state.set(name, { failures: 0, openUntil: 0, trial: false });
    },
    failure(name) {
      const s = get(name);
      s.failures += 1;
      s.trial = false;
      if (s.failures >= opts.failureThreshold)
        s.openUntil = opts.clock.now().getTime() + opts.cooldownMs;
    },
  };
}
