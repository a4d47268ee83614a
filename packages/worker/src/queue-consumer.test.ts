import { AppError, silentLogger, type QueueMessage } from '@herald/core';
import { createQueueConsumer, type MessageOutcome } from './queue-consumer';
import { FakeWorkQueue, message, until } from './testing-work-queue';

describe('queue consumer', () => {
  it('acks finished messages in a batch and hides retried ones until their next attempt', async () => {
    const queue = new FakeWorkQueue();
    queue.waiting = [message('a'), message('b'), message('c')];
    const outcomes: Record<string, MessageOutcome> = {
      a: { kind: 'done' },
      b: { kind: 'retry-later', delayMs: 4_500 },
      c: { kind: 'missing' },
    };
    const consumer = createQueueConsumer({
      queue,
      handle: (m) => Promise.resolve(outcomes[m.notificationId]!),
      logger: silentLogger,
      concurrency: 4,
      visibilityTimeoutSeconds: 30,
      waitSeconds: 1,
    });

    consumer.start();
    await until(() => queue.acked.length === 2);
    await consumer.stop(1_000);

    expect(queue.acked.sort()).toEqual(['rh-a', 'rh-c']);
    expect(queue.visibility).toEqual([['rh-b', 5]]);
  });

  it('after a receive that came back short, lingers so the next one collects what trickled in', async () => {
    const queue = new FakeWorkQueue();
    const receives: number[] = [];
    const receive = queue.receive.bind(queue);
    queue.receive = (max, wait, signal) => {
      const got = receive(max, wait, signal);
      void got.then((batch) => batch.length > 0 && receives.push(batch.length));
      return got;
    };
    queue.waiting = [message('a')];
    const consumer = createQueueConsumer({
      queue,
      handle: () => Promise.resolve({ kind: 'done' }),
      logger: silentLogger,
      concurrency: 40,
      visibilityTimeoutSeconds: 30,
      waitSeconds: 1,
      receiveLingerMs: 200,
    });

    consumer.start();
    await until(() => receives.length === 1);
    for (const id of ['b', 'c', 'd']) {
      // One every 30 ms, while it lingers; without the linger each would cost its own receive.
      queue.waiting.push(message(id));
      await new Promise((r) => setTimeout(r, 30));
    }
    await until(() => receives.length === 2);
    await consumer.stop(1_000);

    expect(receives).toEqual([1, 3]);
  });

  it('never has more than `concurrency` messages in flight', async () => {
    const queue = new FakeWorkQueue();
    queue.waiting = Array.from({ length: 20 }, (_, i) => message(`m${i}`));
    let inFlight = 0;
    let peak = 0;
    const consumer = createQueueConsumer({
      queue,
      handle: async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 10));
        inFlight--;
        return { kind: 'done', status: 'Delivered' };
      },
      logger: silentLogger,
      concurrency: 3,
      visibilityTimeoutSeconds: 30,
      waitSeconds: 1,
    });

    consumer.start();
    await until(() => queue.acked.length === 20);
    await consumer.stop(1_000);

    expect(peak).toBe(3);
    expect(queue.acked).toHaveLength(20);
  });

  it('leaves a message for redelivery when processing throws', async () => {
    const queue = new FakeWorkQueue();
    queue.waiting = [message('a')];
    const consumer = createQueueConsumer({
      queue,
      handle: () => Promise.reject(new Error('store down')),
      logger: silentLogger,
      concurrency: 1,
      visibilityTimeoutSeconds: 30,
      waitSeconds: 1,
      storeErrorDelaySeconds: 7,
    });

    consumer.start();
    await until(() => queue.visibility.length === 1);
    await consumer.stop(1_000);

    expect(queue.acked).toEqual([]);
    expect(queue.visibility).toEqual([['rh-a', 7]]);
  });

  it('renews visibility while a slow send runs', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    const queue = new FakeWorkQueue();
    queue.waiting = [message('slow')];
    let finish: () => void = () => undefined;
    const consumer = createQueueConsumer({
      queue,
      handle: () => new Promise((resolve) => (finish = () => resolve({ kind: 'done' }))),
      logger: silentLogger,
      concurrency: 1,
      visibilityTimeoutSeconds: 30,
      waitSeconds: 1,
    });

    consumer.start();
    await jest.advanceTimersByTimeAsync(46_000);
    const renewals = queue.visibility.filter(([h]) => h === 'rh-slow').length;
    finish();
    await jest.advanceTimersByTimeAsync(100);
    const stopping = consumer.stop(1_000);
    await jest.advanceTimersByTimeAsync(2_000);
    await stopping;
    jest.useRealTimers();

    expect(renewals).toBe(3);
    expect(queue.acked).toEqual(['rh-slow']);
  });

  it('makes an unfinished message visible again when the grace period ends on stop', async () => {
    const queue = new FakeWorkQueue();
    queue.waiting = [message('stuck')];
    const consumer = createQueueConsumer({
      queue,
      handle: () => new Promise(() => undefined),
      logger: silentLogger,
      concurrency: 1,
      visibilityTimeoutSeconds: 30,
      waitSeconds: 1,
    });

    consumer.start();
    await until(() => consumer.inFlightCount() === 1);
    const result = await consumer.stop(50);

    expect(result.unfinished).toBe(1);
    expect(queue.visibility).toContainEqual(['rh-stuck', 0]);
  });

  describe('on the last receives before the DLQ (maxReceiveCount 10)', () => {
    async function consume(
      queue: FakeWorkQueue,
      handle: (m: QueueMessage) => Promise<MessageOutcome>,
      onProcessingFailure?: () => Promise<'ack' | 'leave' | 'retry'>,
    ) {
      const consumer = createQueueConsumer({
        queue,
        handle,
        logger: silentLogger,
        concurrency: 4,
        visibilityTimeoutSeconds: 30,
        waitSeconds: 1,
        maxReceiveCount: 10,
        storeErrorDelaySeconds: 7,
        ...(onProcessingFailure ? { onProcessingFailure } : {}),
      });
      consumer.start();
      await until(() => queue.waiting.length === 0 && consumer.inFlightCount() === 0);
      await consumer.stop(1_000);
    }

    it('replaces a message to retry later with a fresh delayed one, so waiting never dead-letters it', async () => {
      const queue = new FakeWorkQueue();
      queue.waiting = [message('a', 9), message('b', 1)];

      await consume(queue, () => Promise.resolve({ kind: 'retry-later', delayMs: 4_500 }));

      expect(queue.sentDelayed).toEqual([['{"id":"a"}', 5]]);
      expect(queue.acked).toEqual(['rh-a']);
      expect(queue.visibility).toEqual([['rh-b', 5]]);
    });

    it("caps the fresh message's delay at SQS's 15 minutes; the claim holds it back after that", async () => {
      const queue = new FakeWorkQueue();
      queue.waiting = [message('a', 10)];

      await consume(queue, () => Promise.resolve({ kind: 'retry-later', delayMs: 3_600_000 }));

      expect(queue.sentDelayed).toEqual([['{"id":"a"}', 900]]);
      expect(queue.acked).toEqual(['rh-a']);
    });

    it('hides the message instead when the fresh one cannot be sent', async () => {
      const queue = new FakeWorkQueue();
      queue.sendFails = true;
      queue.waiting = [message('a', 9)];

      await consume(queue, () => Promise.resolve({ kind: 'retry-later', delayMs: 2_000 }));

      expect(queue.acked).toEqual([]);
      expect(queue.visibility).toEqual([['rh-a', 2]]);
    });

    it('replaces a message whose processing failed transiently', async () => {
      const queue = new FakeWorkQueue();
      queue.waiting = [message('a', 9)];

      await consume(
        queue,
        () => Promise.reject(new AppError('UNAVAILABLE', 'store down')),
        () => Promise.resolve('retry'),
      );

      expect(queue.sentDelayed).toEqual([['{"id":"a"}', 7]]);
      expect(queue.acked).toEqual(['rh-a']);
    });

    it('leaves a poison message to go to the DLQ', async () => {
      const queue = new FakeWorkQueue();
      queue.waiting = [message('a', 9)];

      await consume(
        queue,
        () => Promise.reject(new Error('malformed')),
        () => Promise.resolve('leave'),
      );

      expect(queue.sentDelayed).toEqual([]);
      expect(queue.acked).toEqual([]);
      expect(queue.visibility).toEqual([['rh-a', 7]]);
    });
  });
});
