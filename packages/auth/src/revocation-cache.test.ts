import { silentLogger } from '@herald/core';
import type { Logger, RevocationStore } from '@herald/core';
import { FixedClock } from '@herald/core/testing';
import { createRevocationCache } from './revocation-cache';

class FakeRevocationStore implements RevocationStore {
  readonly until = new Map<string, string>();
  failing = false;
  loads = 0;

  revoke(jti: string, until: string): Promise<void> {
    this.until.set(jti, until);
    return Promise.resolve();
  }

  listRevoked(now: string): Promise<string[]> {
    this.loads += 1;
    if (this.failing) return Promise.reject(new Error('store unreachable'));
    return Promise.resolve([...this.until].filter(([, u]) => u > now).map(([jti]) => jti));
  }
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warn: (_obj, msg) => void warnings.push(msg ?? ''), warnings };
}

const FAR = '2099-01-01T00:00:00.000Z';

describe('createRevocationCache', () => {
  let store: FakeRevocationStore;

  beforeEach(() => {
    jest.useFakeTimers();
    store = new FakeRevocationStore();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('knows the revocations stored before it starts', async () => {
    await store.revoke('j1', FAR);
    const cache = createRevocationCache({ store });

    await cache.start();

    expect(cache.isRevoked('j1')).toBe(true);
    expect(cache.isRevoked('j2')).toBe(false);
    cache.stop();
  });

  it('picks up a new revocation within one refresh period', async () => {
    const cache = createRevocationCache({ store, refreshMs: 2000 });
    await cache.start();

    await store.revoke('j1', FAR);
    await jest.advanceTimersByTimeAsync(2000);

    expect(cache.isRevoked('j1')).toBe(true);
    cache.stop();
  });

  it('keeps the last known set and warns when a refresh fails', async () => {
    await store.revoke('j1', FAR);
    const logger = recordingLogger();
    const cache = createRevocationCache({ store, logger });
    await cache.start();

    store.failing = true;
    await jest.advanceTimersByTimeAsync(2000);

    expect(cache.isRevoked('j1')).toBe(true);
    expect(logger.warnings).toEqual(['revocation refresh failed; keeping last set']);
    store.failing = false;
    await jest.advanceTimersByTimeAsync(2000);
    expect(store.loads).toBe(3);
    cache.stop();
  });

  it('refuses to start when the first load fails', async () => {
    store.failing = true;
    const cache = createRevocationCache({ store });

    await expect(cache.start()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('forgets revocations whose until has passed', async () => {
    const clock = new FixedClock(new Date('2026-01-01T00:00:00.000Z'));
    await store.revoke('j1', '2026-01-01T00:00:05.000Z');
    const cache = createRevocationCache({ store, clock });
    await cache.start();

    clock.advance(10_000);
    await cache.refresh();

    expect(cache.isRevoked('j1')).toBe(false);
    cache.stop();
  });

  it('stops reloading after stop', async () => {
    const cache = createRevocationCache({ store });
    await cache.start();

    cache.stop();
    await jest.advanceTimersByTimeAsync(10_000);

    expect(store.loads).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });
});
