import { createSendSlots } from './send-slots';
import { never } from './testing-failures';

describe('createSendSlots', () => {
  it('grants up to max at once and the rest in arrival order', async () => {
    const slots = createSendSlots(2);
    const order: number[] = [];

    const first = await slots.acquire(never());
    await slots.acquire(never());
    const third = slots.acquire(never()).then((release) => (order.push(3), release));
    const fourth = slots.acquire(never()).then((release) => (order.push(4), release));
    first();
    (await third)();
    await fourth;

    expect(order).toEqual([3, 4]);
  });

  it('never grants a slot to a waiter whose signal aborted, and skips it', async () => {
    const slots = createSendSlots(1);
    const release = await slots.acquire(never());
    const controller = new AbortController();
    const abandoned = slots.acquire(controller.signal);
    const next = slots.acquire(never());

    controller.abort(new Error('deadline'));
    release();

    await expect(abandoned).rejects.toThrow('deadline');
    await expect(next).resolves.toEqual(expect.any(Function));
  });

  it('frees a slot once however often it is released', async () => {
    const slots = createSendSlots(1);
    const release = await slots.acquire(never());
    release();
    release();
    await slots.acquire(never());
    const controller = new AbortController();

    const waiting = slots.acquire(controller.signal);
    controller.abort(new Error('still taken'));

    await expect(waiting).rejects.toThrow('still taken');
  });
});
