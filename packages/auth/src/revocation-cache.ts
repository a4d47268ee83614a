import { AppError, silentLogger, systemClock } from '@herald/core';
import type { Clock, Logger, RevocationStore } from '@herald/core';

/** Options of {@link createRevocationCache}. */
export interface RevocationCacheOptions {
  store: RevocationStore;
  /** How often to reload the revoked set; a revocation takes effect within this delay. */
  refreshMs?: number;
  logger?: Logger;
  clock?: Clock;
}

/** An in-memory copy of the revoked token ids, reloaded from the store in the background. */
export interface RevocationCache {
  /** Synchronous and cheap: asks the last set loaded. Before the first load, nothing is revoked. */
  isRevoked(jti: string): boolean;
  /** Reloads the set. Never rejects: on failure it keeps the last set and logs a warning. */
  refresh(): Promise<void>;
  /**
   * Loads the set once, then keeps reloading every `refreshMs` on an unref'd timer. Rejects with
   * AppError `UNAVAILABLE` if that first load fails, because serving without knowing which tokens
   * are revoked would honour them.
   */
  start(): Promise<void>;
  /** Stops the reloading. Idempotent. */
  stop(): void;
}

/**
 * Keeps revocations (stored in DynamoDB) in memory so the token verifier can check every request
 * without a network call, while every api instance still honours a revocation within seconds.
 */
export function createRevocationCache(options: RevocationCacheOptions): RevocationCache {
  const refreshMs = options.refreshMs ?? 2000;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  let revoked = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  // Bumped by stop(): a reload still in flight from an earlier start() must not reschedule.
  let generation = 0;
  let started: Promise<void> | undefined;

  async function load(): Promise<void> {
    revoked = new Set(await options.store.listRevoked(clock.now().toISOString()));
  }

  async function refresh(): Promise<void> {
    try {
      await load();
    } catch (err) {
      logger.warn(
        { err, revokedCount: revoked.size },
        'revocation refresh failed; keeping last set',
      );
    }
  }

  function schedule(gen: number): void {
    // A timeout chain, not setInterval, so a slow store never gets overlapping reloads.
    timer = setTimeout(() => {
      void refresh().then(() => {
        if (gen === generation) schedule(gen);
      });
    }, refreshMs);
    timer.unref();
  }

  async function firstLoad(gen: number): Promise<void> {
    try {
      await load();
    } catch (cause) {
      started = undefined;
      throw new AppError('UNAVAILABLE', 'cannot load revoked tokens', { cause });
    }
    if (gen === generation) schedule(gen);
  }

  return {
    isRevoked: (jti) => revoked.has(jti),
    refresh,
    start() {
      started ??= firstLoad(generation);
      return started;
    },
    stop() {
      generation += 1;
      started = undefined;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
