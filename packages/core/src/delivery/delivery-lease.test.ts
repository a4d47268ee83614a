import { deliveryLeaseMs } from './delivery-lease';

describe('deliveryLeaseMs', () => {
  it('covers one pacing wait and twice the send timeout per provider, plus the send timeout as margin', () => {
    expect(
      deliveryLeaseMs({ longestRoute: 2, maxPacingWaitMs: 2_000, sendTimeoutMs: 10_000 }),
    ).toBe(2 * (2_000 + 20_000) + 10_000);
  });

  it('caps the margin at 30 s', () => {
    expect(deliveryLeaseMs({ longestRoute: 1, maxPacingWaitMs: 0, sendTimeoutMs: 60_000 })).toBe(
      120_000 + 30_000,
    );
  });

  it('counts a route with no provider as one', () => {
    expect(deliveryLeaseMs({ longestRoute: 0, maxPacingWaitMs: 1_000, sendTimeoutMs: 1_000 })).toBe(
      deliveryLeaseMs({ longestRoute: 1, maxPacingWaitMs: 1_000, sendTimeoutMs: 1_000 }),
    );
  });
});
