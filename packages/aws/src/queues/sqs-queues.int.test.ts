import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { WorkQueue } from '@herald/core';
import { startEmulatorsProcess } from '@herald/emulators';
import { createTestInfrastructure } from '../testing';
import type { EmulatorsProcess } from '@herald/emulators';
import type { TestInfrastructure } from '../testing';
import { createSqsNotificationQueue } from './sqs-notification-queue';
import { createSqsWorkQueue } from './sqs-work-queue';

describe('SQS notification and work queues (fauxqs)', () => {
  let emulators: EmulatorsProcess;
  let infra: TestInfrastructure;
  let work: WorkQueue;

  beforeAll(async () => {
    emulators = await startEmulatorsProcess();
    infra = await createTestInfrastructure(emulators, { prefix: 'sqs' });
    work = createSqsWorkQueue({ sqs: infra.clients.sqs, queueUrl: infra.queueUrl });
  });

  afterAll(async () => {
    infra?.destroy();
    await emulators?.stop();
  });

  async function drain(): Promise<Awaited<ReturnType<WorkQueue['receive']>>> {
    const all = [];
    for (;;) {
      const batch = await work.receive(10, 0);
      if (batch.length === 0) return all;
      all.push(...batch);
    }
  }

  it('delivers every enqueued id, in batches of ten, and ack removes them', async () => {
    const queue = createSqsNotificationQueue({ sqs: infra.clients.sqs, queueUrl: infra.queueUrl });
    const ids = Array.from({ length: 25 }, (_, i) => `ntf_${String(i).padStart(26, '0')}`);

    await queue.enqueue(ids);
    const received = await drain();
    await work.ack(received.map((m) => m.receiptHandle));

    expect(received.map((m) => m.notificationId).sort()).toEqual(ids);
    expect(received.every((m) => m.receiveCount === 1)).toBe(true);
    expect(received[0]?.body).toMatch(/^\{"id":"ntf_\w+"\}$/);
    expect(await drain()).toEqual([]);
  });

  it('redelivers a message made visible again, counting the receive', async () => {
    const queue = createSqsNotificationQueue({ sqs: infra.clients.sqs, queueUrl: infra.queueUrl });
    await queue.enqueue(['ntf_again']);
    const [first] = await work.receive(1, 0);

    await work.setVisibility(first!.receiptHandle, 0);
    const [second] = await work.receive(1, 0);
    await work.ack([second!.receiptHandle]);

    expect(second?.notificationId).toBe('ntf_again');
    expect(second?.receiveCount).toBe(2);
  });

  it('keeps a delayed id hidden until its delay has passed, beside one sent at once', async () => {
    const queue = createSqsNotificationQueue({ sqs: infra.clients.sqs, queueUrl: infra.queueUrl });
    const sent = Date.now();
    await Promise.all([
      queue.enqueue(['ntf_now']),
      queue.enqueue(['ntf_later'], { delaySeconds: 2 }),
    ]);

    const first = await drain();
    const later = await work.receive(1, 5);
    await work.ack([...first, ...later].map((m) => m.receiptHandle));

    expect(first.map((m) => m.notificationId)).toEqual(['ntf_now']);
    expect(later.map((m) => m.notificationId)).toEqual(['ntf_later']);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(1_900);
  });

  it('hides a message for the visibility timeout it is given', async () => {
    const queue = createSqsNotificationQueue({ sqs: infra.clients.sqs, queueUrl: infra.queueUrl });
    await queue.enqueue(['ntf_hidden']);
    const [message] = await work.receive(1, 0);

    await work.setVisibility(message!.receiptHandle, 600);

    expect(await work.receive(10, 0)).toEqual([]);
    await work.setVisibility(message!.receiptHandle, 0);
    const [back] = await work.receive(1, 0);
    await work.ack([back!.receiptHandle]);
  });

  it('replaces a message with a fresh delayed one whose receive count starts again', async () => {
    const queue = createSqsNotificationQueue({ sqs: infra.clients.sqs, queueUrl: infra.queueUrl });
    await queue.enqueue(['ntf_replaced']);
    const [first] = await work.receive(1, 0);
    await work.setVisibility(first!.receiptHandle, 0);
    const [second] = await work.receive(1, 0);

    await work.sendDelayed(second!.body, 1);
    await work.ack([second!.receiptHandle]);
    const during = await work.receive(10, 0);
    const [fresh] = await work.receive(1, 5); // a long poll: returns once the delay is over
    await work.ack([fresh!.receiptHandle]);

    expect(second?.receiveCount).toBe(2);
    expect(during).toEqual([]);
    expect(fresh).toMatchObject({ notificationId: 'ntf_replaced', receiveCount: 1 });
  });

  it('hands over a body that does not parse with an empty notification id', async () => {
    await infra.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: infra.queueUrl, MessageBody: 'not json' }),
    );

    const [message] = await work.receive(1, 0);
    await work.ack([message!.receiptHandle]);

    expect(message).toMatchObject({ notificationId: '', body: 'not json' });
  });

  it('returns no messages when the long poll is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);

    const started = Date.now();
    const messages = await work.receive(10, 20, controller.signal);

    expect(messages).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
