import { silentLogger } from '../ports';
import { aPendingRecord, FixedClock, InMemoryNotificationStore, InMemoryQueue } from '../testing';
import { createSweepPending } from './sweep-pending';

/** The sweep returns every entry to its own lane's queue and serves the transactional one first. */
describe('sweepPending, lanes', () => {
  function setup(batchSize = 100) {
    const store = new InMemoryNotificationStore();
    const queue = new InMemoryQueue();
    const clock = new FixedClock();
    const sweep = createSweepPending({
      store,
      queue,
      clock,
      logger: silentLogger,
      sweepAfterMs: 60_000,
      batchSize,
      lookAheadMs: 10_000,
    });
    return { store, queue, clock, sweep };
  }
  const past = (clock: FixedClock, ms: number) =>
    new Date(clock.now().getTime() - ms).toISOString();

  it('re-enqueues a lost bulk child on the bulk queue and a direct send on the transactional one', async () => {
    const { store, queue, clock, sweep } = setup();
    await store.create(aPendingRecord({ id: 'direct' }), past(clock, 1));
    await store.create(aPendingRecord({ id: 'child', lane: 'bulk' }), past(clock, 1));

    expect(await sweep()).toBe(2);

    expect(queue.sent.sort()).toEqual(['child', 'direct']);
    expect(queue.bulk).toEqual(['child']);
  });

  it('enqueues a scheduled bulk child on the bulk queue, hidden until its sendAt', async () => {
    const { store, queue, clock, sweep } = setup();
    const sendAt = new Date(clock.now().getTime() + 5_000).toISOString();
    await store.create(aPendingRecord({ id: 'later', lane: 'bulk' }), sendAt, true);

    await sweep();

    expect(queue.bulk).toEqual(['later']);
    expect(queue.delays.get('later')).toBe(5);
    expect(store.scheduled.has('later')).toBe(false);
  });

  it('serves the transactional lane first when more are due than one batch takes', async () => {
    const { store, queue, clock, sweep } = setup(3);
    for (let i = 0; i < 5; i++) {
      // The bulk children are older, so oldest-first alone would pick them.
      await store.create(aPendingRecord({ id: `child-${i}`, lane: 'bulk' }), past(clock, 60_000));
    }
    await store.create(aPendingRecord({ id: 'direct' }), past(clock, 1));

    expect(await sweep()).toBe(3);

    expect(queue.sent).toEqual(['direct', 'child-0', 'child-1']);
    expect(queue.bulk).toEqual(['child-0', 'child-1']);
  });
});
