import {
  AppError,
  silentLogger,
  type NotificationRecord,
  type QueueMessage,
  type WorkQueue,
} from '@herald/core';
import {
  FixedClock,
  InMemoryNotificationStore,
  RecordingStatusPublisher,
  anEmailRequest,
} from '@herald/core/testing';
import { createPoisonPolicy, PROCESSING_FAILED } from './poison';
import { createQueueConsumer } from './queue-consumer';

const clock = new FixedClock();

function pending(id: string): NotificationRecord {
  const at = clock.now().toISOString();
  return {
    id,
    clientId: 'shop',
    channel: 'email',
    request: anEmailRequest(),
    requestHash: 'h',
    status: 'Pending',
    createdAt: at,
    updatedAt: at,
    attempts: 0,
    events: [{ at, type: 'accepted' }],
  };
}

const received = (id: string, receiveCount: number): QueueMessage => ({
  notificationId: id,
  receiptHandle: `rh-${id}-${receiveCount}`,
  receiveCount,
  body: JSON.stringify({ id }),
});

async function setUp() {
  const store = new InMemoryNotificationStore();
  await store.create(pending('n1'), clock.now().toISOString());
  const policy = createPoisonPolicy({ store, clock, logger: silentLogger, maxReceiveCount: 5 });
  return { store, policy };
}

describe('poison policy', () => {
  it('leaves the message before its last receives, with the notification still Pending', async () => {
    const { store, policy } = await setUp();

    const verdict = await policy(received('n1', 3), new Error('malformed'));

    expect(verdict).toBe('leave');
    expect((await store.get('n1'))?.status).toBe('Pending');
  });

  it('refuses the notification on its last receives and leaves the message for the DLQ', async () => {
    const { store, policy } = await setUp();

    const first = await policy(received('n1', 4), new Error('malformed'));
    const last = await policy(received('n1', 5), new Error('malformed'));

    const record = await store.get('n1');
    expect([first, last]).toEqual(['leave', 'leave']);
    expect(record?.status).toBe('Refused');
    expect(record?.reason).toEqual(PROCESSING_FAILED);
    expect(record?.events.map((e) => e.type)).toEqual(['accepted', 'refused']);
    expect(store.sweepAt.has('n1')).toBe(false);
  });

  it('treats a transient store error on the last receives as a retry, not poison', async () => {
    const { store, policy } = await setUp();

    const verdicts = [
      await policy(received('n1', 3), new AppError('UNAVAILABLE', 'DynamoDB is unavailable')),
      await policy(received('n1', 4), new AppError('UNAVAILABLE', 'DynamoDB is unavailable')),
      await policy(received('n1', 5), new AppError('UNAVAILABLE', 'DynamoDB is unavailable')),
    ];

    expect(verdicts).toEqual(['retry', 'retry', 'retry']);
    expect((await store.get('n1'))?.status).toBe('Pending');
  });

  it("publishes the refusal's status event, recorded as owed in the refusing write", async () => {
    const store = new InMemoryNotificationStore();
    await store.create(pending('n1'), clock.now().toISOString());
    const events = new RecordingStatusPublisher();
    const policy = createPoisonPolicy({
      store,
      clock,
      logger: silentLogger,
      maxReceiveCount: 5,
      events,
    });

    await policy(received('n1', 4), new Error('malformed'));
    await policy(received('n1', 5), new Error('malformed'));

    expect(events.events).toEqual([
      expect.objectContaining({
        eventId: 'n1:Refused',
        id: 'n1',
        clientId: 'shop',
        status: 'Refused',
        reason: PROCESSING_FAILED,
      }),
    ]);
    expect(store.owed.get('n1')?.eventId).toBe('n1:Refused');
  });

  it('acks a redriven message whose notification is already final', async () => {
    const { policy } = await setUp();
    await policy(received('n1', 4), new Error('malformed'));

    expect(await policy(received('n1', 1), new Error('malformed'))).toBe('ack');
  });

  it('lets the consumer ack or leave the message as the policy says', async () => {
    const { store, policy } = await setUp();
    await store.refuseUnprocessable('n1', {
      now: clock.now().toISOString(),
      reason: PROCESSING_FAILED,
      event: { at: clock.now().toISOString(), type: 'refused' },
    });
    await store.create(pending('n2'), clock.now().toISOString());
    const acked: string[] = [];
    const hidden: string[] = [];
    const waiting = [received('n1', 1), received('n2', 1)];
    const queue: WorkQueue = {
      receive: (max) =>
        waiting.length > 0
          ? Promise.resolve(waiting.splice(0, max))
          : new Promise((resolve) => setTimeout(() => resolve([]), 10)),
      ack: (handles) => Promise.resolve(void acked.push(...handles)),
      setVisibility: (handle) => Promise.resolve(void hidden.push(handle)),
      sendDelayed: () => Promise.resolve(),
    };
    const consumer = createQueueConsumer({
      queue,
      handle: () => Promise.reject(new Error('malformed')),
      logger: silentLogger,
      concurrency: 2,
      visibilityTimeoutSeconds: 30,
      waitSeconds: 1,
      onProcessingFailure: policy,
    });

    consumer.start();
    for (let i = 0; i < 200 && hidden.length < 1; i++) await new Promise((r) => setTimeout(r, 5));
    await consumer.stop(1_000);

    expect(acked).toEqual(['rh-n1-1']);
    expect(hidden).toEqual(['rh-n2-1']);
  });
});
