/** DynamoNotificationStore on dynalite: delivery receipts, parked receipts and pacing. */
import { anSmsRequest } from '@herald/core/testing';
import { at } from '../testing-dynalite';
import { aRecord, claimBy, useDynaliteStore } from '../testing-store';

describe('DynamoNotificationStore (dynalite)', () => {
  const db = useDynaliteStore();

  describe('receipts and pacing', () => {
    const awaiting = (owner: string, now: number, until: number) => ({
      owner,
      now: at(now),
      outcome: {
        status: 'Pending' as const,
        provider: 'twilio',
        providerMessageId: 'SM1',
        until: at(until),
      },
      event: {
        at: at(now),
        type: 'provider_accepted' as const,
        detail: { provider: 'twilio', awaitingReceipt: true },
      },
    });
    const receipt = (status: 'Delivered' | 'Refused', now: number, providerMessageId = 'SM1') => ({
      now: at(now),
      providerMessageId,
      outcome:
        status === 'Delivered'
          ? { status, provider: 'twilio', providerMessageId }
          : {
              status,
              provider: 'twilio',
              reason: { code: 'recipient_unreachable' as const, message: 'Twilio 30003' },
            },
      event: { at: at(now), type: 'receipt' as const, detail: { provider: 'twilio' } },
    });

    it('keeps an accepted notification Pending, unclaimable until the deadline, then applies its receipt once', async () => {
      const record = aRecord({ channel: 'sms', request: anSmsRequest() });
      await db.store.create(record, at(60));
      await db.store.claim(record.id, claimBy('w1', 1));

      expect(await db.store.complete(record.id, awaiting('w1', 2, 3600))).toBe(true);
      expect((await db.store.get(record.id))?.status).toBe('Pending');
      expect(await db.store.claim(record.id, claimBy('w2', 10))).toEqual({
        kind: 'not-due',
        at: at(3600),
      });
      expect(await db.store.recordReceipt(record.id, receipt('Delivered', 20, 'SM-other'))).toBe(
        false,
      );
      expect(await db.store.recordReceipt(record.id, receipt('Delivered', 20))).toBe(true);
      expect(await db.store.recordReceipt(record.id, receipt('Refused', 30))).toBe(false);
      const final = await db.store.get(record.id);
      expect(final?.status).toBe('Delivered');
      expect(final?.awaitingReceiptUntil).toBeUndefined();
      expect(final?.events.map((e) => e.type)).toEqual([
        'accepted',
        'attempt_started',
        'provider_accepted',
        'receipt',
      ]);
      expect((await db.store.findDueForSweep(at(99_999), 100)).map((e) => e.id)).not.toContain(
        record.id,
      );
    });

    it('parks a receipt that beats the message id, and applies it once the id is written', async () => {
      const record = aRecord({ channel: 'sms', request: anSmsRequest() });
      await db.store.create(record, at(60));
      await db.store.claim(record.id, claimBy('w1', 1));

      const early = await db.store.recordReceipt(record.id, receipt('Refused', 2));
      const parked = (await db.store.get(record.id))?.parkedReceipts;
      await db.store.complete(record.id, awaiting('w1', 3, 3600));
      const applied = await db.store.recordReceipt(record.id, { ...parked![0]!, now: at(4) });

      expect(early).toBe(false);
      expect(parked).toEqual([
        expect.objectContaining({
          providerMessageId: 'SM1',
          outcome: expect.objectContaining({ status: 'Refused' }) as unknown,
        }),
      ]);
      expect(applied).toBe(true);
      const final = await db.store.get(record.id);
      expect(final?.status).toBe('Refused');
      expect(final?.parkedReceipts).toBeUndefined();
    });

    it('keeps one parked receipt per message id and outcome, and at most 10, however many are replayed', async () => {
      const record = aRecord({ channel: 'sms', request: anSmsRequest() });
      await db.store.create(record, at(60));
      await db.store.claim(record.id, claimBy('w1', 1));
      const replays = Array.from({ length: 1_000 }, (_, i) =>
        receipt(i % 2 === 0 ? 'Delivered' : 'Refused', 2 + i, `SM-early-${i % 40}`),
      );

      for (let i = 0; i < replays.length; i += 25) {
        await Promise.all(
          replays.slice(i, i + 25).map((r) => db.store.recordReceipt(record.id, r)),
        );
      }

      const parked = (await db.store.get(record.id))?.parkedReceipts ?? [];
      const keys = parked.map((p) => `${p.providerMessageId}|${p.outcome.status}`);
      process.stdout.write(`parked receipts: 1000 replayed, ${parked.length} kept\n`);
      expect(parked.length).toBeGreaterThan(0);
      expect(parked.length).toBeLessThanOrEqual(10);
      expect(new Set(keys).size).toBe(keys.length);
    }, 60_000);

    it('refunds the attempt of a paced notification', async () => {
      const record = aRecord();
      await db.store.create(record, at(60));
      await db.store.claim(record.id, claimBy('w1', 1));

      await db.store.scheduleRetry(record.id, {
        owner: 'w1',
        now: at(2),
        nextAttemptAt: at(5),
        sweepAt: at(65),
        event: { at: at(2), type: 'attempt_failed', detail: { code: 'paced' } },
        refundAttempt: true,
      });

      expect((await db.store.get(record.id))?.attempts).toBe(0);
    });
  });
});
