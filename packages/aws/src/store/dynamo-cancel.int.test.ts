/** DynamoNotificationStore on dynalite: scheduled claims (sendAt) and conditional cancels. */
import { newNotificationId, type CancelInput } from '@herald/core';
import { anEmailRequest } from '@herald/core/testing';
import { at } from '../testing-dynalite';
import { aRecord, claimBy, useDynaliteStore } from '../testing-store';

const cancelBy = (clientId: string, now: number, owedEventId?: string): CancelInput => ({
  clientId,
  now: at(now),
  reason: { code: 'cancelled', message: 'Cancelled by the client before it was sent' },
  event: { at: at(now), type: 'refused', detail: { code: 'cancelled' } },
  ...(owedEventId === undefined ? {} : { owedEventId }),
});

describe('scheduled notifications and cancel (dynalite)', () => {
  const db = useDynaliteStore();

  it('never claims before sendAt, whatever its offset, and claims from sendAt on', async () => {
    // 00:00:30 UTC written as 01:00:30+01:00: the item keeps it in UTC for the condition.
    const record = aRecord({ request: anEmailRequest({ sendAt: '2026-01-01T01:00:30+01:00' }) });
    await db.store.create(record, at(30));

    expect(await db.store.claim(record.id, claimBy('w1', 29))).toEqual({
      kind: 'not-due',
      at: at(30),
    });
    expect((await db.store.get(record.id))?.attempts).toBe(0);
    const claimed = await db.store.claim(record.id, claimBy('w1', 30));
    expect(claimed).toMatchObject({ kind: 'claimed', record: { attempts: 1 } });
  });

  it('keeps a scheduled entry apart from recovery entries until a sweep moves it back', async () => {
    const store = await db.freshStore();
    const scheduled = aRecord({ request: anEmailRequest({ sendAt: at(3_600) }) });
    const plain = aRecord();
    await store.create(scheduled, at(3_600), true);
    await store.create(plain, at(60));

    expect((await store.findDueForSweep(at(99_999), 10)).map((e) => e.id)).toEqual([plain.id]);
    expect(await store.findScheduled(at(3_599), 10)).toEqual([]);
    expect(await store.findScheduled(at(3_600), 10)).toEqual([
      { id: scheduled.id, sweepAt: at(3_600) },
    ]);

    await store.markSwept(scheduled.id, at(3_660));
    expect(await store.findScheduled(at(99_999), 10)).toEqual([]);
    expect(await store.findDueForSweep(at(3_660), 10)).toEqual([
      { id: plain.id, sweepAt: at(60) },
      { id: scheduled.id, sweepAt: at(3_660) },
    ]);
  });

  it('cancels a Pending notification nobody holds: Refused cancelled, event owed, out of the sweep', async () => {
    const store = await db.freshStore();
    const record = aRecord({ request: anEmailRequest({ sendAt: at(600) }) });
    await store.create(record, at(600));

    const result = await store.cancel(record.id, cancelBy('client-a', 5, `${record.id}:Refused`));

    expect(result).toMatchObject({
      kind: 'cancelled',
      record: { status: 'Refused', reason: { code: 'cancelled' }, updatedAt: at(5) },
    });
    expect(await store.get(record.id)).toMatchObject({ status: 'Refused' });
    expect((await store.findDueForSweep(at(99_999), 100)).map((e) => e.id)).toEqual([]);
    expect(await store.findOwedEvents(at(5), 100)).toEqual([record.id]);
    expect(await store.claim(record.id, claimBy('w1', 700))).toMatchObject({ kind: 'final' });
    expect(await store.cancel(record.id, cancelBy('client-a', 6))).toMatchObject({
      kind: 'final',
    });
  });

  it("treats another client's notification and an unknown id alike, changing nothing", async () => {
    const record = aRecord();
    await db.store.create(record, at(60));

    expect(await db.store.cancel(record.id, cancelBy('client-b', 1))).toEqual({ kind: 'missing' });
    expect(await db.store.cancel(newNotificationId(), cancelBy('client-a', 1))).toEqual({
      kind: 'missing',
    });
    expect((await db.store.get(record.id))?.status).toBe('Pending');
  });

  it('refuses to cancel while a lease is in force or a receipt is awaited; an expired lease does not block', async () => {
    const leased = aRecord();
    await db.store.create(leased, at(60));
    await db.store.claim(leased.id, claimBy('w1', 0, 60));
    expect(await db.store.cancel(leased.id, cancelBy('client-a', 30))).toMatchObject({
      kind: 'started',
    });
    expect(await db.store.cancel(leased.id, cancelBy('client-a', 61))).toMatchObject({
      kind: 'cancelled',
    });

    const awaiting = aRecord();
    await db.store.create(awaiting, at(60));
    await db.store.claim(awaiting.id, claimBy('w1', 0));
    await db.store.complete(awaiting.id, {
      owner: 'w1',
      now: at(1),
      outcome: { status: 'Pending', provider: 'twilio', providerMessageId: 'SM1', until: at(999) },
      event: { at: at(1), type: 'provider_accepted' },
    });
    expect(await db.store.cancel(awaiting.id, cancelBy('client-a', 2_000))).toMatchObject({
      kind: 'started',
    });
  });

  it('lets exactly one of a cancel and a claim made at the same moment win, every time', async () => {
    const wins = { cancel: 0, claim: 0 };
    for (let round = 0; round < 40; round++) {
      const record = aRecord({ request: anEmailRequest({ sendAt: at(10) }) });
      await db.store.create(record, at(10));
      // Alternate which call is issued first, so neither always reaches dynalite first.
      const [claim, cancel] =
        round % 2 === 0
          ? await Promise.all([
              db.store.claim(record.id, claimBy('w1', 10)),
              db.store.cancel(record.id, cancelBy('client-a', 10)),
            ])
          : await Promise.all([
              db.store.cancel(record.id, cancelBy('client-a', 10)),
              db.store.claim(record.id, claimBy('w1', 10)),
            ]).then(([c, k]) => [k, c] as const);
      const claimWon = claim.kind === 'claimed';
      wins[claimWon ? 'claim' : 'cancel']++;
      const stored = await db.store.get(record.id);
      // Exactly one winner, and the loser saw the winner's write.
      expect({ claim: claim.kind, cancel: cancel.kind, status: stored?.status }).toEqual(
        claimWon
          ? { claim: 'claimed', cancel: 'started', status: 'Pending' }
          : { claim: 'final', cancel: 'cancelled', status: 'Refused' },
      );
      expect(stored?.attempts).toBe(claimWon ? 1 : 0);
    }
    // Both outcomes occur, so the race is really run both ways.
    expect(wins.cancel).toBeGreaterThan(0);
    expect(wins.claim).toBeGreaterThan(0);
  });
});
