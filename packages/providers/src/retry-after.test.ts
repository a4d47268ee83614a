import { retryAfterMs } from './retry-after';

const NOW = new Date('2026-01-01T00:00:00.000Z');

describe('retryAfterMs', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(retryAfterMs('30', NOW)).toBe(30_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:01:00 GMT', NOW)).toBe(60_000);
  });

  it('caps at an hour and floors at zero', () => {
    expect(retryAfterMs('86400', NOW)).toBe(3_600_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', NOW)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(retryAfterMs(null, NOW)).toBeUndefined();
    expect(retryAfterMs('soon', NOW)).toBeUndefined();
    expect(retryAfterMs('-5', NOW)).toBeUndefined();
  });
});
