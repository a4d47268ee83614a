import { silentLogger } from '../ports';
import { anEmailRequest, FixedClock, InMemoryNotificationStore, InMemoryQueue } from '../testing';
import { createAcceptNotification } from './accept-notification';

function setup() {
  const store = new InMemoryNotificationStore();
  const queue = new InMemoryQueue();
  const accept = createAcceptNotification({
    store,
    queue,
    clock: new FixedClock(),
    logger: silentLogger,
    sweepAfterMs: 60_000,
  });
  return { store, queue, accept };
}

describe('acceptNotification', () => {
  it('stores a Pending notification with an accepted event, then enqueues its id', async () => {
    const { accept, store, queue } = setup();

    const { notification, replayed } = await accept({ clientId: 'c', request: anEmailRequest() });

    expect(replayed).toBe(false);
    expect(notification.status).toBe('Pending');
    expect(store.records.get(notification.id)?.events).toEqual([
      { at: notification.createdAt, type: 'accepted' },
    ]);
    expect(queue.sent).toEqual([notification.id]);
  });

  it('treats the same key and body, in any key order, as the same notification', async () => {
    const { accept, store } = setup();
    const first = await accept({ clientId: 'c', request: anEmailRequest(), idempotencyKey: 'k' });

    const second = await accept({
      clientId: 'c',
      request: {
        text: 'Thanks for your order.',
        subject: 'Your receipt',
        to: 'ada@example.com',
        channel: 'email',
      },
      idempotencyKey: 'k',
    });

    expect(second).toEqual({ notification: first.notification, replayed: true });
    expect(store.records.size).toBe(1);
  });

  it('re-enqueues a replayed notification that is still Pending, in case the first enqueue was lost', async () => {
    const { accept, queue } = setup();
    await accept({ clientId: 'c', request: anEmailRequest(), idempotencyKey: 'k' });

    await accept({ clientId: 'c', request: anEmailRequest(), idempotencyKey: 'k' });

    expect(queue.sent).toHaveLength(2);
  });

  it.each([
    ['in the past', '2025-12-31T23:59:59.000Z', 'must be in the future'],
    ['more than 30 days ahead', '2026-01-31T00:00:01.000Z', 'must be at most 30 days ahead'],
  ])('rejects an expiresAt %s as VALIDATION_FAILED and stores nothing', async (_n, at, message) => {
    const { accept, store, queue } = setup();

    const attempt = accept({ clientId: 'c', request: anEmailRequest({ expiresAt: at }) });

    await expect(attempt).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'expiresAt', message }],
    });
    expect(store.records.size).toBe(0);
    expect(queue.sent).toEqual([]);
  });

  it('answers a keyed retry of a stored notification whose expiresAt has since passed as a replay', async () => {
    const clock = new FixedClock();
    const store = new InMemoryNotificationStore();
    const accept = createAcceptNotification({
      store,
      queue: new InMemoryQueue(),
      clock,
      logger: silentLogger,
      sweepAfterMs: 60_000,
    });
    const request = anEmailRequest({ expiresAt: '2026-01-01T00:01:00.000Z' });
    const first = await accept({ clientId: 'c', request, idempotencyKey: 'k' });
    clock.advance(120_000);

    const retry = await accept({ clientId: 'c', request, idempotencyKey: 'k' });
    const fresh = accept({ clientId: 'c', request, idempotencyKey: 'other' });

    expect(retry).toEqual({ notification: first.notification, replayed: true });
    await expect(fresh).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(store.records.size).toBe(1);
  });

  it('rejects a key reused with another body as IDEMPOTENCY_MISMATCH', async () => {
    const { accept } = setup();
    await accept({ clientId: 'c', request: anEmailRequest(), idempotencyKey: 'k' });

    await expect(
      accept({ clientId: 'c', request: anEmailRequest({ text: 'other' }), idempotencyKey: 'k' }),
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY_MISMATCH',
    });
  });

  it('answers once the notification is stored, without waiting for the enqueue to finish', async () => {
    const { accept, store, queue } = setup();
    let enqueued = false;
    queue.enqueue = () => new Promise<void>(() => (enqueued = true)); // never answers

    const { notification } = await accept({ clientId: 'c', request: anEmailRequest() });

    expect(enqueued).toBe(true);
    expect(store.records.get(notification.id)?.status).toBe('Pending');
    expect(store.sweepAt.has(notification.id)).toBe(true);
  });

  it('still answers when the queue is down: the notification is stored and the sweeper will enqueue it', async () => {
    const { accept, store, queue } = setup();
    queue.failing = true;

    const { notification } = await accept({ clientId: 'c', request: anEmailRequest() });

    expect(store.records.has(notification.id)).toBe(true);
    expect(store.sweepAt.has(notification.id)).toBe(true);
  });
});
