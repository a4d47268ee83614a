/**
 * The APNs provider against a real TLS HTTP/2 stand-in (`startTestApnsServer`) that verifies
 * every provider token's ES256 signature with the team's public key and answers as APNs does.
 */
import type { OutboundMessage, PushNotificationRequest } from '@herald/core';
import { systemClock } from '@herald/core';
import { apnsIdFor, createApnsProvider } from './apns';
import { createApnsConnections } from './apns-connections';
import { createApnsTokenSource, readApnsKey } from './apns-token';
import { generateApnsKey, startTestApnsServer } from './testing-apns';
import type { TestApnsServer } from './testing-apns';
import { failureOf, never } from './testing-failures';

const team = generateApnsKey();
const BUNDLE = 'net.herald.test';
let server: TestApnsServer;
let closeAll: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestApnsServer(team, BUNDLE);
});
afterEach(() => {
  closeAll.forEach((close) => close());
  closeAll = [];
});
afterAll(() => server.close());

const deviceToken = (n: number) => n.toString(16).padStart(2, '0').repeat(32);

function setup(key = team) {
  const connections = createApnsConnections({ ca: server.ca });
  closeAll.push(() => connections.close());
  const errors: unknown[] = [];
  const provider = createApnsProvider({
    connections,
    tokens: createApnsTokenSource({
      keyId: key.keyId,
      teamId: key.teamId,
      key: readApnsKey(key.pem),
      clock: systemClock,
    }),
    bundleId: BUNDLE,
    host: server.origin,
    logger: { error: (obj) => void errors.push(obj) },
  });
  return { provider, errors };
}

function aMessage(
  token: string,
  overrides: Partial<PushNotificationRequest> = {},
  notificationId = `ntf_${token.slice(0, 22)}`,
): OutboundMessage<PushNotificationRequest> {
  return {
    notificationId,
    request: {
      channel: 'push',
      to: { apns: { token } },
      title: 'Beam is back',
      subtitle: 'Linac',
      body: 'Injection resumed at 10:02',
      data: { incident: 'INC-42', notificationId: 'spoofed' },
      ...overrides,
    },
  };
}

const pushesTo = (token: string) => server.pushes.filter((p) => p.deviceToken === token);

describe('the APNs provider against a local APNs', () => {
  it('delivers with a verified provider token, the APNs headers and the alert payload', async () => {
    const { provider } = setup();
    const token = deviceToken(1);
    const message = aMessage(token, { expiresAt: '2099-01-01T00:00:00.000Z', topic: 'beam' });

    const result = await provider.send(message, never());

    expect(result).toEqual({ providerMessageId: apnsIdFor(message.notificationId) });
    const [push] = pushesTo(token);
    expect(push?.status).toBe(200);
    expect(push?.headers).toMatchObject({
      'apns-push-type': 'alert',
      'apns-topic': BUNDLE,
      'apns-priority': '10',
      'apns-expiration': String(Date.parse('2099-01-01T00:00:00Z') / 1000),
      'apns-collapse-id': 'beam',
    });
    expect(push?.payload).toEqual({
      aps: {
        alert: { title: 'Beam is back', subtitle: 'Linac', body: 'Injection resumed at 10:02' },
      },
      incident: 'INC-42',
      notificationId: message.notificationId,
    });
  });

  it('sends low urgency at priority 5', async () => {
    const { provider } = setup();
    const token = deviceToken(2);

    await provider.send(aMessage(token, { urgency: 'low' }), never());

    expect(pushesTo(token)[0]?.headers['apns-priority']).toBe('5');
  });

  it('reuses one HTTP/2 connection and opens a new one after GOAWAY', async () => {
    const { provider } = setup();
    const before = server.sessions;

    await Promise.all([3, 4, 5].map((n) => provider.send(aMessage(deviceToken(n)), never())));
    const afterBurst = server.sessions;
    server.goAway();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await provider.send(aMessage(deviceToken(6)), never());

    expect(afterBurst - before).toBe(1);
    expect(server.sessions - before).toBe(2);
    expect(pushesTo(deviceToken(6))[0]?.status).toBe(200);
  });

  it('refuses an unregistered device for good and marks it dead', async () => {
    const { provider } = setup();
    const token = deviceToken(7);
    server.unregister(token);

    const err = await failureOf(provider.send(aMessage(token), never()));

    expect(err).toMatchObject({
      retryable: false,
      reasonCode: 'subscription_gone',
      deadTarget: true,
      providerCode: 'Unregistered',
    });
    expect(err.message).not.toContain(token);
  });

  it('refuses a malformed device token (400 BadDeviceToken) and marks it dead', async () => {
    const { provider } = setup();
    const token = 'ff'.repeat(33);
    server.script(token, { status: 400, reason: 'BadDeviceToken' });

    const err = await failureOf(provider.send(aMessage(token), never()));

    expect(err).toMatchObject({
      retryable: false,
      reasonCode: 'recipient_invalid',
      deadTarget: true,
    });
  });

  it('signs a new provider token and retries once on ExpiredProviderToken', async () => {
    const { provider } = setup();
    await provider.send(aMessage(deviceToken(8)), never());
    const old = pushesTo(deviceToken(8))[0]?.providerToken ?? '';
    server.expireProviderToken(old);

    await provider.send(aMessage(deviceToken(9)), never());

    expect(pushesTo(deviceToken(9)).map((p) => [p.status, p.reason])).toEqual([
      [403, 'ExpiredProviderToken'],
      [200, undefined],
    ]);
    expect(pushesTo(deviceToken(9))[1]?.providerToken).not.toBe(old);
  });

  it('reports a token APNs refuses (wrong key) as a logged, retryable auth failure', async () => {
    const { provider, errors } = setup({ ...generateApnsKey(), keyId: team.keyId });
    const token = deviceToken(10);

    const err = await failureOf(provider.send(aMessage(token), never()));

    expect(err).toMatchObject({
      retryable: true,
      reasonCode: 'provider_auth_failed',
      providerCode: 'InvalidProviderToken',
    });
    expect(pushesTo(token)).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });

  it('makes 429 (with Retry-After) and 500 transient', async () => {
    const { provider } = setup();
    const token = deviceToken(11);
    server.script(token, { status: 429, reason: 'TooManyRequests', retryAfter: 30 });
    server.script(token, { status: 500, reason: 'InternalServerError' });

    const throttled = await failureOf(provider.send(aMessage(token), never()));
    const failed = await failureOf(provider.send(aMessage(token), never()));

    expect(throttled).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
      retryAfterMs: 30_000,
    });
    expect(failed).toMatchObject({ retryable: true, reasonCode: 'provider_unavailable' });
  });

  it('makes 413 PayloadTooLarge permanent', async () => {
    const { provider } = setup();
    const token = deviceToken(12);
    server.script(token, { status: 413, reason: 'PayloadTooLarge' });

    const err = await failureOf(provider.send(aMessage(token), never()));

    expect(err).toMatchObject({ retryable: false, reasonCode: 'payload_too_large' });
  });

  it('makes an unreachable host transient and an aborted send a timeout', async () => {
    const connections = createApnsConnections({ ca: server.ca });
    closeAll.push(() => connections.close());
    const tokens = createApnsTokenSource({
      keyId: team.keyId,
      teamId: team.teamId,
      key: readApnsKey(team.pem),
      clock: systemClock,
    });
    const down = createApnsProvider({
      connections,
      tokens,
      bundleId: BUNDLE,
      host: 'https://127.0.0.1:1',
    });
    const { provider } = setup();
    const aborted = new AbortController();
    aborted.abort(new Error('deadline'));

    const unreachable = await failureOf(down.send(aMessage(deviceToken(13)), never()));
    const late = await failureOf(provider.send(aMessage(deviceToken(14)), aborted.signal));

    expect(unreachable).toMatchObject({ retryable: true, reasonCode: 'provider_unavailable' });
    expect(late).toMatchObject({ retryable: true, reasonCode: 'provider_timeout' });
  });
});
