import { ProviderError } from '../errors';
import { silentLogger } from '../ports';
import { DEFAULT_RETRY_POLICY } from '../retry-policy';
import {
  anEmailRequest,
  anSmsRequest,
  FixedClock,
  InMemoryNotificationStore,
  InMemoryQueue,
  RecordingProvider,
  aDeliverDeps,
} from '../testing';
import { createAcceptNotification } from './accept-notification';
import { createDeliverNotification, type DeliverDeps } from './deliver-notification';

function setup(overrides: Partial<DeliverDeps> = {}) {
  const store = new InMemoryNotificationStore();
  const clock = new FixedClock();
  const email = new RecordingProvider<ReturnType<typeof anEmailRequest>>('email', 'smtp');
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
    { email: [email] },
    { retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 }, random: () => 0.5, ...overrides },
  );
  return { store, clock, email, accept, deliver: createDeliverNotification(deps), deps };
}

describe('deliverNotification', () => {
  it('sends once and records Delivered with the provider message id', async () => {
    const { accept, deliver, email, store } = setup();
    const { notification } = await accept({ clientId: 'c', request: anEmailRequest() });

    const outcome = await deliver(notification.id);

    const record = store.records.get(notification.id)!;
    expect(outcome).toEqual({ kind: 'done', status: 'Delivered' });
    expect(email.sent).toHaveLength(1);
    expect(record.status).toBe('Delivered');
    expect(record.provider).toBe('smtp');
    expect(record.providerMessageId).toBe(`msg-${notification.id}`);
    expect(record.events.map((e) => e.type)).toEqual([
      'accepted',
      'attempt_started',
      'provider_accepted',
    ]);
    expect(record.lease).toBeUndefined();
  });

  it('never sends a finished notification again when the message is redelivered', async () => {
    const { accept, deliver, email } = setup();
    const { notification } = await accept({ clientId: 'c', request: anEmailRequest() });
    await deliver(notification.id);

    const again = await deliver(notification.id);

    expect(again).toEqual({ kind: 'done', status: 'Delivered' });
    expect(email.sent).toHaveLength(1);
  });

  it('leaves a notification leased by another worker alone until the lease ends', async () => {
    const { accept, deps, store } = setup();
    const { notification } = await accept({ clientId: 'c', request: anEmailRequest() });
    const other = createDeliverNotification({ ...deps, workerId: 'w2' });
    await store.claim(notification.id, {
      owner: 'w1',
      now: deps.clock.now().toISOString(),
      leaseUntil: '2026-01-01T00:01:00.000Z',
      event: { at: '', type: 'attempt_started' },
    });

    const outcome = await other(notification.id);

    expect(outcome).toEqual({ kind: 'retry-later', delayMs: 60_000 });
  });

  it('schedules a retry with backoff on a transient failure', async () => {
    const { accept, deliver, email, store } = setup();
    email.behaviour = () =>
      Promise.reject(
        new ProviderError('smtp', true, 'SMTP 451', {
          reasonCode: 'provider_unavailable',
          providerCode: '451',
        }),
      );
    const { notification } = await accept({ clientId: 'c', request: anEmailRequest() });

    const outcome = await deliver(notification.id);

    const record = store.records.get(notification.id)!;
    expect(outcome.kind).toBe('retry-later');
    expect(record.status).toBe('Pending');
    expect(record.nextAttemptAt).toBeDefined();
    expect(record.events.at(-1)).toMatchObject({
      type: 'attempt_failed',
      detail: { attempt: 1, code: 'provider_unavailable', providerCode: '451' },
    });
  });

  it('does not retry before the scheduled time', async () => {
    const { accept, deliver, email } = setup();
    email.behaviour = () => Promise.reject(new ProviderError('smtp', true, 'busy'));
    const { notification } = await accept({ clientId: 'c', request: anEmailRequest() });
    await deliver(notification.id);

    const early = await deliver(notification.id);

    expect(early.kind).toBe('retry-later');
    expect(email.sent).toHaveLength(1);
  });

  it('ends Refused with retries_exhausted after the last attempt', async () => {
    const { accept, deliver, email, store, clock } = setup();
    email.behaviour = () => Promise.reject(new ProviderError('smtp', true, 'busy'));
    const { notification } = await accept({ clientId: 'c', request: anEmailRequest() });

    for (let i = 0; i < 3; i++) {
      await deliver(notification.id);
      clock.advance(600_000);
    }

    const record = store.records.get(notification.id)!;
    expect(email.sent).toHaveLength(3);
    expect(record.status).toBe('Refused');
    expect(record.reason?.code).toBe('retries_exhausted');
  });

  it("ends Refused at once on a permanent failure, with the provider's reason code", async () => {
    const { accept, deliver, email, store } = setup();
    email.behaviour = () =>
      Promise.reject(
        new ProviderError('smtp', false, 'SMTP 550', { reasonCode: 'recipient_rejected' }),
      );
    const { notification } = await accept({ clientId: 'c', request: anEmailRequest() });

    await deliver(notification.id);

    const record = store.records.get(notification.id)!;
    expect(email.sent).toHaveLength(1);
    expect(record.status).toBe('Refused');
    expect(record.reason).toEqual({ code: 'recipient_rejected', message: 'SMTP 550' });
  });

  it('refuses a channel without a provider as channel_not_configured', async () => {
    const { accept, deliver, store } = setup();
    const { notification } = await accept({ clientId: 'c', request: anSmsRequest() });

    await deliver(notification.id);

    expect(store.records.get(notification.id)?.reason?.code).toBe('channel_not_configured');
  });

  it('refuses an expired notification without sending it', async () => {
    const { accept, deliver, store, email, clock } = setup();
    const { notification } = await accept({
      clientId: 'c',
      request: anEmailRequest({ expiresAt: '2026-01-01T00:01:00.000Z' }),
    });
    clock.advance(120_000);

    await deliver(notification.id);

    expect(email.sent).toHaveLength(0);
    expect(store.records.get(notification.id)?.reason?.code).toBe('expired');
  });

  it('treats an unexpected provider exception as transient', async () => {
    const { accept, deliver, email } = setup();
    email.behaviour = () => Promise.reject(new TypeError('boom'));
    const { notification } = await accept({ clientId: 'c', request: anEmailRequest() });

    expect((await deliver(notification.id)).kind).toBe('retry-later');
  });

  it('drops a message whose notification does not exist', async () => {
    const { deliver } = setup();

    expect(await deliver('ntf_00000000000000000000000000')).toEqual({ kind: 'missing' });
  });
});
