import { silentLogger } from '../ports';
import {
  anEmailRequest,
  FixedClock,
  InMemoryNotificationStore,
  InMemoryQueue,
  RecordingProvider,
  RecordingStatusPublisher,
  aDeliverDeps,
} from '../testing';
import { createAcceptNotification } from './accept-notification';
import { createDeliverNotification } from './deliver-notification';
import { createRecordReceipt } from './record-receipt';
import { createStatusRelay, type StatusRelay } from './status-relay';

const RECOVER_AFTER_MS = 60_000;
/** FixedClock's start: every final write below happens then. */
const T0 = '2026-01-01T00:00:00.000Z';
const never = () => new Promise<void>(() => undefined);

function setup() {
  const store = new InMemoryNotificationStore();
  const clock = new FixedClock();
  const provider = new RecordingProvider('email', 'smtp');
  const accept = createAcceptNotification({
    store,
    queue: new InMemoryQueue(),
    clock,
    logger: silentLogger,
    sweepAfterMs: 60_000,
  });
  const relayTo = (events: RecordingStatusPublisher, maxQueued?: number) =>
    createStatusRelay({
      store,
      events,
      clock,
      logger: silentLogger,
      recoverAfterMs: RECOVER_AFTER_MS,
      ...(maxQueued === undefined ? {} : { maxQueued }),
    });
  const deliverWith = (relay: StatusRelay) =>
    createDeliverNotification(
      aDeliverDeps(store, clock, { email: [provider] }, { sendTimeoutMs: 1_000, events: relay }),
    );
  const send = async () =>
    (
      await accept({
        clientId: 'shop',
        request: anEmailRequest({ callbackUrl: 'https://shop.example.com/hook' }),
      })
    ).notification.id;
  return { store, clock, provider, relayTo, deliverWith, send };
}

describe('status events (outbox relay)', () => {
  it('frees the delivery slot at once although the publish hangs, with the event owed in the store', async () => {
    const { store, clock, relayTo, deliverWith, send } = setup();
    const hungSns = new RecordingStatusPublisher();
    hungSns.behaviour = never;
    const id = await send();

    const outcome = await deliverWith(relayTo(hungSns))(id);

    expect(outcome).toEqual({ kind: 'done', status: 'Delivered' });
    expect(hungSns.events).toEqual([
      expect.objectContaining({ eventId: `${id}:Delivered`, id, status: 'Delivered' }),
    ]);
    expect(await store.findOwedEvents(clock.now().toISOString(), 10)).toEqual([id]);
  });

  it('publishes an event lost in a crash on recovery, once, with the same event id', async () => {
    const { store, clock, relayTo, deliverWith, send } = setup();
    const hungSns = new RecordingStatusPublisher();
    hungSns.behaviour = never;
    const id = await send();
    await deliverWith(relayTo(hungSns))(id);
    // The process dies with the publish in flight; a new one starts with a working SNS.
    const sns = new RecordingStatusPublisher();
    const restarted = relayTo(sns);

    const early = await restarted.recover(100);
    clock.advance(RECOVER_AFTER_MS);
    const recovered = await restarted.recover(100);
    const again = await restarted.recover(100);

    expect([early, recovered, again]).toEqual([0, 1, 0]);
    expect(sns.events).toEqual([hungSns.events[0]]);
    expect(sns.events[0]).toEqual({
      eventId: `${id}:Delivered`,
      id,
      clientId: 'shop',
      channel: 'email',
      status: 'Delivered',
      at: T0,
      provider: 'smtp',
      providerMessageId: `msg-${id}`,
      callbackUrl: 'https://shop.example.com/hook',
    });
    expect(store.owed.size).toBe(0);
  });

  it('clears the event once published, and keeps it owed when the publish fails', async () => {
    const { store, clock, relayTo, deliverWith, send } = setup();
    const sns = new RecordingStatusPublisher();
    const relay = relayTo(sns);
    const deliver = deliverWith(relay);
    const published = await send();
    const failed = await send();

    await deliver(published);
    sns.behaviour = () => Promise.reject(new Error('SNS down'));
    await deliver(failed);
    await relay.drain(1_000);

    expect(sns.events.map((e) => e.id)).toEqual([published, failed]);
    expect([...store.owed.keys()]).toEqual([failed]);
    sns.behaviour = () => Promise.resolve();
    clock.advance(RECOVER_AFTER_MS);
    expect(await relay.recover(100)).toBe(1);
    expect(store.owed.size).toBe(0);
  });

  it('never holds more than its bound in memory: the overflow waits in the store for recovery', async () => {
    const { store, clock, relayTo, deliverWith, send } = setup();
    const hungSns = new RecordingStatusPublisher();
    hungSns.behaviour = never;
    const deliver = deliverWith(relayTo(hungSns, 0));
    const ids = [await send(), await send()];

    for (const id of ids) await deliver(id);

    expect(hungSns.events).toEqual([]);
    const sns = new RecordingStatusPublisher();
    clock.advance(RECOVER_AFTER_MS);
    expect(await relayTo(sns).recover(100)).toBe(2);
    expect(sns.events.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect(store.owed.size).toBe(0);
  });

  it('drains on shutdown: waits for the queued publishes, or gives up after the grace period', async () => {
    const { store, relayTo, deliverWith, send } = setup();
    const slowSns = new RecordingStatusPublisher();
    let release: () => void = () => undefined;
    slowSns.behaviour = () => new Promise<void>((resolve) => (release = resolve));
    const relay = relayTo(slowSns);
    const id = await send();
    await deliverWith(relay)(id);

    const givenUp = await Promise.race([
      relay.drain(20).then(() => 'returned'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 200)),
    ]);
    const drained = relay.drain(10_000);
    release();
    await drained;

    expect(givenUp).toBe('returned');
    expect(store.owed.size).toBe(0);
  });

  it('records a receipt-made final status as owed and clears it after publishing', async () => {
    const { store, clock, provider, relayTo, deliverWith, send } = setup();
    provider.behaviour = () => Promise.resolve({ providerMessageId: 'SM1', awaitingReceipt: true });
    const sns = new RecordingStatusPublisher();
    const id = await send();
    await deliverWith(relayTo(sns))(id);
    const apiSns = new RecordingStatusPublisher();
    apiSns.behaviour = never;
    const recordReceipt = createRecordReceipt({
      store,
      clock,
      logger: silentLogger,
      events: apiSns,
    });

    // The api dies while publishing: the worker's recovery publishes the event.
    void recordReceipt({
      notificationId: id,
      provider: 'twilio',
      providerMessageId: 'SM1',
      outcome: 'delivered',
      providerStatus: 'delivered',
    });
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(RECOVER_AFTER_MS);
    const recovered = await relayTo(sns).recover(100);

    expect(recovered).toBe(1);
    expect(apiSns.events).toEqual([
      expect.objectContaining({ eventId: `${id}:Delivered`, status: 'Delivered' }),
    ]);
    expect(sns.events).toEqual(apiSns.events);
    expect(store.owed.size).toBe(0);
  });
});
