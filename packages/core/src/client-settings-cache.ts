import type { ClientSettings, ClientSettingsReader } from './client-settings';
import type { Clock } from './ports';

/** The longest a cached setting may be served after it changed. */
export const MAX_CLIENT_SETTINGS_TTL_MS = 30_000;

export interface ClientSettingsCacheOptions {
  /** Where settings live (the table); read at most once per client per `ttlMs`. */
  reader: ClientSettingsReader;
  clock: Clock;
  /** How long a read is reused: 0..30 000 ms, default 30 000. 0 reads through every time. */
  ttlMs?: number;
  /** At most this many clients are remembered (default 10 000); the oldest read goes first. */
  maxClients?: number;
}

interface Entry {
  settings: ClientSettings | undefined;
  expiresAtMs: number;
}

/**
 * A `ClientSettingsReader` that reuses each client's settings for `ttlMs`, so the api and the
 * worker do not read the table on every request, while a change made with `herald client set`
 * applies everywhere within 30 s. A client without settings is remembered as such (no read per
 * request either). Concurrent reads of one client share one call to `reader`. A failed read is
 * passed to every caller waiting on it and not remembered: the next call tries again.
 */
export function createClientSettingsCache(opts: ClientSettingsCacheOptions): ClientSettingsReader {
  const { reader, clock, ttlMs = MAX_CLIENT_SETTINGS_TTL_MS, maxClients = 10_000 } = opts;
  if (!(ttlMs >= 0 && ttlMs <= MAX_CLIENT_SETTINGS_TTL_MS) || !(maxClients >= 1)) {
    throw new TypeError('createClientSettingsCache needs 0 <= ttlMs <= 30000 and maxClients >= 1');
  }
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<ClientSettings | undefined>>();

  function remember(clientId: string, settings: ClientSettings | undefined) {
    if (ttlMs === 0) return;
    entries.delete(clientId);
    // A Map iterates in insertion order: its first key is the oldest read.
    while (entries.size >= maxClients) {
      const oldest = entries.keys().next();
      if (oldest.done === true) break;
      entries.delete(oldest.value);
    }
    entries.set(clientId, { settings, expiresAtMs: clock.now().getTime() + ttlMs });
  }

  async function load(clientId: string): Promise<ClientSettings | undefined> {
    const settings = await reader.get(clientId);
    remember(clientId, settings);
    return settings;
  }

  return {
    get(clientId) {
      const entry = entries.get(clientId);
      if (entry !== undefined && entry.expiresAtMs > clock.now().getTime()) {
        return Promise.resolve(entry.settings);
      }
      let pending = loading.get(clientId);
      if (pending === undefined) {
        // `finally` runs its callback later, so the delete always follows the set.
        pending = load(clientId).finally(() => loading.delete(clientId));
        loading.set(clientId, pending);
      }
      return pending;
    },
  };
}
