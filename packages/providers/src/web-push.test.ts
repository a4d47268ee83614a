import { createECDH, randomBytes } from 'node:crypto';
import { Agent } from 'node:https';
import { AppError, ProviderError } from '@herald/core';
import type { OutboundMessage, PushNotificationRequest } from '@herald/core';
import { WebPushError } from 'web-push';
import { MAX_WEB_PUSH_PAYLOAD_BYTES, createWebPushProvider } from './web-push';
import type { WebPushProviderOptions } from './web-push';
import { generateVapidKeys } from './web-push-sender';
import type { WebPushSendOptions, WebPushSender } from './web-push-sender';

const ENDPOINT = 'https://push.example.net/wpush/v2/secret-user-token';
const VAPID = { subject: 'mailto:ops@herald.test', ...generateVapidKeys() };

interface SentPush {
  subscription: Parameters<WebPushSender['sendNotification']>[0];
  payload: string;
  options: WebPushSendOptions;
}

/** Records every push; `behaviour` decides each call's result. */
class FakeSender implements WebPushSender {
  readonly sent: SentPush[] = [];
  behaviour: () => ReturnType<WebPushSender['sendNotification']> = () =>
    Promise.resolve({ statusCode: 201, body: '', headers: {} });

  sendNotification(
    subscription: SentPush['subscription'],
    payload: string,
    options: WebPushSendOptions,
  ) {
    this.sent.push({ subscription, payload, options });
    return this.behaviour();
  }
}

function aSubscription() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint: ENDPOINT,
    keys: {
      p256dh: ecdh.getPublicKey().toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    },
  };
}

function aPushRequest(overrides: Partial<PushNotificationRequest> = {}): PushNotificationRequest {
  return {
    channel: 'push',
    to: { webPush: aSubscription() },
    title: 'Your order shipped',
    body: 'It arrives on Tuesday.',
    ...overrides,
  };
}

function aMessage(
  overrides: Partial<PushNotificationRequest> = {},
  notificationId = 'ntf_0123456789abcdefghijklmnop',
): OutboundMessage<PushNotificationRequest> {
  return { notificationId, request: aPushRequest(overrides) };
}

function setup(opts: Partial<WebPushProviderOptions> = {}) {
  const sender = new FakeSender();
  const provider = createWebPushProvider({ sender, vapid: VAPID, ...opts });
  return { sender, provider };
}

const never = () => new AbortController().signal;

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ProviderError))
    throw new Error(`expected a ProviderError, got ${String(err)}`);
  return err;
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected it to throw');
}

function pushServiceAnswers(statusCode: number): Error {
  return new WebPushError(
    'Received unexpected response code',
    statusCode,
    {},
    `{"error":"bad subscription ${ENDPOINT}"}`,
    ENDPOINT,
  );
}

describe('createWebPushProvider', () => {
  it('sends the title, body, url, data and notification id as the JSON payload', async () => {
    const { sender, provider } = setup();
    const request = aPushRequest({ url: 'https://shop.test/orders/42', data: { orderId: 42 } });

    await provider.send({ notificationId: 'ntf_abc', request }, never());

    expect(sender.sent[0]?.subscription).toBe('webPush' in request.to && request.to.webPush);
    expect(JSON.parse(sender.sent[0]!.payload)).toStrictEqual({
      title: 'Your order shipped',
      body: 'It arrives on Tuesday.',
      url: 'https://shop.test/orders/42',
      data: { orderId: 42 },
      notificationId: 'ntf_abc',
    });
  });

  it('leaves url and data out of the payload when the request has none', async () => {
    const { sender, provider } = setup();

    await provider.send(aMessage({}, 'ntf_abc'), never());

    expect(sender.sent[0]?.payload).toBe(
      '{"title":"Your order shipped","body":"It arrives on Tuesday.","notificationId":"ntf_abc"}',
    );
  });

  it('passes TTL, urgency, topic, VAPID details and the aes128gcm encoding', async () => {
    const { sender, provider } = setup();

    await provider.send(aMessage({ ttlSeconds: 60, urgency: 'high', topic: 'order-42' }), never());

    expect(sender.sent[0]?.options).toStrictEqual({
      TTL: 60,
      urgency: 'high',
      topic: 'order-42',
      vapidDetails: VAPID,
      contentEncoding: 'aes128gcm',
      timeout: 30_000,
    });
  });

  it('uses the default TTL when the request sets none', async () => {
    const { sender, provider } = setup();
    const custom = setup({ defaultTtlSeconds: 3600, requestTimeoutMs: 5_000 });

    await provider.send(aMessage(), never());
    await custom.provider.send(aMessage(), never());

    expect(sender.sent[0]?.options).toMatchObject({ TTL: 2_419_200 });
    expect(sender.sent[0]?.options).not.toHaveProperty('urgency');
    expect(sender.sent[0]?.options).not.toHaveProperty('topic');
    expect(custom.sender.sent[0]?.options).toMatchObject({ TTL: 3600, timeout: 5_000 });
  });

  it('keeps a TTL of zero', async () => {
    const { sender, provider } = setup({ defaultTtlSeconds: 600 });

    await provider.send(aMessage({ ttlSeconds: 0 }), never());

    expect(sender.sent[0]?.options.TTL).toBe(0);
  });

  it('passes the HTTPS agent through', async () => {
    const agent = new Agent();
    const { sender, provider } = setup({ agent });

    await provider.send(aMessage(), never());

    expect(sender.sent[0]?.options.agent).toBe(agent);
    agent.destroy();
  });

  it("returns the push service's Location as the provider message id", async () => {
    const { sender, provider } = setup();
    sender.behaviour = () =>
      Promise.resolve({
        statusCode: 201,
        body: '',
        headers: { location: 'https://push.example.net/m/abc123' },
      });

    const result = await provider.send(aMessage(), never());

    expect(result).toStrictEqual({ providerMessageId: 'https://push.example.net/m/abc123' });
  });

  it('falls back to webpush:<notificationId> without a Location', async () => {
    const { provider } = setup();

    const result = await provider.send(aMessage({}, 'ntf_abc'), never());

    expect(result).toStrictEqual({ providerMessageId: 'webpush:ntf_abc' });
  });

  it('names itself web-push on the push channel unless given a name', () => {
    expect(setup().provider).toMatchObject({ channel: 'push', name: 'web-push' });
    expect(setup({ name: 'vapid-eu' }).provider.name).toBe('vapid-eu');
  });

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

  it('refuses an SNS endpoint target without sending, so another provider can take it', async () => {
    const { sender, provider } = setup();
    const to = { snsEndpointArn: 'arn:aws:sns:eu-west-1:123456789012:endpoint/GCM/app/0a1b-2c3d' };

    const err = await failureOf(provider.send(aMessage({ to }), never()));

    expect(err).toMatchObject({
      retryable: false,
      reasonCode: 'target_not_supported',
      deadTarget: false,
    });
    expect(sender.sent).toHaveLength(0);
  });

  it.each([
    ['a short p256dh', { p256dh: 'BAAA', auth: randomBytes(16).toString('base64url') }],
    ['a short auth secret', { p256dh: aSubscription().keys.p256dh, auth: 'AAAA' }],
    ['a key that is not base64', { p256dh: aSubscription().keys.p256dh, auth: 'not base64!' }],
  ])('refuses %s without sending', async (_, keys) => {
    const { sender, provider } = setup();
    const to = { webPush: { endpoint: ENDPOINT, keys } };

    const err = await failureOf(provider.send(aMessage({ to }), never()));

    expect(err).toMatchObject({ retryable: false, reasonCode: 'invalid_subscription' });
    expect(sender.sent).toHaveLength(0);
  });

  it('accepts keys in padded standard base64, as web-push does', async () => {
    const { sender, provider } = setup();
    const { keys } = aSubscription();
    const padded = {
      p256dh: Buffer.from(keys.p256dh, 'base64url').toString('base64'),
      auth: Buffer.from(keys.auth, 'base64url').toString('base64'),
    };

    await provider.send(
      aMessage({ to: { webPush: { endpoint: ENDPOINT, keys: padded } } }),
      never(),
    );

    expect(sender.sent).toHaveLength(1);
  });

  it('refuses a payload larger than a push service accepts without sending', async () => {
    const { sender, provider } = setup();
    const body = 'x'.repeat(MAX_WEB_PUSH_PAYLOAD_BYTES);

    const err = await failureOf(provider.send(aMessage({ body }), never()));

    expect(err).toMatchObject({ retryable: false, reasonCode: 'payload_too_large' });
    expect(sender.sent).toHaveLength(0);
  });

  it.each([
    ['a subject that is not mailto: or https:', { subject: 'http://herald.test' }],
    ['a subject that is not a URL', { subject: 'ops@herald.test' }],
    ['a short public key', { publicKey: 'BAAA' }],
    ['a private key of the wrong length', { privateKey: VAPID.publicKey }],
  ])('rejects %s at creation', (_, vapid) => {
    const err = errorOf(() => setup({ vapid: { ...VAPID, ...vapid } }));

    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it.each([-1, 1.5, 2_419_201])('rejects a default TTL of %p at creation', (defaultTtlSeconds) => {
    expect(errorOf(() => setup({ defaultTtlSeconds }))).toMatchObject({ code: 'CONFIG_INVALID' });
  });
});

describe('generateVapidKeys', () => {
  it('returns a 65-byte public key and a 32-byte private key, base64url', () => {
    const keys = generateVapidKeys();

    expect(Buffer.from(keys.publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(keys.privateKey, 'base64url')).toHaveLength(32);
    expect(keys.publicKey).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
