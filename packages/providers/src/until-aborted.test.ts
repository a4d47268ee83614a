import { untilAborted } from './until-aborted';

describe('untilAborted', () => {
  it('settles as the work does when the signal stays quiet', async () => {
    const signal = new AbortController().signal;

    await expect(untilAborted(Promise.resolve('sent'), signal, 'Test send')).resolves.toBe('sent');
    await expect(
      untilAborted(Promise.reject(new Error('refused')), signal, 'Test send'),
    ).rejects.toThrow('refused');
  });

  it('stops waiting when the signal aborts, naming what was abandoned and why', async () => {
    const controller = new AbortController();
    const never = new Promise<string>(() => undefined);
    const waiting = untilAborted(never, controller.signal, 'Test send');
    const deadline = new Error('deadline');

    controller.abort(deadline);

    const err: unknown = await waiting.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('Test send aborted');
    expect((err as Error).cause).toBe(deadline);
  });

  it('removes its abort listener once the work settled', async () => {
    const signal = new AbortController().signal;
    const added = jest.spyOn(signal, 'addEventListener');
    const removed = jest.spyOn(signal, 'removeEventListener');

    await untilAborted(Promise.resolve(7), signal, 'Test send');

    expect(added).toHaveBeenCalledTimes(1);
    expect(removed).toHaveBeenCalledWith('abort', added.mock.calls[0]?.[1]);
  });
});
