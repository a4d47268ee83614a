import type { ClientSettings, ClientSettingsReader } from './client-settings';
import { createClientSettingsCache } from './client-settings-cache';
import { FixedClock, InMemoryClientSettings } from './testing';

/** Counts the reads that reach the source, and can hold them until released. */
class CountingReader implements ClientSettingsReader {
  reads = 0;
  failing = false;
  private held: (() => void)[] = [];
  hold = false;
  constructor(private readonly source: InMemoryClientSettings) {}
  async get(clientId: string): Promise<ClientSettings | undefined> {
    this.reads++;
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.failing) throw new Error('store down');
    return this.source.get(clientId);
  }
  release() {
    this.held.splice(0).forEach((resolve) => resolve());
  }
}

let clock: FixedClock;
let source: InMemoryClientSettings;
let reader: CountingReader;

beforeEach(() => {
  clock = new FixedClock();
  source = new InMemoryClientSettings();
  reader = new CountingReader(source);
});

describe('createClientSettingsCache', () => {
  it('reads a client once per ttl, and sees a change after it', async () => {
    const cache = createClientSettingsCache({ reader, clock, ttlMs: 30_000 });
    source.set('a', { allowedSlackWebhooks: ['ops'] });
    await cache.get('a');
    source.set('a', { allowedSlackWebhooks: [] });

    const within = await cache.get('a');
    clock.advance(29_999);
    const stillWithin = await cache.get('a');
    clock.advance(1);
    const after = await cache.get('a');

    expect(within?.allowedSlackWebhooks).toEqual(['ops']);
    expect(stillWithin?.allowedSlackWebhooks).toEqual(['ops']);
    expect(after?.allowedSlackWebhooks).toEqual([]);
    expect(reader.reads).toBe(2);
  });

  it('remembers a client without settings too', async () => {
    const cache = createClientSettingsCache({ reader, clock });

    await cache.get('nobody');
    const again = await cache.get('nobody');

    expect(again).toBeUndefined();
    expect(reader.reads).toBe(1);
  });

  it('shares one read among concurrent callers', async () => {
    const cache = createClientSettingsCache({ reader, clock });
    source.set('a', { limits: { recipientCap: 3 } });
    reader.hold = true;

    const pending = [cache.get('a'), cache.get('a'), cache.get('a')];
    reader.release();
    const results = await Promise.all(pending);

    expect(reader.reads).toBe(1);
    expect(results.map((r) => r?.limits.recipientCap)).toEqual([3, 3, 3]);
  });

  it('does not remember a failed read', async () => {
    const cache = createClientSettingsCache({ reader, clock });
    reader.failing = true;

    await expect(cache.get('a')).rejects.toThrow('store down');
    reader.failing = false;
    const later = await cache.get('a');

    expect(later).toBeUndefined();
    expect(reader.reads).toBe(2);
  });

  it('keeps at most maxClients entries, dropping the oldest first', async () => {
    const cache = createClientSettingsCache({ reader, clock, maxClients: 2 });

    await cache.get('a');
    await cache.get('b');
    await cache.get('c');
    await cache.get('c');
    await cache.get('a');

    expect(reader.reads).toBe(4);
  });

  it('refuses a ttl above 30 s, so a changed setting never takes longer to apply', () => {
    expect(() => createClientSettingsCache({ reader, clock, ttlMs: 30_001 })).toThrow(TypeError);
  });

  it('reads through every time with a ttl of 0', async () => {
    const cache = createClientSettingsCache({ reader, clock, ttlMs: 0 });

    await cache.get('a');
    await cache.get('a');

    expect(reader.reads).toBe(2);
  });
});
