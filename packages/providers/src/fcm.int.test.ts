import { ProviderError } from '@herald/core';
import type { OutboundMessage, PushNotificationRequest } from '@herald/core';
import { createFcmProvider } from './fcm';
import { fcmError, generateFcmServiceAccount, startFcmServer } from './testing-fcm';
import type { FcmReply, FcmServer, RecordedFcmMessage } from './testing-fcm';

const TOKEN = 'dGVzdC1kZXZpY2UtdG9rZW4:APA91bH_test-device';

function push(
  extra: Partial<PushNotificationRequest> = {},
): OutboundMessage<PushNotificationRequest> {
  return {
    notificationId: 'ntf_fcm1',
    request: {
      channel: 'push',
      to: { fcm: { token: TOKEN } },
      title: 'Alarm',
      body: 'Beamline 3 vacuum lost',
      ...extra,
    },
  };
}

const signal = () => new AbortController().signal;

describe('FCM provider against a local FCM server (token endpoint + messages:send)', () => {
  let server: FcmServer;
  let answer: ((m: RecordedFcmMessage) => FcmReply | undefined) | undefined;

  beforeAll(async () => {
    server = await startFcmServer({ respond: (m) => answer?.(m) });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    answer = undefined;
    server.messages.length = 0;
    server.tokensIssued.length = 0;
    server.grantsRefused.length = 0;
  });

  const provider = () =>
    createFcmProvider({ account: server.serviceAccount, apiBaseUrl: server.url });

  it("gets a token with a verified grant, sends, and answers with FCM's message name", async () => {
    const fcm = provider();

    const result = await fcm.send(push({ url: 'https://example.com/a', topic: 'vac' }), signal());

    expect(result.providerMessageId).toBe('projects/herald-test/messages/0:1');
    expect(server.grantsRefused).toEqual([]);
    expect(server.tokensIssued).toHaveLength(1);
    expect(server.messages[0]).toMatchObject({
      projectId: 'herald-test',
      accessToken: server.tokensIssued[0],
      message: {
        token: TOKEN,
        notification: { title: 'Alarm', body: 'Beamline 3 vacuum lost' },
        data: { url: 'https://example.com/a', notificationId: 'ntf_fcm1' },
        android: { collapse_key: 'vac' },
      },
    });
  });

  it('reuses its access token across sends', async () => {
    const fcm = provider();

    await Promise.all([fcm.send(push(), signal()), fcm.send(push(), signal())]);
    await fcm.send(push(), signal());

    expect(server.tokensIssued).toHaveLength(1);
    expect(server.messages).toHaveLength(3);
  });

  it('on a 401 fetches a new access token once and sends again', async () => {
    const fcm = provider();
    await fcm.send(push(), signal());
    server.revoke(server.tokensIssued[0] ?? '');

    await fcm.send(push(), signal());

    expect(server.tokensIssued).toHaveLength(2);
    expect(server.messages.at(-1)?.accessToken).toBe(server.tokensIssued[1]);
  });

  it('UNREGISTERED → permanent subscription_gone, target dead', async () => {
    answer = () => fcmError(404, 'NOT_FOUND', 'UNREGISTERED');

    const err = await provider()
      .send(push(), signal())
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({
      retryable: false,
      reasonCode: 'subscription_gone',
      deadTarget: true,
      providerCode: 'UNREGISTERED',
    });
    expect((err as Error).message).not.toContain(TOKEN);
  });

  it('429 QUOTA_EXCEEDED → transient with its Retry-After', async () => {
    answer = () => fcmError(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED', { 'retry-after': '42' });

    const err = await provider()
      .send(push(), signal())
      .catch((e: unknown) => e);

    expect(err).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
      providerCode: 'QUOTA_EXCEEDED',
      retryAfterMs: 42_000,
    });
  });

  it('500 → transient', async () => {
    answer = () => fcmError(500, 'INTERNAL', 'INTERNAL');

    await expect(provider().send(push(), signal())).rejects.toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
    });
  });

  it('a grant signed with another key is refused by the token endpoint → auth failure, logged', async () => {
    const { account: impostor } = await generateFcmServiceAccount(server.serviceAccount.token_uri);
    const logged: unknown[] = [];
    const fcm = createFcmProvider({
      account: { ...server.serviceAccount, private_key: impostor.private_key },
      apiBaseUrl: server.url,
      logger: { error: (obj) => logged.push(obj) },
    });

    await expect(fcm.send(push(), signal())).rejects.toMatchObject({
      retryable: true,
      reasonCode: 'provider_auth_failed',
      providerCode: 'invalid_grant',
    });
    expect(server.grantsRefused[0]).toMatch(/signature/);
    expect(server.messages).toHaveLength(0);
    expect(logged).toHaveLength(1);
  });

  it('a project the account may not send for → 403 auth failure', async () => {
    const fcm = createFcmProvider({
      account: { ...server.serviceAccount, project_id: 'someone-else' },
      apiBaseUrl: server.url,
    });

    await expect(fcm.send(push(), signal())).rejects.toMatchObject({
      retryable: true,
      reasonCode: 'provider_auth_failed',
      providerCode: 'PERMISSION_DENIED',
    });
  });

  it('refuses targets that are not FCM tokens without calling anyone', async () => {
    const fcm = provider();
    const request: PushNotificationRequest = {
      ...push().request,
      to: { snsEndpointArn: 'arn:aws:sns:x' },
    };

    expect(fcm.supports?.(request)).toBe(false);
    await expect(fcm.send({ notificationId: 'n', request }, signal())).rejects.toMatchObject({
      retryable: false,
      reasonCode: 'target_not_supported',
    });
    expect(server.tokensIssued).toHaveLength(0);
  });

  it('an unreachable FCM is transient, and an aborted send a timeout', async () => {
    const down = createFcmProvider({
      account: server.serviceAccount,
      apiBaseUrl: 'http://127.0.0.1:9',
    });
    await expect(down.send(push(), signal())).rejects.toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
    });
    const aborted = new AbortController();
    aborted.abort();
    await expect(provider().send(push(), aborted.signal)).rejects.toMatchObject({
      retryable: true,
      reasonCode: 'provider_timeout',
    });
  });
});
