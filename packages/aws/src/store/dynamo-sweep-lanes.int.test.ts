/**
 * DynamoNotificationStore on dynalite: the bulk lane survives every write that keeps a
 * notification Pending, so the sweeper returns a lost topic child to the bulk queue.
 */
import { createSweepPending, silentLogger } from '@herald/core';
import { FixedClock, InMemoryQueue } from '@herald/core/testing';
import { at, T0 } from '../testing-dynalite';
import { aRecord, claimBy, delivered, useDynaliteStore } from '../testing-store';

describe('DynamoNotificationStore lanes (dynalite)', () => {
  const db = useDynaliteStore();
  const ids = (entries: { id: string }[]) => entries.map((e) => e.id);

  it('keeps bulk items in their own sweep family, each entry naming its lane', async () => {
    const store = await db.freshStore();
    const direct = aRecord();
    const child = aRecord({ lane: 'bulk' });
    await store.create(direct, at(10));
    await store.create(child, at(5));

    expect(ids(await store.findDueForSweep(at(20), 10, 'transactional'))).toEqual([direct.id]);
    expect(await store.findDueForSweep(at(20), 10, 'bulk')).toEqual([
      { id: child.id, sweepAt: at(5), lane: 'bulk' },
    ]);
    // Both lanes: the transactional one first although the child is older.
    expect(ids(await store.findDueForSweep(at(20), 10))).toEqual([direct.id, child.id]);
    expect(ids(await store.findDueForSweep(at(20), 1))).toEqual([direct.id]);
    expect((await store.get(child.id))?.lane).toBe('bulk');
    expect(await store.get(direct.id)).not.toHaveProperty('lane');
  });

  it('a retry, a receipt wait and markSwept keep a bulk item in the bulk lane', async () => {
    const store = await db.freshStore();
    const retried = aRecord({ lane: 'bulk' });
    const awaiting = aRecord({ lane: 'bulk' });
    const swept = aRecord({ lane: 'bulk' });
    for (const r of [retried, awaiting, swept]) await store.create(r, at(10));
    const claimed = await store.claim(retried.id, claimBy('w1', 1));
    expect(claimed.kind === 'claimed' && claimed.record.lane).toBe('bulk');
    await store.scheduleRetry(retried.id, {
      owner: 'w1',
      now: at(2),
      nextAttemptAt: at(40),
      sweepAt: at(50),
      event: { at: at(2), type: 'attempt_failed' },
      lane: 'bulk',
    });
    await store.claim(awaiting.id, claimBy('w1', 1));
    await store.complete(awaiting.id, {
      owner: 'w1',
      now: at(2),
      outcome: { status: 'Pending', provider: 'twilio', providerMessageId: 'SM1', until: at(60) },
      event: { at: at(2), type: 'provider_accepted' },
      lane: 'bulk',
    });
    await store.markSwept(swept.id, at(70), 'bulk');

    expect(await store.findDueForSweep(at(100), 10, 'transactional')).toEqual([]);
    expect(ids(await store.findDueForSweep(at(100), 10, 'bulk'))).toEqual([
      retried.id,
      awaiting.id,
      swept.id,
    ]);
  });

  it('a final bulk item leaves the sweep and owes its event in the ordinary outbox', async () => {
    const store = await db.freshStore();
    const child = aRecord({ lane: 'bulk' });
    await store.create(child, at(10));
    await store.claim(child.id, claimBy('w1', 1));
    await store.complete(child.id, { ...delivered('w1', 2), owedEventId: 'ev1', lane: 'bulk' });

    expect(await store.findDueForSweep(at(100), 10)).toEqual([]);
    expect(await store.findOwedEvents(at(100), 10)).toEqual([child.id]);
  });

  it('a scheduled bulk item waits in its own scheduled family, then moves to the bulk one', async () => {
    const store = await db.freshStore();
    const sendAt = at(3_600);
    const later = aRecord({ lane: 'bulk', request: { ...aRecord().request, sendAt } });
    await store.create(later, sendAt, true);

    expect(await store.findScheduled(at(4_000), 10, 'transactional')).toEqual([]);
    expect(await store.findScheduled(at(4_000), 10)).toEqual([
      { id: later.id, sweepAt: sendAt, lane: 'bulk' },
    ]);
    await store.markSwept(later.id, at(3_700), 'bulk');
    expect(await store.findScheduled(at(4_000), 10)).toEqual([]);
    expect(ids(await store.findDueForSweep(at(4_000), 10, 'bulk'))).toEqual([later.id]);
  });

  it('the sweep re-enqueues a lost child on the bulk queue and keeps it in the bulk lane', async () => {
    const store = await db.freshStore();
    const direct = aRecord();
    const child = aRecord({ lane: 'bulk' });
    await store.create(direct, at(10));
    await store.create(child, at(10));
    const queue = new InMemoryQueue();
    const clock = new FixedClock(new Date(T0 + 20_000));
    const sweep = createSweepPending({
      store,
      queue,
      clock,
      logger: silentLogger,
      sweepAfterMs: 60_000,
      batchSize: 100,
    });

    expect(await sweep()).toBe(2);
    expect(queue.bulk).toEqual([child.id]);
    expect(queue.sent.filter((id) => id !== child.id)).toEqual([direct.id]);
    // Swept: the next look is a minute later, still in the bulk lane.
    expect(await store.findDueForSweep(at(79), 10)).toEqual([]);
    expect(await store.findDueForSweep(at(80), 10, 'bulk')).toEqual([
      { id: child.id, sweepAt: at(80), lane: 'bulk' },
    ]);
  });
});
