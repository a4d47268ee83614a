/** The SMTP email provider: deadlines, aborts and waiting for a connection. */
import { failureOf, never } from './testing-failures';
import { aMessage, setup } from './testing-smtp-email';

describe('createSmtpEmailProvider', () => {
  it('throws a retryable timeout when the signal aborts before the server answers', async () => {
    const { transport, provider } = setup();
    transport.behaviour = () => new Promise(() => undefined);
    const controller = new AbortController();

    const sending = failureOf(provider.send(aMessage(), controller.signal));
    controller.abort(new DOMException('deadline', 'TimeoutError'));
    const err = await sending;

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_timeout' });
  });

  it('never hands the transport a send whose signal aborted while it waited for a connection', async () => {
    const { transport, provider } = setup({ maxConcurrentSends: 1 });
    let finishFirst = (): void => undefined;
    transport.behaviour = (mail) =>
      new Promise((resolve) => {
        finishFirst = () =>
          resolve({ messageId: String(mail.messageId), accepted: [], rejected: [], response: '' });
      });
    const controller = new AbortController();

    const first = provider.send(aMessage(), never());
    const queued = failureOf(provider.send(aMessage(), controller.signal));
    controller.abort(new DOMException('deadline', 'TimeoutError'));
    const err = await queued;
    finishFirst();
    await first;

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_timeout' });
    expect(transport.sent).toHaveLength(1);
  });

  it('times a send from when it holds a connection, not from when it was queued', async () => {
    const { transport, provider } = setup({ maxConcurrentSends: 1, sendTimeoutMs: 60_000 });
    const controller = new AbortController();
    let finish = (): void => undefined;
    transport.behaviour = (mail) =>
      new Promise((resolve) => {
        finish = () =>
          resolve({ messageId: String(mail.messageId), accepted: [], rejected: [], response: '' });
      });

    const sending = provider.send(aMessage(), controller.signal);
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new DOMException('deadline', 'TimeoutError'));
    finish();

    await expect(sending).resolves.toMatchObject({
      providerMessageId: expect.any(String) as string,
    });
  });

  it('does not call the transport when the signal has already aborted', async () => {
    const { transport, provider } = setup();

    const err = await failureOf(provider.send(aMessage(), AbortSignal.abort()));

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_timeout' });
    expect(transport.sent).toHaveLength(0);
  });
});
