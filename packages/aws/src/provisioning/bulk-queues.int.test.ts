/** The bulk queue (topic children): created beside the work queue, found by the worker. */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { startEmulatorsProcess, type EmulatorsProcess } from '@herald/emulators';
import { resolveBulkQueueUrl } from '../connect-aws';
import { createSqsNotificationQueue } from '../queues/sqs-notification-queue';
import { createSqsWorkQueue } from '../queues/sqs-work-queue';
import { createTestInfrastructure, type TestInfrastructure } from '../testing';
import { ensureBulkQueues } from './herald-resources';

describe('bulk queues (fauxqs)', () => {
  let emulators: EmulatorsProcess;
  let infra: TestInfrastructure;

  beforeAll(async () => {
    emulators = await startEmulatorsProcess();
    infra = await createTestInfrastructure(emulators, { prefix: 'bulk' });
  });

  afterAll(async () => {
    infra?.destroy();
    await emulators?.stop();
  });

  it('creates <queue>-bulk redriving to <queue>-bulk-dlq with the work queue settings, idempotently', async () => {
    const { sqs } = infra.clients;
    const first = await ensureBulkQueues({
      sqs,
      queueName: infra.queueName,
      visibilityTimeoutSeconds: 45,
      maxReceiveCount: 2,
    });
    const again = await ensureBulkQueues({
      sqs,
      queueName: infra.queueName,
      visibilityTimeoutSeconds: 45,
      maxReceiveCount: 2,
    });
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: first.queueUrl, AttributeNames: ['All'] }),
    );

    expect(again).toEqual(first);
    expect(first.queueUrl).toMatch(new RegExp(`/${infra.queueName}-bulk$`));
    expect(first.dlqUrl).toMatch(new RegExp(`/${infra.queueName}-bulk-dlq$`));
    expect(attributes.Attributes?.VisibilityTimeout).toBe('45');
    const redrive = JSON.parse(attributes.Attributes?.RedrivePolicy ?? '{}') as {
      deadLetterTargetArn?: string;
      maxReceiveCount?: number | string;
    };
    expect(redrive.deadLetterTargetArn).toMatch(new RegExp(`:${infra.queueName}-bulk-dlq$`));
    expect(Number(redrive.maxReceiveCount)).toBe(2);

    // A poison child dead-letters to the bulk DLQ, not the work queue's.
    await createSqsNotificationQueue({
      sqs,
      queueUrl: infra.queueUrl,
      bulkQueueUrl: first.queueUrl,
    }).enqueue(['ntf_child'], { lane: 'bulk' });
    const bulk = createSqsWorkQueue({ sqs, queueUrl: first.queueUrl });
    for (let receive = 0; receive < 3; receive++) {
      for (const m of await bulk.receive(1, 0)) await bulk.setVisibility(m.receiptHandle, 0);
    }
    const dead = await createSqsWorkQueue({ sqs, queueUrl: first.dlqUrl }).receive(10, 0);
    const workDead = await createSqsWorkQueue({ sqs, queueUrl: infra.dlqUrl }).receive(10, 0);
    expect(dead.map((m) => m.notificationId)).toEqual(['ntf_child']);
    expect(workDead).toEqual([]);
  });

  it('the worker finds it by the work queue URL or name, or says to run herald setup', async () => {
    const { sqs } = infra.clients;
    const { queueUrl } = await ensureBulkQueues({ sqs, queueName: infra.queueName });

    const byUrl = await resolveBulkQueueUrl(sqs, {
      HERALD_QUEUE_NAME: 'herald-notifications',
      HERALD_QUEUE_URL: infra.queueUrl,
    });
    const byName = await resolveBulkQueueUrl(sqs, { HERALD_QUEUE_NAME: infra.queueName });
    const given = await resolveBulkQueueUrl(sqs, {
      HERALD_QUEUE_NAME: 'x',
      HERALD_BULK_QUEUE_URL: 'http://127.0.0.1:1/000000000000/elsewhere',
    });

    expect(byUrl).toBe(queueUrl);
    expect(byName).toBe(queueUrl);
    expect(given).toBe('http://127.0.0.1:1/000000000000/elsewhere');
    const missing = await resolveBulkQueueUrl(sqs, {
      HERALD_QUEUE_NAME: `${infra.queueName}-missing`,
    }).catch((err: unknown) => err);
    expect(missing).toMatchObject({ code: 'UNAVAILABLE' });
    expect(String((missing as Error).message)).toMatch(/herald setup/);
  });
});
