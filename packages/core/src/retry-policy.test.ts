import { backoffDelayMs } from './retry-policy';

describe('backoffDelayMs', () => {
  const policy = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 30_000 };

  it('grows exponentially under full jitter and never passes the cap', () => {
    expect(backoffDelayMs(policy, 1, () => 1)).toBe(1_000);
    expect(backoffDelayMs(policy, 3, () => 1)).toBe(4_000);
    expect(backoffDelayMs(policy, 20, () => 1)).toBe(30_000);
  });

  it('keeps a floor so a retry never comes back instantly', () => {
    expect(backoffDelayMs(policy, 3, () => 0)).toBe(250);
  });
});
