import type { OutboundMessage, PushNotificationRequest } from '@herald/core';
import { FixedClock } from '@herald/core/testing';
import { apnsIdFor, createApnsProvider, MAX_APNS_PAYLOAD_BYTES } from './apns';
import type { ApnsAnswer, ApnsConnections } from './apns-connections';
import type { ApnsTokenSource } from './apns-token';
import { failureOf, never } from './testing-failures';

const TOKEN = 'a1'.repeat(32);

/** Records where each post went; answers 200. Host choice and headers only: the wire is in the int test. */
class RecordingConnections implements ApnsConnections {
  readonly posts: { origin: string; path: string; headers: Record<string, unknown> }[] = [];
  post(origin: string, path: string, headers: Record<string, unknown>): Promise<ApnsAnswer> {
    this.posts.push({ origin, path, headers });
    return Promise.resolve({ status: 200, headers: {}, body: '' });
  }
  close(): void {}
}

const tokens: ApnsTokenSource = { get: () => Promise.resolve('jwt'), invalidate: () => undefined };

function aMessage(
  apns: Record<string, string>,
  overrides: Partial<PushNotificationRequest> = {},
): OutboundMessage<PushNotificationRequest> {
  return {
    notificationId: 'ntf_0123456789abcdefghijklmnop',
    request: {
      channel: 'push',
      to: { apns: { token: TOKEN, ...apns } },
      title: 'Beam is back',
      body: 'Injection resumed',
      ...overrides,
    },
  };
}

function setup(opts: { defaultEnvironment?: 'production' | 'sandbox'; bundleId?: string } = {}) {
  const connections = new RecordingConnections();
  const clock = new FixedClock(new Date('2026-03-01T10:00:00.000Z'));
  const provider = createApnsProvider({
    connections,
    tokens,
    clock,
    bundleId: 'net.herald.app',
    ...opts,
  });
  return { connections, provider };
}

describe('createApnsProvider', () => {
  it("sends to the host of the target's environment, else the default one", async () => {
    const { connections, provider } = setup({ defaultEnvironment: 'sandbox' });

    await provider.send(aMessage({ environment: 'production' }), never());
    await provider.send(aMessage({}), never());

    expect(connections.posts.map((p) => p.origin)).toEqual([
      'https://api.push.apple.com',
      'https://api.sandbox.push.apple.com',
    ]);
    expect(connections.posts[0]?.path).toBe(`/3/device/${TOKEN}`);
  });

  it('derives apns-id from the notification id, so a resend carries the same id', async () => {
    const { connections, provider } = setup();

    const result = await provider.send(aMessage({}), never());

    expect(apnsIdFor('ntf_0123456789abcdefghijklmnop')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(connections.posts[0]?.headers['apns-id']).toBe(
      apnsIdFor('ntf_0123456789abcdefghijklmnop'),
    );
    expect(result.providerMessageId).toBe(apnsIdFor('ntf_0123456789abcdefghijklmnop'));
  });

  it('sets apns-expiration from expiresAt, else ttlSeconds, else leaves it out', async () => {
    const { connections, provider } = setup();

    await provider.send(aMessage({}, { expiresAt: '2026-03-02T00:00:00.000Z' }), never());
    await provider.send(aMessage({}, { ttlSeconds: 60 }), never());
    await provider.send(aMessage({}, { ttlSeconds: 0 }), never());
    await provider.send(aMessage({}), never());

    expect(connections.posts.map((p) => p.headers['apns-expiration'])).toEqual([
      String(Date.parse('2026-03-02T00:00:00Z') / 1000),
      String(Date.parse('2026-03-01T10:01:00Z') / 1000),
      '0',
      undefined,
    ]);
  });

  it('refuses other targets, oversized payloads and a missing bundle id before any call', async () => {
    const { connections, provider } = setup({ bundleId: undefined });
    const web = aMessage({});
    web.request.to = { snsEndpointArn: 'arn:aws:sns:eu-west-1:123456789012:endpoint/APNS/a/b' };

    const errors = await Promise.all([
      failureOf(provider.send(web, never())),
      failureOf(
        provider.send(
          aMessage({ bundleId: 'net.herald.app' }, { body: 'x'.repeat(MAX_APNS_PAYLOAD_BYTES) }),
          never(),
        ),
      ),
      failureOf(provider.send(aMessage({}), never())),
    ]);

    expect(errors.map((e) => [e.retryable, e.reasonCode])).toEqual([
      [false, 'target_not_supported'],
      [false, 'payload_too_large'],
      [false, 'provider_rejected'],
    ]);
    expect(connections.posts).toEqual([]);
    expect(provider.supports?.(web.request)).toBe(false);
  });
});
