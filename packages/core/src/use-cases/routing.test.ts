import { createCircuitBreakers } from '../circuit-breaker';
import { ProviderError } from '../errors';
import { silentLogger } from '../ports';
import { DEFAULT_RETRY_POLICY } from '../retry-policy';
import type { NotificationRequest } from '../schemas/notification-request';
import {
  anSmsRequest,
  FixedClock,
  InMemoryDeadTargets,
  InMemoryNotificationStore,
  InMemoryQueue,
  RecordingProvider,
  RecordingStatusPublisher,
  aDeliverDeps,
} from '../testing';
import { createTokenBucketPacer } from '../token-bucket';
import { createAcceptNotification } from './accept-notification';
import { createDeliverNotification, type DeliverDeps } from './deliver-notification';
import { createRecordReceipt } from './record-receipt';

const webPushRequest: NotificationRequest = {
  channel: 'push',
  to: { webPush: { endpoint: 'https://push.example.com/sub/1', keys: { p256dh: 'k', auth: 'a' } } },
  title: 'Hi',
  body: 'There',
};

function setup(overrides: Partial<DeliverDeps> = {}) {
  const store = new InMemoryNotificationStore();
  const clock = new FixedClock();
  const primary = new RecordingProvider<NotificationRequest>('sms', 'twilio');
  const secondary = new RecordingProvider<NotificationRequest>('sms', 'sns');
  const push = new RecordingProvider<NotificationRequest>('push', 'web-push');
  const events = new RecordingStatusPublisher();
  const deadTargets = new InMemoryDeadTargets();
  const accept = createAcceptNotification({
    store,
    queue: new InMemoryQueue(),
    clock,
    logger: silentLogger,
    sweepAfterMs: 60_000,
  });
  const deps = aDeliverDeps(
    store,
    clock,
    { sms: [primary, secondary], push: [push] },
    {
      retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 },
      receiptTimeoutMs: 3_600_000,
      events,
      deadTargets,
      random: () => 0.5,
      ...overrides,
    },
  );
  const send = async (request: NotificationRequest = anSmsRequest()) =>
    (await accept({ clientId: 'c', request })).notification.id;
  return {
    store,
    clock,
    primary,
    secondary,
    push,
    events,
    deadTargets,
    send,
    deps,
    deliver: createDeliverNotification(deps),
  };
}

const transient = (name: string) =>
  Promise.reject(
    new ProviderError(name, true, `${name} is down`, { reasonCode: 'provider_unavailable' }),
  );

describe('provider routing', () => {
  it('fails over to the next provider on a transient failure and delivers once', async () => {
    const { deliver, primary, secondary, store, send } = setup();
    primary.behaviour = () => transient('twilio');
    const id = await send();

    await deliver(id);

    const record = store.records.get(id)!;
    expect(primary.sent).toHaveLength(1);
    expect(secondary.sent).toHaveLength(1);
    expect(record.status).toBe('Delivered');
    expect(record.provider).toBe('sns');
    expect(record.events.at(-1)?.detail).toMatchObject({
      failedOver: 'twilio:provider_unavailable',
    });
  });

  it('does not fail over on a permanent recipient error', async () => {
    const { deliver, primary, secondary, store, send } = setup();
    primary.behaviour = () =>
      Promise.reject(
        new ProviderError('twilio', false, 'opted out', { reasonCode: 'recipient_opted_out' }),
      );
    const id = await send();

    await deliver(id);

    expect(secondary.sent).toHaveLength(0);
    expect(store.records.get(id)?.reason?.code).toBe('recipient_opted_out');
  });

  it('skips a provider whose circuit is open', async () => {
    const clock = new FixedClock();
    const breakers = createCircuitBreakers({ failureThreshold: 2, cooldownMs: 30_000, clock });
    const { deliver, primary, secondary, send } = setup({ breakers, clock });
    primary.behaviour = () => transient('twilio');

    for (let i = 0; i < 3; i++) await deliver(await send());

    expect(primary.sent).toHaveLength(2);
    expect(secondary.sent).toHaveLength(3);
  });

  it('retries later when every provider fails transiently', async () => {
    const { deliver, primary, secondary, store, send } = setup();
    primary.behaviour = () => transient('twilio');
    secondary.behaviour = () => transient('sns');
    const id = await send();

    const outcome = await deliver(id);

    expect(outcome.kind).toBe('retry-later');
    expect(store.records.get(id)?.status).toBe('Pending');
  });

  it('refuses a dead target at once and records a newly dead one', async () => {
    const { deliver, push, store, deadTargets, send } = setup();
    push.behaviour = () =>
      Promise.reject(
        new ProviderError('web-push', false, 'gone', {
          reasonCode: 'subscription_gone',
          deadTarget: true,
        }),
      );
    const first = await send(webPushRequest);
    const second = await send(webPushRequest);

    await deliver(first);
    await deliver(second);

    expect(push.sent).toHaveLength(1);
    expect(deadTargets.dead.size).toBe(1);
    expect(store.records.get(second)?.reason?.code).toBe('subscription_gone');
  });

  it('hands a paced notification back without using up an attempt', async () => {
    const clock = new FixedClock();
    const pacer = createTokenBucketPacer({ twilio: { ratePerSecond: 0.1, burst: 1 } }, clock);
    const { deliver, store, send, primary } = setup({ pacer, clock, maxPacingWaitMs: 1_000 });
    await deliver(await send());
    const paced = await send();

    const outcome = await deliver(paced);

    expect(outcome).toEqual({ kind: 'retry-later', delayMs: 10_000 });
    expect(primary.sent).toHaveLength(1);
    expect(store.records.get(paced)?.attempts).toBe(0);
  });

  it('publishes the final status, with the callback URL when one was given', async () => {
    const { deliver, events, send } = setup();
    const id = await send({
      ...anSmsRequest(),
      callbackUrl: 'https://app.example.com/hooks/herald',
    });

    await deliver(id);

    expect(events.events).toEqual([
      expect.objectContaining({
        id,
        status: 'Delivered',
        provider: 'twilio',
        callbackUrl: 'https://app.example.com/hooks/herald',
      }),
    ]);
  });
});

describe('delivery receipts', () => {
  it('keeps an accepted notification Pending until its receipt, then applies it forward only', async () => {
    const { deliver, primary, store, send, deps, events } = setup();
    primary.behaviour = () => Promise.resolve({ providerMessageId: 'SM1', awaitingReceipt: true });
    const recordReceipt = createRecordReceipt({ ...deps, events });
    const id = await send();

    await deliver(id);
    const pending = store.records.get(id)!.status;
    const redelivered = await deliver(id);
    const applied = await recordReceipt({
      notificationId: id,
      provider: 'twilio',
      providerMessageId: 'SM1',
      outcome: 'delivered',
      providerStatus: 'delivered',
    });
    const late = await recordReceipt({
      notificationId: id,
      provider: 'twilio',
      providerMessageId: 'SM1',
      outcome: 'failed',
      providerStatus: 'undelivered',
    });

    expect(pending).toBe('Pending');
    expect(redelivered.kind).toBe('retry-later');
    expect(primary.sent).toHaveLength(1);
    expect([applied, late]).toEqual([true, false]);
    expect(store.records.get(id)?.status).toBe('Delivered');
  });

  it("refuses on a failed receipt with the provider's reason", async () => {
    const { deliver, primary, store, send, deps, events } = setup();
    primary.behaviour = () => Promise.resolve({ providerMessageId: 'SM2', awaitingReceipt: true });
    const id = await send();
    await deliver(id);

    await createRecordReceipt({ ...deps, events })({
      notificationId: id,
      provider: 'twilio',
      providerMessageId: 'SM2',
      outcome: 'failed',
      providerStatus: 'undelivered',
      reason: { code: 'recipient_unreachable', message: 'Twilio 30003' },
    });

    expect(store.records.get(id)?.reason?.code).toBe('recipient_unreachable');
  });

  it("counts the provider's acceptance as delivery when no receipt arrives in time", async () => {
    const { deliver, primary, store, send, clock } = setup();
    primary.behaviour = () => Promise.resolve({ providerMessageId: 'SM3', awaitingReceipt: true });
    const id = await send();
    await deliver(id);
    clock.advance(3_600_001);

    await deliver(id);

    expect(primary.sent).toHaveLength(1);
    expect(store.records.get(id)?.status).toBe('Delivered');
  });
  it("applies a receipt that arrived before the worker stored the provider's message id", async () => {
    const { deliver, primary, store, send, deps, events } = setup();
    const recordReceipt = createRecordReceipt({ ...deps, events });
    let early: Promise<boolean> = Promise.resolve(false);
    const id = await send();
    primary.behaviour = () => {
      // Twilio calls back while the worker is still writing the send's outcome.
      early = recordReceipt({
        notificationId: id,
        provider: 'twilio',
        providerMessageId: 'SM9',
        outcome: 'failed',
        providerStatus: 'undelivered',
        reason: { code: 'recipient_unreachable', message: 'Twilio 30003' },
      });
      return Promise.resolve({ providerMessageId: 'SM9', awaitingReceipt: true });
    };

    const outcome = await deliver(id);

    expect(await early).toBe(false);
    expect(outcome).toEqual({ kind: 'done', status: 'Refused' });
    expect(store.records.get(id)?.reason?.code).toBe('recipient_unreachable');
    expect(store.records.get(id)?.parkedReceipts).toBeUndefined();
    expect(events.events.map((e) => e.status)).toEqual(['Refused']);
  });
});
