import { silentLogger } from '../ports';
import { anEmailRequest, FixedClock, InMemoryNotificationStore, InMemoryQueue } from '../testing';
import { createAcceptNotification } from './accept-notification';
import { createSweepPending } from './sweep-pending';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function setup() {
  const store = new InMemoryNotificationStore();
  const queue = new InMemoryQueue();
  const clock = new FixedClock(new Date(T0));
  const deps = { store, queue, clock, logger: silentLogger, sweepAfterMs: 60_000 };
  const accept = createAcceptNotification(deps);
  const sweep = createSweepPending({ ...deps, batchSize: 100, lookAheadMs: 15_000 });
  return { store, queue, clock, accept, sweep };
}

describe('accepting a scheduled notification', () => {
  it('refuses a sendAt in the past, too far ahead or not before expiresAt, listing every problem, storing nothing', async () => {
    const { accept, store, queue } = setup();
    const cases = [
      { request: anEmailRequest({ sendAt: at(-1) }), paths: ['sendAt'] },
      { request: anEmailRequest({ sendAt: at(31 * 86_400_000) }), paths: ['sendAt'] },
      {
        request: anEmailRequest({ sendAt: at(120_000), expiresAt: at(60_000) }),
        paths: ['sendAt'],
      },
      {
        request: anEmailRequest({ sendAt: at(0), expiresAt: at(-5) }),
        paths: ['expiresAt', 'sendAt', 'sendAt'],
      },
    ];
    for (const { request, paths } of cases) {
      const err = await accept({ clientId: 'c', request }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'VALIDATION_FAILED' });
      const details = (err as { details: { path: string }[] }).details;
      expect(details.map((d) => d.path)).toEqual(paths);
    }
    expect(store.records.size).toBe(0);
    expect(queue.sent).toEqual([]);
  });

  it('accepts a sendAt with any offset, records a scheduled event in UTC and enqueues it hidden until then', async () => {
    const { accept, store, queue } = setup();
    // 00:05:00.500 UTC written in UTC+02:00: the delay rounds up, so it never arrives early.
    const { notification } = await accept({
      clientId: 'c',
      request: anEmailRequest({ sendAt: '2026-01-01T02:05:00.500+02:00' }),
    });

    const record = store.records.get(notification.id);
    expect(notification.status).toBe('Pending');
    expect(record?.events).toEqual([
      { at: at(0), type: 'accepted' },
      { at: at(0), type: 'scheduled', detail: { until: at(300_500) } },
    ]);
    await new Promise((r) => setImmediate(r));
    expect(queue.sent).toEqual([notification.id]);
    expect(queue.delays.get(notification.id)).toBe(301);
    // The sweeper looks again a sweep delay after sendAt, in case that message is lost.
    expect(store.sweepAt.get(notification.id)).toBe(at(360_500));
  });

  it('leaves a sendAt beyond the queue delay limit to the sweeper, which enqueues it shortly before it is due', async () => {
    const { accept, store, queue, clock, sweep } = setup();
    const sendAt = at(3_600_000);
    const { notification } = await accept({ clientId: 'c', request: anEmailRequest({ sendAt }) });
    await new Promise((r) => setImmediate(r));
    expect(queue.sent).toEqual([]);
    expect(store.sweepAt.get(notification.id)).toBe(sendAt);
    expect(store.scheduled.has(notification.id)).toBe(true);

    clock.advance(3_600_000 - 20_000);
    expect(await sweep()).toBe(0);
    clock.advance(10_000); // 10 s before sendAt: within the 15 s look-ahead
    expect(await sweep()).toBe(1);
    expect(queue.delays.get(notification.id)).toBe(10);
    expect(store.sweepAt.get(notification.id)).toBe(at(3_660_000));
    expect(store.scheduled.has(notification.id)).toBe(false);
    expect(await sweep()).toBe(0);

    // The delayed message was lost: the sweep after sendAt + the sweep delay recovers it.
    clock.advance(10_000 + 60_000);
    expect(await sweep()).toBe(1);
    expect(queue.delays.get(notification.id)).toBe(0);
    expect(queue.sent).toEqual([notification.id, notification.id]);
  });

  it('looks ahead only for scheduled notifications: an unscheduled one is swept no earlier than before', async () => {
    const { accept, queue, clock, sweep } = setup();
    queue.failing = true;
    const { notification } = await accept({ clientId: 'c', request: anEmailRequest() });
    await new Promise((r) => setImmediate(r));
    queue.failing = false;

    clock.advance(59_000); // within the look-ahead of its sweepAt, but not past it
    expect(await sweep()).toBe(0);
    clock.advance(1_000);
    expect(await sweep()).toBe(1);
    expect(queue.sent).toEqual([notification.id]);
    expect(queue.delays.get(notification.id)).toBe(0);
  });

  it('answers a keyed retry of a stored scheduled notification as a replay after its sendAt passed', async () => {
    const { accept, clock } = setup();
    const request = anEmailRequest({ sendAt: at(5_000) });
    const first = await accept({ clientId: 'c', request, idempotencyKey: 'k' });
    clock.advance(10_000);
    const again = await accept({ clientId: 'c', request, idempotencyKey: 'k' });
    expect(again).toMatchObject({ replayed: true, notification: { id: first.notification.id } });
  });
});
