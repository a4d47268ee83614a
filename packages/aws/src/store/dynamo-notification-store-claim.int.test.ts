/** DynamoNotificationStore on dynalite: create, get, claim and complete. */
import { newNotificationId } from '@herald/core';
import { anEmailRequest, anSmsRequest } from '@herald/core/testing';
import { at } from '../testing-dynalite';
import { aRecord, claimBy, delivered, useDynaliteStore } from '../testing-store';

describe('DynamoNotificationStore (dynalite)', () => {
  const db = useDynaliteStore();

  describe('create and get', () => {
    it('stores a record and reads it back exactly', async () => {
      const record = aRecord({ idempotencyKey: 'key-1' });

      const result = await db.store.create(record, at(30));

      expect(result).toEqual({ created: true });
      expect(await db.store.get(record.id)).toStrictEqual(record);
    });

    it('never overwrites a keyed record: returns the existing record for a taken id', async () => {
      const record = aRecord({ idempotencyKey: 'key-taken' });
      await db.store.create(record, at(30));

      const result = await db.store.create({ ...record, clientId: 'client-b' }, at(30));

      expect(result).toStrictEqual({ created: false, existing: record });
      expect((await db.store.get(record.id))?.clientId).toBe('client-a');
    });

    it('writes concurrent creates without a key in shared batches, each one durably', async () => {
      const records = Array.from({ length: 60 }, () => aRecord());

      const results = await Promise.all(records.map((r) => db.store.create(r, at(30))));

      expect(results).toEqual(records.map(() => ({ created: true })));
      for (const record of records) expect(await db.store.get(record.id)).toStrictEqual(record);
    });

    it('fails only the item DynamoDB refuses when it shares a batch with others', async () => {
      const good = Array.from({ length: 5 }, () => aRecord());
      const tooBig = aRecord({ request: anEmailRequest({ text: 'x'.repeat(420 * 1024) }) });

      const results = await Promise.allSettled(
        [...good, tooBig].map((r) => db.store.create(r, at(30))),
      );

      expect(results.slice(0, 5).map((r) => r.status)).toEqual(good.map(() => 'fulfilled'));
      expect(results[5]).toMatchObject({ status: 'rejected', reason: { code: 'INTERNAL' } });
      for (const record of good) expect(await db.store.get(record.id)).toStrictEqual(record);
      expect(await db.store.get(tooBig.id)).toBeUndefined();
    });

    it('answers concurrent gets, repeated and unknown ids among them, each with its own record', async () => {
      const records = Array.from({ length: 120 }, () => aRecord());
      await Promise.all(records.map((r) => db.store.create(r, at(30))));
      const unknown = newNotificationId();
      const ids = [...records.map((r) => r.id), records[0]!.id, unknown];

      const got = await Promise.all(ids.map((id) => db.store.get(id)));

      expect(got).toStrictEqual([...records, records[0], undefined]);
    });

    it('returns undefined for an unknown id', async () => {
      expect(await db.store.get(newNotificationId())).toBeUndefined();
    });
  });

  describe('claim', () => {
    it('takes the lease, counts the attempt and records it in the event', async () => {
      const record = aRecord();
      await db.store.create(record, at(30));

      const result = await db.store.claim(record.id, claimBy('w1', 1));

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
      await db.store.create(record, at(30));
      await db.store.claim(record.id, claimBy('w1', 1));

      const again = await db.store.claim(record.id, claimBy('w1', 2));
      const other = await db.store.claim(record.id, claimBy('w2', 3));
      const afterExpiry = await db.store.claim(record.id, claimBy('w2', 62));

      expect(again.kind === 'claimed' && again.record.attempts).toBe(2);
      expect(other).toEqual({ kind: 'leased', until: at(62) });
      expect(afterExpiry.kind === 'claimed' && afterExpiry.record.lease).toEqual({
        owner: 'w2',
        until: at(122),
      });
    });

    it('lets exactly one of several concurrent claimants win', async () => {
      const record = aRecord();
      await db.store.create(record, at(30));

      const results = await Promise.all(
        ['w1', 'w2', 'w3', 'w4', 'w5'].map((owner) => db.store.claim(record.id, claimBy(owner, 1))),
      );

      expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'leased')).toHaveLength(4);
      expect((await db.store.get(record.id))?.attempts).toBe(1);
    });

    it('reports a missing notification', async () => {
      expect(await db.store.claim(newNotificationId(), claimBy('w1', 1))).toEqual({
        kind: 'missing',
      });
    });

    it('reports a final notification with its record', async () => {
      const record = aRecord();
      await db.store.create(record, at(30));
      await db.store.claim(record.id, claimBy('w1', 1));
      await db.store.complete(record.id, delivered('w1', 2));

      const result = await db.store.claim(record.id, claimBy('w2', 3));

      expect(result.kind).toBe('final');
      expect(result.kind === 'final' && result.record.status).toBe('Delivered');
    });
  });

  describe('complete', () => {
    it('writes the final status and ends the lease', async () => {
      const record = aRecord();
      await db.store.create(record, at(30));
      await db.store.claim(record.id, claimBy('w1', 1));

      const written = await db.store.complete(record.id, delivered('w1', 2));

      const stored = await db.store.get(record.id);
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
      await db.store.create(record, at(30));
      await db.store.claim(record.id, claimBy('w1', 1));

      await db.store.complete(record.id, {
        owner: 'w1',
        now: at(2),
        outcome: { status: 'Refused', reason: { code: 'expired', message: 'too late' } },
        event: { at: at(2), type: 'refused', detail: { code: 'expired' } },
      });

      const stored = await db.store.get(record.id);
      expect(stored?.status).toBe('Refused');
      expect(stored?.reason).toEqual({ code: 'expired', message: 'too late' });
      expect(stored?.provider).toBeUndefined();
    });

    it('returns false once the lease was taken over by another worker', async () => {
      const record = aRecord();
      await db.store.create(record, at(30));
      await db.store.claim(record.id, claimBy('w1', 1, 10));
      await db.store.claim(record.id, claimBy('w2', 20));

      const stale = await db.store.complete(record.id, delivered('w1', 21));
      const current = await db.store.complete(record.id, delivered('w2', 22));

      expect(stale).toBe(false);
      expect(current).toBe(true);
      expect((await db.store.get(record.id))?.providerMessageId).toBe('<w2@x>');
    });

    it('returns false for a notification that is already final or missing', async () => {
      const record = aRecord();
      await db.store.create(record, at(30));
      await db.store.claim(record.id, claimBy('w1', 1));
      await db.store.complete(record.id, delivered('w1', 2));

      expect(await db.store.complete(record.id, delivered('w1', 3))).toBe(false);
      expect(await db.store.complete(newNotificationId(), delivered('w1', 3))).toBe(false);
    });
  });
});
