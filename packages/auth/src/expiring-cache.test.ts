import { ExpiringCache } from './expiring-cache';

describe('ExpiringCache', () => {
  it('returns a value until it expires', () => {
    const cache = new ExpiringCache<string>(10);
    cache.set('k', 'v', 1000);

    expect(cache.get('k', 999)).toBe('v');
    expect(cache.get('k', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the oldest entry when full', () => {
    const cache = new ExpiringCache<number>(2);

    cache.set('a', 1, 1000);
    cache.set('b', 2, 1000);
    cache.set('c', 3, 1000);

    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.get('b', 0)).toBe(2);
    expect(cache.get('c', 0)).toBe(3);
  });

  it('stores nothing when its size is 0', () => {
    const cache = new ExpiringCache<number>(0);

    cache.set('a', 1, 1000);

    expect(cache.get('a', 0)).toBeUndefined();
  });
});
