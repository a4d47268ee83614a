import { newNotificationId } from '@herald/core';
import type { NotificationRecord, NotificationStore } from '@herald/core';
import { aPendingRecord, anEmailRequest, anSmsRequest } from '@herald/core/testing';
import { startEmulatorsProcess } from '@herald/emulators';
import { createTestInfrastructure } from '../testing';
import type { EmulatorsProcess } from '@herald/emulators';
import type { TestInfrastructure } from '../testing';
import { createDynamoNotificationStore } from './dynamo-notification-store';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

function aRecord(overrides: Partial<NotificationRecord> = {}): NotificationRecord {
  return aPendingRecord({
    createdAt: at(0),
    request: anEmailRequest({ to: ['ada@example.com', 'bob@example.com'], metadata: { k: 'é ✓' } }),
    ...overrides,
  });
}

const claimBy = (owner: string, now: number, leaseSeconds = 60) => ({
  owner,
  now: at(now),
  leaseUntil: at(now + leaseSeconds),
  event: { at: at(now), type: 'attempt_started' as const },
});

const delivered = (owner: string, now: number) => ({
  owner,
  now: at(now),
  outcome: { status: 'Delivered' as const, provider: 'smtp', providerMessageId: `<${owner}@x>` },
  event: { at: at(now), type: 'provider_accepted' as const, detail: { provider: 'smtp' } },
});

describe('DynamoNotificationStore (dynalite)', () => {
  let emulators: EmulatorsProcess;
  const infras: TestInfrastructure[] = [];

  /** A store on its own new table, so index-wide reads see only this test's items. */
  async function freshStore(): Promise<NotificationStore> {
    const infra = await createTestInfrastructure(emulators, { prefix: 'store' });
    infras.push(infra);
    return createDynamoNotificationStore({ doc: infra.clients.doc, tableName: infra.tableName });
  }

  let store: NotificationStore;

  beforeAll(async () => {
    emulators = await startEmulatorsProcess();
    store = await freshStore();
  });

  afterAll(async () => {
    for (const infra of infras) infra.destroy();
    await emulators?.stop();
  });

  describe('create and get', () => {
    it('stores a record and reads it back exactly', async () => {
      const record = aRecord({ idempotencyKey: 'key-1' });

      const result = await store.create(record, at(30));

      expect(result).toEqual({ created: true });
      expect(await store.get(record.id)).toStrictEqual(record);
    });

    it('never overwrites a keyed record: returns the existing record for a taken id', async () => {
      const record = aRecord({ idempotencyKey: 'key-taken' });
      await store.create(record, at(30));

      const result = await store.create({ ...record, clientId: 'client-b' }, at(30));

      expect(result).toStrictEqual({ created: false, existing: record });
      expect((await store.get(record.id))?.clientId).toBe('client-a');
    });

    it('writes concurrent creates without a key in shared batches, each one durably', async () => {
      const records = Array.from({ length: 60 }, () => aRecord());

      const results = await Promise.all(records.map((r) => store.create(r, at(30))));

      expect(results).toEqual(records.map(() => ({ created: true })));
      for (const record of records) expect(await store.get(record.id)).toStrictEqual(record);
    });

    it('fails only the item DynamoDB refuses when it shares a batch with others', async () => {
      const good = Array.from({ length: 5 }, () => aRecord());
      const tooBig = aRecord({ request: anEmailRequest({ text: 'x'.repeat(420 * 1024) }) });

      const results = await Promise.allSettled(
        [...good, tooBig].map((r) => store.create(r, at(30))),
      );

      expect(results.slice(0, 5).map((r) => r.status)).toEqual(good.map(() => 'fulfilled'));
      expect(results[5]).toMatchObject({ status: 'rejected', reason: { code: 'INTERNAL' } });
      for (const record of good) expect(await store.get(record.id)).toStrictEqual(record);
      expect(await store.get(tooBig.id)).toBeUndefined();
    });

    it('answers concurrent gets, repeated and unknown ids among them, each with its own record', async () => {
      const records = Array.from({ length: 120 }, () => aRecord());
      await Promise.all(records.map((r) => store.create(r, at(30))));
      const unknown = newNotificationId();
      const ids = [...records.map((r) => r.id), records[0]!.id, unknown];

      const got = await Promise.all(ids.map((id) => store.get(id)));

      expect(got).toStrictEqual([...records, records[0], undefined]);
    });

    it('returns undefined for an unknown id', async () => {
      expect(await store.get(newNotificationId())).toBeUndefined();
    });
  });

  describe('claim', () => {
    it('takes the lease, counts the attempt and records it in the event', async () => {
      const record = aRecord();
      await store.create(record, at(30));

      const result = await store.claim(record.id, claimBy('w1', 1));

      expect(result).toStrictEqual({
        kind: 'claimed',
        record: {
          ...record,
          attempts: 1,
          updatedAt: at(1),
          lease: { owner: 'w1', until: at(61) },
          events: [
            ...record.events,
            { at: at(1), type: 'attempt_started', detail: { attempt: 1 } },
          ],
        },
      });
    });

    it('is idempotent for the lease holder and refuses others until the lease expires', async () => {
      const record = aRecord();
      await store.create(record, at(30));
      await store.claim(record.id, claimBy('w1', 1));

      const again = await store.claim(record.id, claimBy('w1', 2));
      const other = await store.claim(record.id, claimBy('w2', 3));
      const afterExpiry = await store.claim(record.id, claimBy('w2', 62));

      expect(again.kind === 'claimed' && again.record.attempts).toBe(2);
      expect(other).toEqual({ kind: 'leased', until: at(62) });
      expect(afterExpiry.kind === 'claimed' && afterExpiry.record.lease).toEqual({
        owner: 'w2',
        until: at(122),
      });
    });

    it('lets exactly one of several concurrent claimants win', async () => {
      const record = aRecord();
      await store.create(record, at(30));

      const results = await Promise.all(
        ['w1', 'w2', 'w3', 'w4', 'w5'].map((owner) => store.claim(record.id, claimBy(owner, 1))),
      );

      expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'leased')).toHaveLength(4);
      expect((await store.get(record.id))?.attempts).toBe(1);
    });

    it('reports a missing notification', async () => {
      expect(await store.claim(newNotificationId(), claimBy('w1', 1))).toEqual({ kind: 'missing' });
    });

    it('reports a final notification with its record', async () => {
      const record = aRecord();
      await store.create(record, at(30));
      await store.claim(record.id, claimBy('w1', 1));
      await store.complete(record.id, delivered('w1', 2));

      const result = await store.claim(record.id, claimBy('w2', 3));

      expect(result.kind).toBe('final');
      expect(result.kind === 'final' && result.record.status).toBe('Delivered');
    });
  });

  describe('complete', () => {
    it('writes the final status and ends the lease', async () => {
      const record = aRecord();
      await store.create(record, at(30));
      await store.claim(record.id, claimBy('w1', 1));

      const written = await store.complete(record.id, delivered('w1', 2));

      const stored = await store.get(record.id);
      expect(written).toBe(true);
      expect(stored).toMatchObject({
        status: 'Delivered',
        provider: 'smtp',
        providerMessageId: '<w1@x>',
        updatedAt: at(2),
        attempts: 1,
      });
      expect(stored?.lease).toBeUndefined();
      expect(stored?.events.map((e) => e.type)).toEqual([
        'accepted',
        'attempt_started',
        'provider_accepted',
      ]);
    });

    it('records a refusal with its reason', async () => {
      const record = aRecord({ channel: 'sms', request: anSmsRequest() });
      await store.create(record, at(30));
      await store.claim(record.id, claimBy('w1', 1));

      await store.complete(record.id, {
        owner: 'w1',
        now: at(2),
        outcome: { status: 'Refused', reason: { code: 'expired', message: 'too late' } },
        event: { at: at(2), type: 'refused', detail: { code: 'expired' } },
      });

      const stored = await store.get(record.id);
      expect(stored?.status).toBe('Refused');
      expect(stored?.reason).toEqual({ code: 'expired', message: 'too late' });
      expect(stored?.provider).toBeUndefined();
    });

    it('returns false once the lease was taken over by another worker', async () => {
      const record = aRecord();
      await store.create(record, at(30));
      await store.claim(record.id, claimBy('w1', 1, 10));
      await store.claim(record.id, claimBy('w2', 20));

      const stale = await store.complete(record.id, delivered('w1', 21));
      const current = await store.complete(record.id, delivered('w2', 22));

      expect(stale).toBe(false);
      expect(current).toBe(true);
      expect((await store.get(record.id))?.providerMessageId).toBe('<w2@x>');
    });

    it('returns false for a notification that is already final or missing', async () => {
      const record = aRecord();
      await store.create(record, at(30));
      await store.claim(record.id, claimBy('w1', 1));
      await store.complete(record.id, delivered('w1', 2));

      expect(await store.complete(record.id, delivered('w1', 3))).toBe(false);
      expect(await store.complete(newNotificationId(), delivered('w1', 3))).toBe(false);
    });
  });

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
      await store.create(record, at(30));
      await store.claim(record.id, claimBy('w1', 1));

      const written = await store.scheduleRetry(record.id, retry('w1', 2, 10));
      const early = await store.claim(record.id, claimBy('w2', 5));
      const due = await store.claim(record.id, claimBy('w2', 10));

      expect(written).toBe(true);
      expect(early).toEqual({ kind: 'not-due', at: at(10) });
      expect(due.kind).toBe('claimed');
      expect(due.kind === 'claimed' && due.record.nextAttemptAt).toBeUndefined();
      expect(due.kind === 'claimed' && due.record.attempts).toBe(2);
    });

    it('returns false when the caller does not hold the lease', async () => {
      const record = aRecord();
      await store.create(record, at(30));
      await store.claim(record.id, claimBy('w1', 1));

      expect(await store.scheduleRetry(record.id, retry('w2', 2, 10))).toBe(false);
    });
  });

  describe('sweeping', () => {
    it('finds Pending notifications whose sweepAt passed, oldest first, up to the limit', async () => {
      const sweepStore = await freshStore();
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const record = aRecord();
        ids.push(record.id);
        await sweepStore.create(record, at(10 + i));
      }

      expect(await sweepStore.findDueForSweep(at(12), 10)).toEqual(ids.slice(0, 3));
      expect(await sweepStore.findDueForSweep(at(100), 4)).toEqual(ids.slice(0, 4));
      expect(await sweepStore.findDueForSweep(at(0), 10)).toEqual([]);
    });

    it('drops final notifications, and follows markSwept and scheduleRetry', async () => {
      const sweepStore = await freshStore();
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

      expect(await sweepStore.findDueForSweep(at(20), 10)).toEqual([]);
      expect(await sweepStore.findDueForSweep(at(70), 10)).toEqual([swept.id]);
      expect(await sweepStore.findDueForSweep(at(90), 10)).toEqual([swept.id, retried.id]);
      expect((await sweepStore.get(done.id))?.status).toBe('Delivered');
    });
  });

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
      await store.create(record, at(60));
      await store.claim(record.id, claimBy('w1', 1));

      expect(await store.complete(record.id, awaiting('w1', 2, 3600))).toBe(true);
      expect((await store.get(record.id))?.status).toBe('Pending');
      expect(await store.claim(record.id, claimBy('w2', 10))).toEqual({
        kind: 'not-due',
        at: at(3600),
      });
      expect(await store.recordReceipt(record.id, receipt('Delivered', 20, 'SM-other'))).toBe(
        false,
      );
      expect(await store.recordReceipt(record.id, receipt('Delivered', 20))).toBe(true);
      expect(await store.recordReceipt(record.id, receipt('Refused', 30))).toBe(false);
      const final = await store.get(record.id);
      expect(final?.status).toBe('Delivered');
      expect(final?.awaitingReceiptUntil).toBeUndefined();
      expect(final?.events.map((e) => e.type)).toEqual([
        'accepted',
        'attempt_started',
        'provider_accepted',
        'receipt',
      ]);
      expect(await store.findDueForSweep(at(99_999), 100)).not.toContain(record.id);
    });

    it('parks a receipt that beats the message id, and applies it once the id is written', async () => {
      const record = aRecord({ channel: 'sms', request: anSmsRequest() });
      await store.create(record, at(60));
      await store.claim(record.id, claimBy('w1', 1));

      const early = await store.recordReceipt(record.id, receipt('Refused', 2));
      const parked = (await store.get(record.id))?.parkedReceipts;
      await store.complete(record.id, awaiting('w1', 3, 3600));
      const applied = await store.recordReceipt(record.id, { ...parked![0]!, now: at(4) });

      expect(early).toBe(false);
      expect(parked).toEqual([
        expect.objectContaining({
          providerMessageId: 'SM1',
          outcome: expect.objectContaining({ status: 'Refused' }) as unknown,
        }),
      ]);
      expect(applied).toBe(true);
      const final = await store.get(record.id);
      expect(final?.status).toBe('Refused');
      expect(final?.parkedReceipts).toBeUndefined();
    });

    it('keeps one parked receipt per message id and outcome, and at most 10, however many are replayed', async () => {
      const record = aRecord({ channel: 'sms', request: anSmsRequest() });
      await store.create(record, at(60));
      await store.claim(record.id, claimBy('w1', 1));
      const replays = Array.from({ length: 1_000 }, (_, i) =>
        receipt(i % 2 === 0 ? 'Delivered' : 'Refused', 2 + i, `SM-early-${i % 40}`),
      );

      for (let i = 0; i < replays.length; i += 25) {
        await Promise.all(replays.slice(i, i + 25).map((r) => store.recordReceipt(record.id, r)));
      }

      const parked = (await store.get(record.id))?.parkedReceipts ?? [];
      const keys = parked.map((p) => `${p.providerMessageId}|${p.outcome.status}`);
      process.stdout.write(`parked receipts: 1000 replayed, ${parked.length} kept\n`);
      expect(parked.length).toBeGreaterThan(0);
      expect(parked.length).toBeLessThanOrEqual(10);
      expect(new Set(keys).size).toBe(keys.length);
    }, 60_000);

    it('refunds the attempt of a paced notification', async () => {
      const record = aRecord();
      await store.create(record, at(60));
      await store.claim(record.id, claimBy('w1', 1));

      await store.scheduleRetry(record.id, {
        owner: 'w1',
        now: at(2),
        nextAttemptAt: at(5),
        sweepAt: at(65),
        event: { at: at(2), type: 'attempt_failed', detail: { code: 'paced' } },
        refundAttempt: true,
      });

      expect((await store.get(record.id))?.attempts).toBe(0);
    });
  });
});
