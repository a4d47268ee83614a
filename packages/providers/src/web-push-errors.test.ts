/** The web push provider: how push service answers and network failures become ProviderErrors. */
import { AppError } from '@herald/core';
import { failureOf, never } from './testing-failures';
import { aMessage, ENDPOINT, pushServiceAnswers, setup } from './testing-web-push';

describe('createWebPushProvider', () => {
  it.each([404, 410])('refuses for good and marks the target dead on %i', async (status) => {
    const { sender, provider } = setup();
    sender.behaviour = () => Promise.reject(pushServiceAnswers(status));

    const err = await failureOf(provider.send(aMessage(), never()));

    expect(err).toMatchObject({
      code: 'PROVIDER_FAILED',
      provider: 'web-push',
      retryable: false,
      reasonCode: 'subscription_gone',
      providerCode: String(status),
      deadTarget: true,
    });
  });

  it.each([
    [413, false, 'payload_too_large'],
    [400, false, 'provider_rejected'],
    [406, false, 'provider_rejected'],
    [401, true, 'provider_auth_failed'],
    [403, true, 'provider_auth_failed'],
    [408, true, 'provider_unavailable'],
    [429, true, 'provider_unavailable'],
    [500, true, 'provider_unavailable'],
    [503, true, 'provider_unavailable'],
  ])('classifies a %i answer as retryable=%s %s', async (status, retryable, reasonCode) => {
    const { sender, provider } = setup();
    sender.behaviour = () => Promise.reject(pushServiceAnswers(status));

    const err = await failureOf(provider.send(aMessage(), never()));

    expect(err).toMatchObject({ retryable, reasonCode, deadTarget: false });
  });

  it('logs a VAPID rejection for an operator', async () => {
    const logger = { error: jest.fn() };
    const { sender, provider } = setup({ logger });
    sender.behaviour = () => Promise.reject(pushServiceAnswers(403));

    await failureOf(provider.send(aMessage({}, 'ntf_abc'), never()));

    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ provider: 'web-push', notificationId: 'ntf_abc' }),
      expect.stringContaining('VAPID'),
    );
  });

  it('retries network failures, naming neither the failure nor the endpoint', async () => {
    const { sender, provider } = setup();
    sender.behaviour = () =>
      Promise.reject(
        Object.assign(new Error(`connect ECONNREFUSED for ${ENDPOINT}`), { code: 'ECONNREFUSED' }),
      );

    const err = await failureOf(provider.send(aMessage(), never()));

    expect(err).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
      message: 'Push service could not be reached',
      cause: { code: 'ECONNREFUSED' },
    });
    expect(err.providerCode).toBeUndefined();
  });

  it('refuses for good an endpoint the guarded agent refused', async () => {
    const { sender, provider } = setup();
    sender.behaviour = () =>
      Promise.reject(new AppError('VALIDATION_FAILED', 'destination must not point to a private'));

    const err = await failureOf(provider.send(aMessage(), never()));

    expect(err).toMatchObject({ retryable: false, reasonCode: 'endpoint_not_allowed' });
  });

  it('refuses for good a subscription key that is not a curve point', async () => {
    const { sender, provider } = setup();
    sender.behaviour = () =>
      Promise.reject(
        Object.assign(new Error('Public key is not valid for specified curve'), {
          code: 'ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY',
        }),
      );

    const err = await failureOf(provider.send(aMessage(), never()));

    expect(err).toMatchObject({ retryable: false, reasonCode: 'invalid_subscription' });
  });

  it('keeps the endpoint out of the message and the cause', async () => {
    const { sender, provider } = setup();
    sender.behaviour = () => Promise.reject(pushServiceAnswers(410));

    const err = await failureOf(provider.send(aMessage(), never()));

    expect(err.message).not.toContain('push.example.net');
    expect(JSON.stringify(err.cause)).not.toContain('secret-user-token');
    expect(String((err.cause as Error).stack)).not.toContain('secret-user-token');
    expect(err.cause).toMatchObject({ name: 'WebPushError', statusCode: 410 });
  });

  it('fails with a retryable timeout when the signal aborts mid-send', async () => {
    const { sender, provider } = setup();
    sender.behaviour = () => new Promise(() => undefined);
    const controller = new AbortController();

    const sending = failureOf(provider.send(aMessage(), controller.signal));
    controller.abort(new Error('deadline'));
    const err = await sending;

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_timeout' });
  });

  it('does not send when the signal has already aborted', async () => {
    const { sender, provider } = setup();
    const controller = new AbortController();
    controller.abort();

    const err = await failureOf(provider.send(aMessage(), controller.signal));

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_timeout' });
    expect(sender.sent).toHaveLength(0);
  });
});
