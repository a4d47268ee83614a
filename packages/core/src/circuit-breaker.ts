import type { Clock } from './ports';

export interface CircuitBreakerOptions {
  /** Consecutive transient failures that open a circuit. */
  failureThreshold: number;
  /** How long an open circuit stays open before one trial call is let through. */
  cooldownMs: number;
  clock: Clock;
  /**
   * Most circuits held at once (least recently used evicted first; an evicted key starts
   * closed). Keys include client-chosen origins, so without a bound any client could grow the
   * map. Default 10,000.
   */
  maxKeys?: number;
}

/**
 * Circuit state per key (`breakerKeyOf`: a provider, or a provider and a client-chosen origin),
 * shared by all deliveries in one worker. A caller that got `true` from `canTry` must end that
 * call with exactly one of `success`, `failure` or `release`: the half-open trial waits for it.
 */
export interface CircuitBreakers {
  /** False while the key's circuit is open: the router skips it (failover). */
  canTry(key: string): boolean;
  /** The provider answered (delivered, or a permanent error about this message): closes it. */
  success(key: string): void;
  /** A transient failure: counts towards opening; a failed trial re-opens for a full cooldown. */
  failure(key: string): void;
  /**
   * The call ended without telling anything about the provider's health (not sent: paced, or
   * the target is not supported). Frees the trial so the next call tests the circuit.
   */
  release(key: string): void;
  /** Circuits held (keys with failures); for tests and metrics. */
  size(): number;
}

const DEFAULT_MAX_KEYS = 10_000;

interface Circuit {
  failures: number;
  openUntil: number;
  /** While a trial call is out, no other call goes through until this time. */
  trialUntil: number;
}

/**
 * Classic closed → open → half-open breakers. While a key keeps failing transiently, traffic
 * moves to the next provider of the channel instead of piling up retries against it; after the
 * cooldown one call tests whether it has recovered. A trial that never reports back (a bug, a
 * crash of its caller) stops blocking after another cooldown, so no outcome leaves a circuit
 * stuck open. Only failing keys hold state: a closed circuit is an absent entry.
 */
export function createCircuitBreakers(opts: CircuitBreakerOptions): CircuitBreakers {
  const maxKeys = opts.maxKeys ?? DEFAULT_MAX_KEYS;
  const circuits = new Map<string, Circuit>();
  const now = () => opts.clock.now().getTime();
  const touch = (key: string, circuit: Circuit) => {
    // Re-inserting moves the key to the end: Map order is the LRU order.
    circuits.delete(key);
    circuits.set(key, circuit);
    if (circuits.size > maxKeys) {
      const oldest = circuits.keys().next();
      if (oldest.done !== true) circuits.delete(oldest.value);
    }
  };
  return {
    canTry(key) {
      const c = circuits.get(key);
      if (c === undefined || c.failures < opts.failureThreshold) return true;
      const t = now();
      if (t < c.openUntil || t < c.trialUntil) return false;
      c.trialUntil = t + opts.cooldownMs; // half-open: exactly one call goes through
      return true;
    },
    success(key) {
      circuits.delete(key);
    },
    failure(key) {
      const c = circuits.get(key) ?? { failures: 0, openUntil: 0, trialUntil: 0 };
      c.failures += 1;
      c.trialUntil = 0;
      if (c.failures >= opts.failureThreshold) c.openUntil = now() + opts.cooldownMs;
      touch(key, c);
    },
    release(key) {
      const c = circuits.get(key);
      if (c !== undefined) c.trialUntil = 0;
    },
    size: () => circuits.size,
  };
}
