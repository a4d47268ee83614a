/** DynamoNotificationStore on dynalite: retries and the sweeper's reads. */
import { at } from '../testing-dynalite';
import { aRecord, claimBy, delivered, useDynaliteStore } from '../testing-store';

describe('DynamoNotificationStore (dynalite)', () => {
  const db = useDynaliteStore();

  describe('scheduleRetry', () => {
    const retry = (owner: string, now: number, next: number) => ({
      owner,
      now: at(now),
      nextAttemptAt: at(next),
      sweepAt: at(next + 30),
      event: { at: at(now), type: 'attempt_failed' as const, detail: { attempt: 1 } },
    });

    it('releases the lease and holds claims off until the next attempt is due', async () => {
      const record = aRecord();
      await db.store.create(record, at(30));
      await db.store.claim(record.id, claimBy('w1', 1));

      const written = await db.store.scheduleRetry(record.id, retry('w1', 2, 10));
      const early = await db.store.claim(record.id, claimBy('w2', 5));
      const due = await db.store.claim(record.id, claimBy('w2', 10));

      expect(written).toBe(true);
      expect(early).toEqual({ kind: 'not-due', at: at(10) });
      expect(due.kind).toBe('claimed');
      expect(due.kind === 'claimed' && due.record.nextAttemptAt).toBeUndefined();
      expect(due.kind === 'claimed' && due.record.attempts).toBe(2);
    });

    it('returns false when the caller does not hold the lease', async () => {
      const record = aRecord();
      await db.store.create(record, at(30));
      await db.store.claim(record.id, claimBy('w1', 1));

      expect(await db.store.scheduleRetry(record.id, retry('w2', 2, 10))).toBe(false);
    });
  });

  describe('sweeping', () => {
    it('finds Pending notifications whose sweepAt passed, oldest first, up to the limit', async () => {
      const sweepStore = await db.freshStore();
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const record = aRecord();
        ids.push(record.id);
        await sweepStore.create(record, at(10 + i));
      }

      expect((await sweepStore.findDueForSweep(at(12), 10)).map((e) => e.id)).toEqual(
        ids.slice(0, 3),
      );
      expect((await sweepStore.findDueForSweep(at(100), 4)).map((e) => e.id)).toEqual(
        ids.slice(0, 4),
      );
      expect((await sweepStore.findDueForSweep(at(0), 10)).map((e) => e.id)).toEqual([]);
    });

    it('drops final notifications, and follows markSwept and scheduleRetry', async () => {
      const sweepStore = await db.freshStore();
      const [done, swept, retried] = [aRecord(), aRecord(), aRecord()];
      for (const r of [done, swept, retried]) await sweepStore.create(r, at(10));
      await sweepStore.claim(done.id, claimBy('w1', 1));
      await sweepStore.complete(done.id, delivered('w1', 2));
      await sweepStore.claim(retried.id, claimBy('w1', 1));
      await sweepStore.scheduleRetry(retried.id, {
        owner: 'w1',
        now: at(2),
        nextAttemptAt: at(50),
        sweepAt: at(80),
        event: { at: at(2), type: 'attempt_failed' },
      });

      await sweepStore.markSwept(swept.id, at(60));
      await sweepStore.markSwept(done.id, at(60));

      expect((await sweepStore.findDueForSweep(at(20), 10)).map((e) => e.id)).toEqual([]);
      expect((await sweepStore.findDueForSweep(at(70), 10)).map((e) => e.id)).toEqual([swept.id]);
      expect((await sweepStore.findDueForSweep(at(90), 10)).map((e) => e.id)).toEqual([
        swept.id,
        retried.id,
      ]);
      expect((await sweepStore.get(done.id))?.status).toBe('Delivered');
    });
  });
});
