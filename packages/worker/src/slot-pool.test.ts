import { silentLogger } from '@herald/core';
import { createQueueConsumer } from './queue-consumer';
import { createSlotPool } from './slot-pool';
import { FakeWorkQueue, message, until } from './testing-work-queue';

describe('slot pool', () => {
  it('keeps at least the rest of the total for the transactional lane', () => {
    const pool = createSlotPool(32, 0.75);
    const bulk = pool.lane('bulk');
    const direct = pool.lane('transactional');

    let taken = 0;
    for (let i = 0; i < 5; i++) {
      const n = bulk.reserve(10);
      bulk.received(n, n);
      taken += n;
    }

    expect(pool.bulkMax).toBe(24);
    expect(taken).toBe(24);
    expect(bulk.reserve(10)).toBe(0);
    expect(direct.reserve(10)).toBe(8);
  });

  it('lets the transactional lane use every slot the bulk lane leaves free', () => {
    const pool = createSlotPool(32, 0.75);
    const direct = pool.lane('transactional');
    const reserved = [1, 2, 3, 4].map(() => {
      const n = direct.reserve(10);
      direct.received(n, n);
      return n;
    });

    expect(reserved).toEqual([10, 10, 10, 2]);
    expect(pool.lane('bulk').reserve(10)).toBe(0);
    direct.release();
    expect(pool.lane('bulk').reserve(10)).toBe(1);
  });

  it('gives back what a receive did not bring, and wakes waiters on any release', async () => {
    const pool = createSlotPool(4, 0.5);
    const bulk = pool.lane('bulk');
    const direct = pool.lane('transactional');
    const n = direct.reserve(10);
    direct.received(n, 3);
    expect(pool.inUse()).toEqual({ transactional: 3, bulk: 0 });

    const got = bulk.reserve(10);
    bulk.received(got, got);
    expect(got).toBe(1);
    let woken = false;
    const waiting = direct.whenReleased(new AbortController().signal).then(() => (woken = true));
    bulk.release();
    await waiting;
    expect(woken).toBe(true);
    expect(direct.reserve(10)).toBe(1);
  });

  it('an idle bulk poll does not hold slots the transactional lane needs', () => {
    const pool = createSlotPool(10, 0.75);
    const waiting = pool.lane('bulk').reserve(10);

    expect(waiting).toBe(7);
    expect(pool.lane('transactional').reserve(10)).toBe(10);
  });

  it('an idle transactional poll does not keep the bulk lane below its share', () => {
    const pool = createSlotPool(32, 0.75);
    const bulk = pool.lane('bulk');
    const first = bulk.reserve(10);
    bulk.received(first, first);
    const second = bulk.reserve(10);
    bulk.received(second, second);
    // The transactional consumer's long poll on an empty queue takes what it may.
    expect(pool.lane('transactional').reserve(10)).toBe(10);

    expect(bulk.reserve(10)).toBe(4);
  });

  it('counts a lane’s own waiting receive, so the bulk lane never passes its share', () => {
    const pool = createSlotPool(32, 0.75);
    const bulk = pool.lane('bulk');

    expect([bulk.reserve(10), bulk.reserve(10), bulk.reserve(10), bulk.reserve(10)]).toEqual([
      10, 10, 4, 0,
    ]);
  });

  it('rounds the bulk share down but leaves the bulk lane at least one slot', () => {
    expect(createSlotPool(3, 0.75).bulkMax).toBe(2);
    expect(createSlotPool(1, 0.75).bulkMax).toBe(1);
    expect(createSlotPool(10, 1).bulkMax).toBe(10);
  });
});

describe('two consumers sharing a pool', () => {
  it('a bulk backlog never takes the slots kept for direct sends', async () => {
    const pool = createSlotPool(8, 0.75);
    const bulkQueue = new FakeWorkQueue();
    const directQueue = new FakeWorkQueue();
    bulkQueue.waiting = Array.from({ length: 100 }, (_, i) => message(`child-${i}`));
    const release: (() => void)[] = [];
    let bulkRunning = 0;
    let bulkPeak = 0;
    let directDone = 0;
    const consumer = (queue: FakeWorkQueue, lane: 'bulk' | 'transactional') =>
      createQueueConsumer({
        queue,
        handle: () => {
          if (lane === 'transactional') {
            directDone++;
            return Promise.resolve({ kind: 'done' });
          }
          bulkRunning++;
          bulkPeak = Math.max(bulkPeak, bulkRunning);
          // Bulk sends hang until released: a slow provider under a large fan-out.
          return new Promise((resolve) =>
            release.push(() => {
              bulkRunning--;
              resolve({ kind: 'done' });
            }),
          );
        },
        logger: silentLogger,
        concurrency: 8,
        slots: pool.lane(lane),
        visibilityTimeoutSeconds: 30,
        waitSeconds: 1,
      });
    const bulk = consumer(bulkQueue, 'bulk');
    const direct = consumer(directQueue, 'transactional');
    bulk.start();
    direct.start();
    await until(() => bulkRunning === 6);

    directQueue.waiting = Array.from({ length: 5 }, (_, i) => message(`otp-${i}`));
    await until(() => directDone === 5);

    expect(directDone).toBe(5);
    expect(bulkPeak).toBe(6);
    for (const r of release.splice(0)) r();
    await until(() => bulkRunning === 6);
    expect(bulkPeak).toBe(6);
    const stopping = Promise.all([bulk.stop(100), direct.stop(100)]);
    for (const r of release.splice(0)) r();
    await stopping;
  });

  it('a message waiting on its last receives is handed back to the queue it came from', async () => {
    const pool = createSlotPool(4, 0.5);
    const bulkQueue = new FakeWorkQueue();
    const directQueue = new FakeWorkQueue();
    bulkQueue.waiting = [message('child', 9)];
    const consumers = (['bulk', 'transactional'] as const).map((lane) =>
      createQueueConsumer({
        queue: lane === 'bulk' ? bulkQueue : directQueue,
        handle: () => Promise.resolve({ kind: 'retry-later', delayMs: 3_000 }),
        logger: silentLogger,
        concurrency: 4,
        slots: pool.lane(lane),
        visibilityTimeoutSeconds: 30,
        waitSeconds: 1,
        maxReceiveCount: 10,
      }),
    );
    for (const c of consumers) c.start();
    await until(() => bulkQueue.acked.length === 1);
    await Promise.all(consumers.map((c) => c.stop(100)));

    expect(bulkQueue.sentDelayed).toEqual([['{"id":"child"}', 3]]);
    expect(directQueue.sentDelayed).toEqual([]);
  });
});
