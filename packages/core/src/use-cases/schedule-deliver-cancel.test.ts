import { silentLogger } from '../ports';
import {
  aDeliverDeps,
  anEmailRequest,
  FixedClock,
  InMemoryNotificationStore,
  InMemoryQueue,
  RecordingProvider,
  RecordingStatusPublisher,
} from '../testing';
import { createAcceptNotification } from './accept-notification';
import { createCancelNotification } from './cancel-notification';
import { createDeliverNotification } from './deliver-notification';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function setup() {
  const store = new InMemoryNotificationStore();
  const clock = new FixedClock(new Date(T0));
  const email = new RecordingProvider<ReturnType<typeof anEmailRequest>>('email', 'smtp');
  const events = new RecordingStatusPublisher();
  const accept = createAcceptNotification({
    store,
    queue: new InMemoryQueue(),
    clock,
    logger: silentLogger,
    sweepAfterMs: 60_000,
  });
  const deliver = createDeliverNotification(aDeliverDeps(store, clock, { email: [email] }));
  const cancel = createCancelNotification({ store, clock, logger: silentLogger, events });
  const scheduled = async (clientId = 'client-a', sendAtMs = 30_000) =>
    (await accept({ clientId, request: anEmailRequest({ sendAt: at(sendAtMs) }) })).notification.id;
  return { store, clock, email, events, deliver, cancel, scheduled };
}

describe('a scheduled notification in the worker', () => {
  it('is not claimed before sendAt: the message is handed back until then, using no attempt', async () => {
    const { store, clock, email, deliver, scheduled } = setup();
    const id = await scheduled();

    clock.advance(12_300);
    const early = await deliver(id);

    expect(early).toEqual({ kind: 'retry-later', delayMs: 17_700 });
    expect(email.sent).toEqual([]);
    expect(store.records.get(id)).toMatchObject({ attempts: 0, status: 'Pending' });
    expect(store.records.get(id)?.lease).toBeUndefined();

    clock.advance(17_700);
    expect(await deliver(id)).toEqual({ kind: 'done', status: 'Delivered' });
    expect(email.sent).toHaveLength(1);
    expect(store.records.get(id)?.attempts).toBe(1);
  });

  it('hands back a message a moment early for at least a second (the queue counts whole seconds)', async () => {
    const { clock, deliver, scheduled } = setup();
    const id = await scheduled();
    clock.advance(29_800);
    expect(await deliver(id)).toEqual({ kind: 'retry-later', delayMs: 1_000 });
  });
});

describe('cancelNotification', () => {
  it('refuses a notification that has not started sending as cancelled, owes and publishes its event, and the worker then drops it', async () => {
    const { store, clock, email, events, deliver, cancel, scheduled } = setup();
    const id = await scheduled();
    clock.advance(1_000);

    const record = await cancel({ clientId: 'client-a', notificationId: id });

    expect(record).toMatchObject({
      status: 'Refused',
      reason: { code: 'cancelled' },
      updatedAt: at(1_000),
    });
    expect(record.events.at(-1)).toEqual({
      at: at(1_000),
      type: 'refused',
      detail: { code: 'cancelled' },
    });
    expect(events.events).toMatchObject([
      { id, status: 'Refused', reason: { code: 'cancelled' }, eventId: `${id}:Refused` },
    ]);
    expect(store.owed.has(id)).toBe(false);
    expect(store.sweepAt.has(id)).toBe(false);

    clock.advance(60_000);
    expect(await deliver(id)).toEqual({ kind: 'done', status: 'Refused' });
    expect(email.sent).toEqual([]);
  });

  it('is a conflict once final, and not found for another client or an unknown id', async () => {
    const { cancel, scheduled } = setup();
    const id = await scheduled();

    await expect(cancel({ clientId: 'client-b', notificationId: id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      cancel({ clientId: 'client-a', notificationId: 'ntf_unknown' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await cancel({ clientId: 'client-a', notificationId: id });
    await expect(cancel({ clientId: 'client-a', notificationId: id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('is a conflict while a worker holds the lease, and possible again once that lease has run out', async () => {
    const { store, clock, cancel, scheduled } = setup();
    const id = await scheduled('client-a', 1);
    clock.advance(1);
    const claimed = await store.claim(id, {
      owner: 'w1',
      now: at(1),
      leaseUntil: at(60_001),
      event: { at: at(1), type: 'attempt_started' },
    });
    expect(claimed.kind).toBe('claimed');

    await expect(cancel({ clientId: 'client-a', notificationId: id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // A worker that crashed mid-attempt: its lease ran out, nothing is in progress any more.
    clock.advance(60_000);
    await expect(cancel({ clientId: 'client-a', notificationId: id })).resolves.toMatchObject({
      status: 'Refused',
    });
  });

  it('is a conflict once a provider accepted it and a receipt is awaited', async () => {
    const { store, cancel, scheduled } = setup();
    const id = await scheduled();
    const r = store.records.get(id);
    if (r === undefined) throw new Error('not stored');
    r.awaitingReceiptUntil = at(86_400_000);
    await expect(cancel({ clientId: 'client-a', notificationId: id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('cancels an unscheduled notification that no worker has claimed yet', async () => {
    const { store, cancel } = setup();
    const accept = createAcceptNotification({
      store,
      queue: new InMemoryQueue(),
      clock: new FixedClock(new Date(T0)),
      logger: silentLogger,
      sweepAfterMs: 60_000,
    });
    const { notification } = await accept({ clientId: 'client-a', request: anEmailRequest() });
    await expect(
      cancel({ clientId: 'client-a', notificationId: notification.id }),
    ).resolves.toMatchObject({ status: 'Refused', reason: { code: 'cancelled' } });
  });
});
