import { silentLogger } from '../ports';
import { anEmailRequest, FixedClock, InMemoryNotificationStore, InMemoryQueue } from '../testing';
import { createAcceptNotification } from './accept-notification';
import { createSweepPending } from './sweep-pending';

describe('sweepPending', () => {
  it('re-enqueues Pending notifications left untouched past the sweep delay, once per delay', async () => {
    const store = new InMemoryNotificationStore();
    const queue = new InMemoryQueue();
    const clock = new FixedClock();
    const deps = { store, queue, clock, logger: silentLogger, sweepAfterMs: 60_000 };
    queue.failing = true;
    const { notification } = await createAcceptNotification(deps)({
      clientId: 'c',
      request: anEmailRequest(),
    });
    queue.failing = false;
    const sweep = createSweepPending({ ...deps, batchSize: 100 });

    const early = await sweep();
    clock.advance(60_000);
    const due = await sweep();
    const again = await sweep();

    expect(early).toBe(0);
    expect(due).toBe(1);
    expect(again).toBe(0);
    expect(queue.sent).toEqual([notification.id]);
  });
});
