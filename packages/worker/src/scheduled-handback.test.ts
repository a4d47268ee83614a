/**
 * A scheduled notification's message that arrives before `sendAt` (a redelivery, a stale
 * enqueue) goes through the real deliver use case and the consumer: it is hidden until `sendAt`,
 * or replaced by a delayed copy on its last receives, like a pacing deferral; no attempt is used.
 */
import {
  createAcceptNotification,
  createDeliverNotification,
  silentLogger,
  type QueueMessage,
} from '@herald/core';
import {
  aDeliverDeps,
  anEmailRequest,
  FixedClock,
  InMemoryNotificationStore,
  InMemoryQueue,
  RecordingProvider,
} from '@herald/core/testing';
import { createQueueConsumer } from './queue-consumer';
import { FakeWorkQueue, until } from './testing-work-queue';

async function setup() {
  const store = new InMemoryNotificationStore();
  const clock = new FixedClock(new Date('2026-01-01T00:00:00.000Z'));
  const email = new RecordingProvider<ReturnType<typeof anEmailRequest>>('email', 'smtp');
  const accept = createAcceptNotification({
    store,
    queue: new InMemoryQueue(),
    clock,
    logger: silentLogger,
    sweepAfterMs: 60_000,
  });
  const { notification } = await accept({
    clientId: 'c',
    request: anEmailRequest({ sendAt: '2026-01-01T00:01:00.000Z' }),
  });
  const deliver = createDeliverNotification(aDeliverDeps(store, clock, { email: [email] }));
  const queue = new FakeWorkQueue();
  const consumer = createQueueConsumer({
    queue,
    handle: (m) => deliver(m.notificationId),
    logger: silentLogger,
    concurrency: 2,
    visibilityTimeoutSeconds: 30,
    waitSeconds: 1,
    maxReceiveCount: 10,
  });
  const id = notification.id;
  const message = (receiveCount: number): QueueMessage => ({
    notificationId: id,
    receiptHandle: `rh-${receiveCount}`,
    receiveCount,
    body: JSON.stringify({ id }),
  });
  return { store, clock, email, queue, consumer, id, message };
}

describe('a message that arrives before sendAt', () => {
  it('is hidden until sendAt, with no attempt used and nothing sent', async () => {
    const { store, clock, email, queue, consumer, id, message } = await setup();
    clock.advance(15_500);
    queue.waiting = [message(1)];

    consumer.start();
    await until(() => queue.visibility.length === 1);
    await consumer.stop(1_000);

    expect(queue.visibility).toEqual([['rh-1', 45]]);
    expect(queue.acked).toEqual([]);
    expect(email.sent).toEqual([]);
    expect(store.records.get(id)?.attempts).toBe(0);
  });

  it('on its last receives is replaced by a copy delayed until sendAt, as a pacing deferral is', async () => {
    const { store, clock, email, queue, consumer, id, message } = await setup();
    clock.advance(15_500);
    queue.waiting = [message(9)];

    consumer.start();
    await until(() => queue.acked.length === 1);
    await consumer.stop(1_000);

    expect(queue.sentDelayed).toEqual([[JSON.stringify({ id }), 45]]);
    expect(queue.acked).toEqual(['rh-9']);
    expect(email.sent).toEqual([]);
    expect(store.records.get(id)?.attempts).toBe(0);
  });
});
