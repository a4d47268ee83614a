import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { newNotificationId, statusEventId, statusEventOf } from '@herald/core';
import type { NotificationRecord, NotificationStore } from '@herald/core';
import { aPendingRecord, anSmsRequest } from '@herald/core/testing';
import { startEmulatorsProcess } from '@herald/emulators';
import { createTestInfrastructure } from '../testing';
import type { EmulatorsProcess } from '@herald/emulators';
import type { TestInfrastructure } from '../testing';
import { createDynamoNotificationStore } from './dynamo-notification-store';
import { notificationPk } from './table-schema';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

const aRecord = (overrides: Partial<NotificationRecord> = {}) =>
  aPendingRecord({
    createdAt: at(0),
    clientId: 'shop',
    request: anSmsRequest({ callbackUrl: 'https://shop.example.com/hook' }),
    channel: 'sms',
    ...overrides,
  });

const claimBy = (owner: string, now: number) => ({
  owner,
  now: at(now),
  leaseUntil: at(now + 60),
  event: { at: at(now), type: 'attempt_started' as const },
});

describe('DynamoNotificationStore status-event outbox (dynalite)', () => {
  let emulators: EmulatorsProcess;
  let infra: TestInfrastructure;
  let store: NotificationStore;

  beforeAll(async () => {
    emulators = await startEmulatorsProcess();
    infra = await createTestInfrastructure(emulators, { prefix: 'outbox' });
    store = createDynamoNotificationStore({ doc: infra.clients.doc, tableName: infra.tableName });
  });

  afterAll(async () => {
    infra?.destroy();
    await emulators?.stop();
  });

  it('records the owed event in the final write, lists it once due, and clears only that event', async () => {
    const record = aRecord();
    const eventId = statusEventId(record.id, 'Delivered');
    await store.create(record, at(30));
    await store.claim(record.id, claimBy('w1', 1));

    await store.complete(record.id, {
      owner: 'w1',
      now: at(2),
      outcome: { status: 'Delivered', provider: 'twilio', providerMessageId: 'SM1' },
      event: { at: at(2), type: 'provider_accepted', detail: { provider: 'twilio' } },
      owedEventId: eventId,
    });

    const stored = await store.get(record.id);
    expect(stored?.status).toBe('Delivered');
    expect(await store.findOwedEvents(at(1), 100)).not.toContain(record.id);
    expect(await store.findOwedEvents(at(2), 100)).toContain(record.id);
    expect(await store.owedEvent(record.id)).toEqual(statusEventOf(stored!));
    expect(await store.owedEvent(record.id)).toMatchObject({
      eventId,
      status: 'Delivered',
      at: at(2),
      callbackUrl: 'https://shop.example.com/hook',
    });
    // The owed entry shares the sweep index but is never swept or claimed as Pending work.
    expect((await store.findDueForSweep(at(99_999), 1_000)).map((e) => e.id)).not.toContain(
      record.id,
    );
    expect((await store.claim(record.id, claimBy('w2', 3))).kind).toBe('final');

    await store.clearOwedEvent(record.id, `${record.id}:Refused`);
    expect(await store.findOwedEvents(at(99_999), 100)).toContain(record.id);
    await store.clearOwedEvent(record.id, eventId);
    await store.clearOwedEvent(record.id, eventId);
    expect(await store.findOwedEvents(at(99_999), 100)).not.toContain(record.id);
    expect(await store.owedEvent(record.id)).toBeUndefined();
    expect(await store.get(record.id)).toStrictEqual(stored);
  });

  it('owes nothing for a final write without an event id, or for a wait on a receipt', async () => {
    const plain = aRecord();
    const awaiting = aRecord();
    for (const r of [plain, awaiting]) {
      await store.create(r, at(30));
      await store.claim(r.id, claimBy('w1', 1));
    }

    await store.complete(plain.id, {
      owner: 'w1',
      now: at(2),
      outcome: { status: 'Refused', reason: { code: 'expired', message: 'too late' } },
      event: { at: at(2), type: 'refused' },
    });
    await store.complete(awaiting.id, {
      owner: 'w1',
      now: at(2),
      outcome: { status: 'Pending', provider: 'twilio', providerMessageId: 'SM2', until: at(60) },
      event: { at: at(2), type: 'provider_accepted' },
      owedEventId: statusEventId(awaiting.id, 'Delivered'),
    });

    const owed = await store.findOwedEvents(at(99_999), 1_000);
    expect(owed).not.toContain(plain.id);
    expect(owed).not.toContain(awaiting.id);
    expect((await store.findDueForSweep(at(60), 1_000)).map((e) => e.id)).toContain(awaiting.id);
  });

  it("owes the event of a receipt's final status", async () => {
    const record = aRecord();
    await store.create(record, at(30));
    await store.claim(record.id, claimBy('w1', 1));
    await store.complete(record.id, {
      owner: 'w1',
      now: at(2),
      outcome: { status: 'Pending', provider: 'twilio', providerMessageId: 'SM3', until: at(60) },
      event: { at: at(2), type: 'provider_accepted' },
    });

    const applied = await store.recordReceipt(record.id, {
      now: at(5),
      providerMessageId: 'SM3',
      outcome: {
        status: 'Refused',
        provider: 'twilio',
        providerMessageId: 'SM3',
        reason: { code: 'recipient_unreachable', message: 'Twilio 30003' },
      },
      event: { at: at(5), type: 'receipt' },
      owedEventId: statusEventId(record.id, 'Refused'),
    });

    expect(applied).toBe(true);
    expect(await store.findOwedEvents(at(5), 1_000)).toContain(record.id);
    expect(await store.owedEvent(record.id)).toMatchObject({
      eventId: `${record.id}:Refused`,
      status: 'Refused',
      reason: { code: 'recipient_unreachable', message: 'Twilio 30003' },
      at: at(5),
    });
  });

  it('owes the event of a processing_failed refusal, built from what an unreadable item holds', async () => {
    const id = newNotificationId();
    await infra.clients.doc.send(
      new PutCommand({
        TableName: infra.tableName,
        // A poison item: the request is not JSON and the event list is missing.
        Item: {
          pk: notificationPk(id),
          id,
          clientId: 'shop',
          channel: 'sms',
          status: 'Pending',
          req: '{',
        },
      }),
    );
    const reason = { code: 'processing_failed' as const, message: 'processing failed repeatedly' };

    const result = await store.refuseUnprocessable(id, {
      now: at(7),
      reason,
      event: { at: at(7), type: 'refused' },
      owedEventId: statusEventId(id, 'Refused'),
    });

    expect(result).toBe('refused');
    expect(await store.findOwedEvents(at(7), 1_000)).toContain(id);
    expect(await store.owedEvent(id)).toEqual({
      eventId: `${id}:Refused`,
      id,
      clientId: 'shop',
      channel: 'sms',
      status: 'Refused',
      at: at(7),
      reason,
    });
  });
});
