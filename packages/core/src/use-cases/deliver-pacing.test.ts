import { silentLogger, type Clock } from '../ports';
import type { NotificationRequest } from '../schemas/notification-request';
import {
  anSmsRequest,
  InMemoryNotificationStore,
  InMemoryQueue,
  RecordingProvider,
  aDeliverDeps,
} from '../testing';
import { createTokenBucketPacer, type PacingRule } from '../token-bucket';
import { createAcceptNotification } from './accept-notification';
import { createDeliverNotification, type DeliverDeps } from './deliver-notification';

/** Jest's fake timers also fake `Date`, so this clock moves with `advanceTimersByTimeAsync`. */
const fakeTimerClock: Clock = { now: () => new Date() };

function setup(rule: PacingRule, overrides: Partial<DeliverDeps> = {}) {
  const store = new InMemoryNotificationStore();
  const twilio = new RecordingProvider<NotificationRequest>('sms', 'twilio');
  const sentAt: number[] = [];
  twilio.behaviour = (m) => {
    sentAt.push(Date.now());
    return Promise.resolve({ providerMessageId: `SM-${m.notificationId}` });
  };
  const accept = createAcceptNotification({
    store,
    queue: new InMemoryQueue(),
    clock: fakeTimerClock,
    logger: silentLogger,
    sweepAfterMs: 60_000,
  });
  const deps = aDeliverDeps(
    store,
    fakeTimerClock,
    { sms: [twilio] },
    {
      pacer: createTokenBucketPacer({ twilio: rule }, fakeTimerClock),
      random: () => 0.5,
      ...overrides,
    },
  );
  const accepted = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++)
      ids.push((await accept({ clientId: 'c', request: anSmsRequest() })).notification.id);
    return ids;
  };
  return { store, twilio, sentAt, deps, accepted, deliver: createDeliverNotification(deps) };
}

beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00.000Z') }));
afterEach(() => jest.useRealTimers());

describe('pacing in delivery', () => {
  it('sends 32 concurrent deliveries at twilio=1/s one second apart', async () => {
    const { deliver, sentAt, accepted } = setup(
      { ratePerSecond: 1, burst: 1 },
      { maxPacingWaitMs: 60_000 },
    );
    const ids = await accepted(32);
    const t0 = Date.now();

    const all = Promise.all(ids.map((id) => deliver(id)));
    await jest.advanceTimersByTimeAsync(40_000);
    const outcomes = await all;

    expect(outcomes.every((o) => o.kind === 'done' && o.status === 'Delivered')).toBe(true);
    expect(sentAt.map((t) => t - t0)).toEqual(Array.from({ length: 32 }, (_, i) => i * 1000));
  });

  it('hands back what would wait beyond the maximum, without using up an attempt', async () => {
    const { deliver, sentAt, accepted, store } = setup(
      { ratePerSecond: 1, burst: 1 },
      { maxPacingWaitMs: 2_000 },
    );
    const ids = await accepted(32);
    const t0 = Date.now();

    const all = Promise.all(ids.map((id) => deliver(id)));
    await jest.advanceTimersByTimeAsync(5_000);
    const outcomes = await all;

    const handedBack = ids.filter((_, i) => outcomes[i]?.kind === 'retry-later');
    expect(sentAt.map((t) => t - t0)).toEqual([0, 1_000, 2_000]);
    expect(handedBack).toHaveLength(29);
    expect(handedBack.every((id) => store.records.get(id)?.attempts === 0)).toBe(true);
  });

  it('holds the claim through the longest pacing wait and a slow send', async () => {
    const { deliver, twilio, accepted, deps, store } = setup(
      { ratePerSecond: 0.5, burst: 1 },
      { maxPacingWaitMs: 2_000, sendTimeoutMs: 1_000 },
    );
    const [first, paced] = (await accepted(2)) as [string, string];
    await deliver(first);
    twilio.behaviour = (m) =>
      new Promise((resolve) =>
        setTimeout(() => resolve({ providerMessageId: `SM-${m.notificationId}` }), 900),
      );
    const otherWorker = createDeliverNotification({ ...deps, workerId: 'w2' });

    const attempt = deliver(paced);
    await jest.advanceTimersByTimeAsync(2_800);
    const meanwhile = otherWorker(paced);
    await jest.advanceTimersByTimeAsync(2_000);

    expect((await meanwhile).kind).toBe('retry-later');
    expect(await attempt).toEqual({ kind: 'done', status: 'Delivered' });
    expect(twilio.sent.filter((m) => m.notificationId === paced)).toHaveLength(1);
    expect(store.records.get(paced)?.attempts).toBe(1);
  });
});
