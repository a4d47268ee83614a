import { ProviderError } from '../errors';
import { silentLogger } from '../ports';
import { backoffDelayMs, DEFAULT_RETRY_POLICY } from '../retry-policy';
import { FixedClock, InMemoryNotificationStore } from '../testing';
import { aClaimedRecord } from '../testing-delivery';
import { createOutcomeWriter } from './outcome-writer';
import { createRetryScheduler } from './retry-scheduler';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const failure = new ProviderError('twilio', true, 'Twilio is down', {
  reasonCode: 'provider_unavailable',
  providerCode: '503',
});

function setup(maxAttempts = 3) {
  const store = new InMemoryNotificationStore();
  const clock = new FixedClock();
  const common = { store, clock, logger: silentLogger, workerId: 'w1' };
  const retryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts };
  const scheduler = createRetryScheduler({
    ...common,
    retryPolicy,
    sweepAfterMs: 60_000,
    writer: createOutcomeWriter({ ...common, receiptTimeoutMs: 3_600_000 }),
    random: () => 0.5,
  });
  return { store, clock, scheduler, retryPolicy };
}

describe('retry scheduler', () => {
  it('releases the lease with backoff, keeps the attempt counted and tells the sweeper when to look', async () => {
    const { store, clock, scheduler, retryPolicy } = setup();
    const record = await aClaimedRecord(store, clock);
    const delayMs = backoffDelayMs(retryPolicy, 1, () => 0.5);

    const outcome = await scheduler.retryLater(record, failure);

    const stored = store.records.get(record.id)!;
    expect(outcome).toEqual({ kind: 'retry-later', delayMs });
    expect(stored.lease).toBeUndefined();
    expect(stored.attempts).toBe(1);
    expect(stored.nextAttemptAt).toBe(new Date(T0 + delayMs).toISOString());
    expect(store.sweepAt.get(record.id)).toBe(new Date(T0 + delayMs + 60_000).toISOString());
    expect(stored.events.at(-1)).toEqual({
      at: new Date(T0).toISOString(),
      type: 'attempt_failed',
      detail: {
        attempt: 1,
        provider: 'twilio',
        code: 'provider_unavailable',
        providerCode: '503',
        retryAt: new Date(T0 + delayMs).toISOString(),
      },
    });
  });

  it("waits at least the provider's Retry-After, but never past the policy's cap", async () => {
    const { store, clock, scheduler, retryPolicy } = setup();
    const asked = (retryAfterMs: number) =>
      new ProviderError('fcm', true, 'FCM quota', {
        reasonCode: 'provider_unavailable',
        retryAfterMs,
      });

    const first = await scheduler.retryLater(await aClaimedRecord(store, clock), asked(120_000));
    const second = await scheduler.retryLater(await aClaimedRecord(store, clock), asked(3_600_000));

    expect(first).toEqual({ kind: 'retry-later', delayMs: 120_000 });
    expect(second).toEqual({ kind: 'retry-later', delayMs: retryPolicy.maxDelayMs });
  });

  it('refuses with retries_exhausted once the last attempt failed', async () => {
    const { store, clock, scheduler } = setup(1);
    const record = await aClaimedRecord(store, clock);

    const outcome = await scheduler.retryLater(record, failure);

    expect(outcome).toEqual({ kind: 'done', status: 'Refused' });
    expect(store.records.get(record.id)!.reason).toEqual({
      code: 'retries_exhausted',
      message: 'Gave up after 1 attempts: Twilio is down',
    });
  });

  it('defers a paced notification by the wait and refunds the attempt', async () => {
    const { store, clock, scheduler } = setup();
    const record = await aClaimedRecord(store, clock);

    const outcome = await scheduler.deferForPacing(record, 'twilio', 7_000);

    const stored = store.records.get(record.id)!;
    expect(outcome).toEqual({ kind: 'retry-later', delayMs: 7_000 });
    expect(stored.attempts).toBe(0);
    expect(stored.nextAttemptAt).toBe(new Date(T0 + 7_000).toISOString());
    expect(stored.events.at(-1)?.detail).toMatchObject({ provider: 'twilio', code: 'paced' });
  });

  it('still hands the message back when another worker took the lease meanwhile', async () => {
    const { store, clock, scheduler } = setup();
    const record = await aClaimedRecord(store, clock);
    store.records.get(record.id)!.lease = {
      owner: 'w2',
      until: new Date(T0 + 60_000).toISOString(),
    };

    const outcome = await scheduler.retryLater(record, failure);

    expect(outcome.kind).toBe('retry-later');
    expect(store.records.get(record.id)!.lease?.owner).toBe('w2');
    expect(store.records.get(record.id)!.nextAttemptAt).toBeUndefined();
  });
});
