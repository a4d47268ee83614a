import { silentLogger, systemClock } from '@herald/core';
import type { Clock, Logger } from '@herald/core';
import type { Jwks } from './jwk-shape';

/** What the token verifier needs from a changing key set. */
export interface JwksSource {
  /** The key set in force. Synchronous; the same object until the set changes. */
  current(): Jwks;
  /**
   * Called when a token names a `kid` the current set lacks: reloads unless a reload for that
   * reason ran within the minimum interval (concurrent callers share one). Resolves `true` when
   * the key set changed. Never rejects.
   */
  reloadForUnknownKid(): Promise<boolean>;
}

/** Options of {@link createJwksReloader}. */
export interface JwksReloaderOptions {
  /** The set loaded at start; the api refuses to start without one. */
  initial: Jwks;
  /** Reads the set afresh, e.g. `() => loadJwks(config.HERALD_JWKS)`; rejects on a bad set. */
  load: () => Promise<Jwks>;
  /** How often to reload: a retired key stops verifying within this delay. Default 60 s. */
  refreshMs?: number;
  /** Least time between two reloads asked for by unknown `kid`s. Default 10 s. */
  unknownKidIntervalMs?: number;
  logger?: Logger;
  clock?: Clock;
}

/** A {@link JwksSource} that reloads in the background. */
export interface JwksReloader extends JwksSource {
  /** Reloads now. Resolves `true` when the set changed; on failure keeps the last set and warns. */
  refresh(): Promise<boolean>;
  /** Keeps reloading every `refreshMs` on an unref'd timer until `stop()`. Idempotent. */
  start(): void;
  /** Stops the reloading. Idempotent. */
  stop(): void;
}

/**
 * Keeps the api's trusted keys in step with the JWKS file, so retiring a key (or adding one)
 * takes effect without a restart: periodically, and at once (rate-limited) when a token names a
 * kid the api does not know yet. A set that fails to load or parse leaves the last one in force.
 */
export function createJwksReloader(options: JwksReloaderOptions): JwksReloader {
  const refreshMs = options.refreshMs ?? 60_000;
  const unknownKidIntervalMs = options.unknownKidIntervalMs ?? 10_000;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  let current = options.initial;
  let fingerprint = fingerprintOf(current);
  let inFlight: Promise<boolean> | undefined;
  let lastUnknownKidReload = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  async function load(): Promise<boolean> {
    try {
      const next = await options.load();
      const nextFingerprint = fingerprintOf(next);
      if (nextFingerprint === fingerprint) return false;
      current = next;
      fingerprint = nextFingerprint;
      logger.info({ kids: next.keys.map((k) => k.kid) }, 'JWKS reloaded');
      return true;
    } catch (err) {
      logger.warn({ err }, 'JWKS reload failed; keeping the last key set');
      return false;
    }
  }

  function refresh(): Promise<boolean> {
    // One load at a time: a timer tick and an unknown kid arriving together share it.
    inFlight ??= load().finally(() => (inFlight = undefined));
    return inFlight;
  }

  function schedule(): void {
    // A timeout chain, not setInterval, so a slow disk never gets overlapping reloads.
    timer = setTimeout(() => {
      void refresh().then(() => {
        if (running) schedule();
      });
    }, refreshMs);
    timer.unref();
  }

  return {
    current: () => current,
    refresh,
    reloadForUnknownKid() {
      if (inFlight) return inFlight;
      const now = clock.now().getTime();
      if (now - lastUnknownKidReload < unknownKidIntervalMs) return Promise.resolve(false);
      lastUnknownKidReload = now;
      return refresh();
    },
    start() {
      if (running) return;
      running = true;
      schedule();
    },
    stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

function fingerprintOf(jwks: Jwks): string {
  return JSON.stringify(jwks.keys);
}
