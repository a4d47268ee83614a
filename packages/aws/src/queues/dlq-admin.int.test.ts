import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { newNotificationId, type NotificationRecord, type WorkQueue } from '@herald/core';
import { anEmailRequest } from '@herald/core/testing';
import { startEmulatorsProcess } from '@herald/emulators';
import { createTestInfrastructure } from '../testing';
import type { EmulatorsProcess } from '@herald/emulators';
import type { TestInfrastructure } from '../testing';
import { createDlqAdmin, resolveDeadLetterQueueUrl, type DlqAdmin } from './dlq-admin';
import { createDynamoNotificationStore } from '../store/dynamo-notification-store';
import { createSqsNotificationQueue } from './sqs-notification-queue';
import { createSqsWorkQueue } from './sqs-work-queue';
import { notificationPk } from '../store/table-schema';

const MAX_RECEIVES = 2;

describe('dead-letter queue admin and poison refusal (fauxqs, dynalite)', () => {
  let emulators: EmulatorsProcess;
  let infra: TestInfrastructure;
  let work: WorkQueue;
  let admin: DlqAdmin;

  beforeAll(async () => {
    emulators = await startEmulatorsProcess();
    infra = await createTestInfrastructure(emulators, {
      prefix: 'dlq',
      maxReceiveCount: MAX_RECEIVES,
    });
    work = createSqsWorkQueue({ sqs: infra.clients.sqs, queueUrl: infra.queueUrl });
    admin = createDlqAdmin({
      sqs: infra.clients.sqs,
      queueUrl: infra.queueUrl,
      dlqUrl: infra.dlqUrl,
    });
  });

  afterAll(async () => {
    infra?.destroy();
    await emulators?.stop();
  });

  /** Receives (and never acks) until the redrive policy has moved every message to the DLQ. */
  async function deadLetter(ids: string[]): Promise<void> {
    await createSqsNotificationQueue({ sqs: infra.clients.sqs, queueUrl: infra.queueUrl }).enqueue(
      ids,
    );
    for (let round = 0; round <= MAX_RECEIVES; round++) {
      const batch = await work.receive(10, 0);
      await Promise.all(batch.map((m) => work.setVisibility(m.receiptHandle, 0)));
    }
  }

  it('finds the DLQ from the redrive policy', async () => {
    await expect(resolveDeadLetterQueueUrl(infra.clients.sqs, infra.queueUrl)).resolves.toBe(
      infra.dlqUrl,
    );
    await expect(resolveDeadLetterQueueUrl(infra.clients.sqs, infra.dlqUrl)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('lists dead-lettered messages without hiding them, and redrives them all', async () => {
    const ids = [newNotificationId(), newNotificationId(), newNotificationId()];
    await deadLetter(ids);

    const listed = await admin.list(10);
    const again = await admin.list(2);
    const moved = await admin.redrive('all');
    const back = await work.receive(10, 1);

    expect(listed.map((m) => m.notificationId).sort()).toEqual([...ids].sort());
    expect(listed.every((m) => m.receiveCount > MAX_RECEIVES)).toBe(true);
    expect(listed.every((m) => typeof m.sentTimestamp === 'string')).toBe(true);
    expect(again).toHaveLength(2);
    expect(moved.moved.map((m) => m.notificationId).sort()).toEqual([...ids].sort());
    expect(back.map((m) => m.notificationId).sort()).toEqual([...ids].sort());
    expect(back.every((m) => m.receiveCount === 1)).toBe(true);
    expect(await admin.list(10)).toEqual([]);
    await work.ack(back.map((m) => m.receiptHandle));
  });

  it('redrives only the given message ids and reports the ones it did not find', async () => {
    const ids = [newNotificationId(), newNotificationId()];
    await deadLetter(ids);
    const [first, second] = await admin.list(10);

    const result = await admin.redrive([first!.messageId, 'no-such-message']);
    const left = await admin.list(10);
    const back = await work.receive(10, 1);

    expect(result.moved.map((m) => m.messageId)).toEqual([first!.messageId]);
    expect(result.notFound).toEqual(['no-such-message']);
    expect(left.map((m) => m.messageId)).toEqual([second!.messageId]);
    expect(back.map((m) => m.notificationId)).toEqual([first!.notificationId]);
    await work.ack(back.map((m) => m.receiptHandle));
    await admin.redrive('all');
  });

  it('refuses a Pending notification whose stored request is malformed, once', async () => {
    const store = createDynamoNotificationStore({
      doc: infra.clients.doc,
      tableName: infra.tableName,
    });
    const now = new Date().toISOString();
    const record: NotificationRecord = {
      id: newNotificationId(),
      clientId: 'client-a',
      channel: 'email',
      request: anEmailRequest(),
      requestHash: 'hash',
      status: 'Pending',
      createdAt: now,
      updatedAt: now,
      attempts: 0,
      events: [{ at: now, type: 'accepted' }],
    };
    await store.create(record, now);
    await infra.clients.doc.send(
      new UpdateCommand({
        TableName: infra.tableName,
        Key: { pk: notificationPk(record.id) },
        UpdateExpression: 'SET req = :bad',
        ExpressionAttributeValues: { ':bad': 'not json' },
      }),
    );
    const refusal = {
      now,
      reason: { code: 'processing_failed' as const, message: 'processing failed repeatedly' },
      event: { at: now, type: 'refused' as const, detail: { code: 'processing_failed' } },
    };

    await expect(store.get(record.id)).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(store.statusOf(record.id)).resolves.toBe('Pending');
    await expect(store.refuseUnprocessable(record.id, refusal)).resolves.toBe('refused');
    await expect(store.refuseUnprocessable(record.id, refusal)).resolves.toBe('final');
    await expect(store.refuseUnprocessable(newNotificationId(), refusal)).resolves.toBe('missing');
    await expect(store.statusOf(record.id)).resolves.toBe('Refused');
    const due = await store.findDueForSweep(new Date(Date.now() + 60_000).toISOString(), 10);
    expect(due.map((e) => e.id)).not.toContain(record.id);
  });
});
