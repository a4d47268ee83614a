import type { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { OutboundMessage, PushNotificationRequest } from '@herald/core';
import { createSnsPushProvider } from './sns-push';
import { failureOf, never } from './testing-failures';

const ARN =
  'arn:aws:sns:eu-west-1:123456789012:endpoint/GCM/herald/0f6b2c9e-1d3a-4c5b-9e7f-8a1b2c3d4e5f';

/** Records every Publish input; `behaviour` decides each call's result. */
class FakeSns {
  readonly calls: { input: PublishCommand['input']; signal?: AbortSignal }[] = [];
  behaviour: () => Promise<unknown> = () => Promise.resolve({ MessageId: 'msg-1' });

  send = ((command: PublishCommand, options?: { abortSignal?: AbortSignal }) => {
    this.calls.push({ input: command.input, signal: options?.abortSignal });
    return this.behaviour();
  }) as unknown as SNSClient['send'];
}

function aMessage(
  overrides: Partial<PushNotificationRequest> = {},
): OutboundMessage<PushNotificationRequest> {
  return {
    notificationId: 'ntf_0123456789abcdefghijklmnop',
    request: {
      channel: 'push',
      to: { snsEndpointArn: ARN },
      title: 'Order shipped',
      body: 'It is on its way',
      ...overrides,
    },
  };
}

/** An error shaped like the SDK's: a service exception with its HTTP metadata. */
function sdkError(name: string, status: number, fault: 'client' | 'server' = 'client'): Error {
  return Object.assign(new Error(`${name} for ${ARN}`), {
    name: `${name}Exception`,
    Code: name,
    $fault: fault,
    $metadata: { httpStatusCode: status },
  });
}

describe('createSnsPushProvider', () => {
  it('publishes JSON with a default text and FCM and APNs payloads to the endpoint', async () => {
    const sns = new FakeSns();
    const provider = createSnsPushProvider({ sns });
    const signal = never();

    const result = await provider.send(
      aMessage({ url: 'https://shop.example/o/7', data: { orderId: 7 } }),
      signal,
    );

    expect(result).toEqual({ providerMessageId: 'msg-1' });
    const { input, signal: passed } = sns.calls[0]!;
    expect(passed).toBe(signal);
    expect(input).toMatchObject({ TargetArn: ARN, MessageStructure: 'json' });
    const message = JSON.parse(input.Message!) as Record<string, string>;
    expect(Object.keys(message).sort()).toEqual(['APNS', 'GCM', 'default']);
    expect(message.default).toBe('It is on its way');
    expect(JSON.parse(message.GCM!)).toEqual({
      notification: { title: 'Order shipped', body: 'It is on its way' },
      data: {
        orderId: 7,
        url: 'https://shop.example/o/7',
        notificationId: 'ntf_0123456789abcdefghijklmnop',
      },
    });
    expect(JSON.parse(message.APNS!)).toEqual({
      aps: { alert: { title: 'Order shipped', body: 'It is on its way' } },
      url: 'https://shop.example/o/7',
      notificationId: 'ntf_0123456789abcdefghijklmnop',
      orderId: 7,
    });
  });

  it('addresses the APNs sandbox when asked', async () => {
    const sns = new FakeSns();

    await createSnsPushProvider({ sns, apnsSandbox: true }).send(aMessage(), never());

    const message = JSON.parse(sns.calls[0]!.input.Message!) as Record<string, string>;
    expect(Object.keys(message).sort()).toEqual(['APNS_SANDBOX', 'GCM', 'default']);
  });

  it('keeps its own keys when data uses the same names', async () => {
    const sns = new FakeSns();

    await createSnsPushProvider({ sns }).send(
      aMessage({ data: { notificationId: 'spoof', aps: { badge: 9 }, url: 'x' } }),
      never(),
    );

    const message = JSON.parse(sns.calls[0]!.input.Message!) as Record<string, string>;
    const apns = JSON.parse(message.APNS!) as Record<string, unknown>;
    const gcm = JSON.parse(message.GCM!) as { data: Record<string, unknown> };
    expect(apns).toMatchObject({ notificationId: 'ntf_0123456789abcdefghijklmnop', url: 'x' });
    expect(apns.aps).toEqual({ alert: { title: 'Order shipped', body: 'It is on its way' } });
    expect(gcm.data.notificationId).toBe('ntf_0123456789abcdefghijklmnop');
  });

  it('refuses a web push target without calling SNS', async () => {
    const sns = new FakeSns();
    const webPush = { endpoint: 'https://push.example/x', keys: { p256dh: 'k', auth: 'a' } };

    const err = await failureOf(
      createSnsPushProvider({ sns }).send(aMessage({ to: { webPush } }), never()),
    );

    expect(err).toMatchObject({ retryable: false, reasonCode: 'target_not_supported' });
    expect(sns.calls).toHaveLength(0);
  });

  it.each([
    ['EndpointDisabled', 400, false, 'subscription_gone', true],
    ['InvalidParameter', 400, false, 'recipient_invalid', false],
    ['NotFound', 404, false, 'recipient_invalid', false],
    ['AuthorizationError', 403, true, 'provider_auth_failed', false],
    ['InvalidClientTokenId', 403, true, 'provider_auth_failed', false],
    ['PlatformApplicationDisabled', 400, true, 'provider_auth_failed', false],
    ['Throttled', 429, true, 'provider_unavailable', false],
    ['InternalError', 500, true, 'provider_unavailable', false],
    ['KMSNotFound', 400, false, 'provider_rejected', false],
  ])('maps %s (%i) to retryable %s, %s', async (code, status, retryable, reasonCode, dead) => {
    const sns = new FakeSns();
    sns.behaviour = () =>
      Promise.reject(sdkError(code, status, status >= 500 ? 'server' : 'client'));

    const err = await failureOf(createSnsPushProvider({ sns }).send(aMessage(), never()));

    expect(err).toMatchObject({ retryable, reasonCode, deadTarget: dead, providerCode: code });
    expect(err.provider).toBe('sns');
  });

  it('counts an unknown 5xx as unavailable', async () => {
    const sns = new FakeSns();
    sns.behaviour = () => Promise.reject(sdkError('Unknown', 503, 'server'));

    const err = await failureOf(createSnsPushProvider({ sns }).send(aMessage(), never()));

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_unavailable' });
  });

  it('counts a socket failure as unavailable', async () => {
    const sns = new FakeSns();
    sns.behaviour = () =>
      Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

    const err = await failureOf(createSnsPushProvider({ sns }).send(aMessage(), never()));

    expect(err).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
      providerCode: 'ECONNREFUSED',
    });
  });

  it('reports a deadline as a retryable timeout', async () => {
    const sns = new FakeSns();
    const controller = new AbortController();
    sns.behaviour = () => {
      controller.abort();
      return Promise.reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
    };

    const err = await failureOf(createSnsPushProvider({ sns }).send(aMessage(), controller.signal));

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_timeout' });
  });

  it('never names the endpoint in the error or its cause', async () => {
    const sns = new FakeSns();
    sns.behaviour = () => Promise.reject(sdkError('InvalidParameter', 400));

    const err = await failureOf(createSnsPushProvider({ sns }).send(aMessage(), never()));

    const cause = err.cause as Error;
    expect(err.message).not.toContain(ARN);
    expect(cause.message).toBe('InvalidParameter for [redacted-arn]');
    expect(cause.stack).not.toContain(ARN);
  });

  it('logs an authentication failure for the operator, with ids only', async () => {
    const sns = new FakeSns();
    sns.behaviour = () => Promise.reject(sdkError('AuthorizationError', 403));
    const logged: object[] = [];
    const logger = { error: (obj: object) => void logged.push(obj) };

    await failureOf(createSnsPushProvider({ sns, logger }).send(aMessage(), never()));

    expect(logged).toEqual([
      expect.objectContaining({
        provider: 'sns',
        notificationId: 'ntf_0123456789abcdefghijklmnop',
      }),
    ]);
    expect(JSON.stringify(logged)).not.toContain('123456789012');
  });
});
