import type { OutboundMessage, PushNotificationRequest } from '@herald/core';
import { createGuardedAgent, createUrlGuard } from '@herald/guards';
import type { GuardedAgent, ResolvedAddress, UrlGuardOptions } from '@herald/guards';
import { createWebPushProvider } from './web-push';
import { createWebPushSender, generateVapidKeys } from './web-push-sender';
import { createSubscription, readVapidAuthorization, startTestPushService } from './testing';
import type { TestPushService, TestSubscription } from './testing';
import { failureOf, never } from './testing-failures';

const VAPID = { subject: 'mailto:ops@herald.test', ...generateVapidKeys() };

function aMessage(
  sub: TestSubscription,
  overrides: Partial<PushNotificationRequest> = {},
  notificationId = 'ntf_0123456789abcdefghijklmnop',
): OutboundMessage<PushNotificationRequest> {
  return {
    notificationId,
    request: {
      channel: 'push',
      to: { webPush: sub.subscription },
      title: 'Your order shipped',
      body: 'It arrives on Tuesday.',
      ...overrides,
    },
  };
}

/** `push.test` is the local push service, resolved once per call; counts lookups. */
function pushDns() {
  const calls: string[] = [];
  const lookup = (host: string): Promise<ResolvedAddress[]> => {
    calls.push(host);
    return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
  };
  return { lookup, calls };
}

/** The subscription with its endpoint's origin replaced (same path). */
function at(origin: string, sub: TestSubscription): TestSubscription {
  const { pathname } = new URL(sub.subscription.endpoint);
  return { ...sub, subscription: { ...sub.subscription, endpoint: `${origin}${pathname}` } };
}

describe('web push provider against a real HTTPS push service', () => {
  let service: TestPushService;
  let provider: ReturnType<typeof createWebPushProvider>;
  const agents: GuardedAgent[] = [];

  /** The provider as the worker builds it: through a guarded agent that trusts the service. */
  function guardedProvider(guard: Partial<UrlGuardOptions> = {}) {
    const agent = createGuardedAgent(
      createUrlGuard({ allowLoopback: true, allowHttp: false, ...guard }),
      { ca: service.ca },
    );
    agents.push(agent);
    return createWebPushProvider({
      sender: createWebPushSender(),
      vapid: VAPID,
      agent: agent.https,
      requestTimeoutMs: 5_000,
    });
  }

  beforeAll(async () => {
    service = await startTestPushService();
    provider = guardedProvider();
  });

  afterAll(async () => {
    agents.forEach((agent) => agent.destroy());
    await service.close();
  });

  const pushesTo = (sub: TestSubscription) =>
    service.pushes.filter((p) => p.subscriptionId === sub.id);

  it('delivers an encrypted payload the subscription can decrypt', async () => {
    const sub = createSubscription(service);
    const message = aMessage(
      sub,
      { url: 'https://shop.test/orders/42', data: { orderId: 42, tags: ['a'] } },
      'ntf_delivered0000000000000000',
    );

    const result = await provider.send(message, never());

    const [push] = pushesTo(sub);
    expect(result.providerMessageId).toMatch(
      new RegExp(`^${service.origin}/message/[0-9a-f-]{36}$`),
    );
    expect(push?.headers['content-encoding']).toBe('aes128gcm');
    expect(JSON.parse(sub.decrypt(push!.body).toString('utf8'))).toStrictEqual({
      title: 'Your order shipped',
      body: 'It arrives on Tuesday.',
      url: 'https://shop.test/orders/42',
      data: { orderId: 42, tags: ['a'] },
      notificationId: 'ntf_delivered0000000000000000',
    });
  });

  it('sends TTL, Urgency and Topic from the request', async () => {
    const sub = createSubscription(service);

    await provider.send(
      aMessage(sub, { ttlSeconds: 120, urgency: 'high', topic: 'order-42' }),
      never(),
    );

    expect(pushesTo(sub)[0]?.headers).toMatchObject({
      ttl: '120',
      urgency: 'high',
      topic: 'order-42',
    });
  });

  it('sends the four-week TTL, normal urgency and no Topic by default', async () => {
    const sub = createSubscription(service);

    await provider.send(aMessage(sub), never());

    const [push] = pushesTo(sub);
    expect(push?.headers).toMatchObject({ ttl: '2419200', urgency: 'normal' });
    expect(push?.headers).not.toHaveProperty('topic');
  });

  it('signs a VAPID JWT for the push service origin with our key', async () => {
    const sub = createSubscription(service);
    const now = Math.floor(Date.now() / 1000);

    await provider.send(aMessage(sub), never());

    const vapid = readVapidAuthorization(pushesTo(sub)[0]?.headers.authorization);
    expect(vapid).toMatchObject({
      publicKey: VAPID.publicKey,
      signatureValid: true,
      claims: { aud: service.origin, sub: 'mailto:ops@herald.test' },
    });
    expect(vapid?.claims.exp).toBeGreaterThan(now);
    expect(vapid?.claims.exp).toBeLessThanOrEqual(now + 24 * 3600);
  });

  it('refuses for good and marks the target dead when the subscription is gone', async () => {
    const sub = createSubscription(service);
    service.markGone(sub.id);

    const err = await failureOf(provider.send(aMessage(sub), never()));

    expect(err).toMatchObject({
      retryable: false,
      reasonCode: 'subscription_gone',
      providerCode: '410',
      deadTarget: true,
    });
    expect(err.message).not.toContain(sub.id);
    expect(JSON.stringify(err.cause)).not.toContain(sub.id);
  });

  it.each([429, 500])('retries when the push service answers %i', async (status) => {
    const sub = createSubscription(service);
    service.respondWith(sub.id, status);

    const err = await failureOf(provider.send(aMessage(sub), never()));

    expect(err).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
      providerCode: String(status),
      deadTarget: false,
    });
    expect(pushesTo(sub)).toHaveLength(1);
  });

  it('stops waiting at the deadline when the push service hangs', async () => {
    const sub = createSubscription(service);
    service.hang(sub.id);

    const err = await failureOf(provider.send(aMessage(sub), AbortSignal.timeout(300)));

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_timeout' });
  });

  it('retries, without sending, when the push service certificate is not trusted', async () => {
    const sub = createSubscription(service);
    const untrusting = createWebPushProvider({ sender: createWebPushSender(), vapid: VAPID });

    const err = await failureOf(untrusting.send(aMessage(sub), never()));

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_unavailable' });
    expect(err.cause).toMatchObject({ code: expect.stringMatching(/CERT|SELF_SIGNED/) as string });
    expect(pushesTo(sub)).toHaveLength(0);
  });

  it('says the same about a TLS failure as about a refused connection', async () => {
    const closed = await startTestPushService();
    const closedOrigin = closed.origin;
    await closed.close();
    const untrusting = createWebPushProvider({ sender: createWebPushSender(), vapid: VAPID });

    const tls = await failureOf(untrusting.send(aMessage(createSubscription(service)), never()));
    const refused = await failureOf(
      provider.send(aMessage(at(closedOrigin, createSubscription(service))), never()),
    );

    expect(refused.cause).toMatchObject({ code: 'ECONNREFUSED' });
    for (const err of [tls, refused]) {
      expect(err).toMatchObject({
        retryable: true,
        reasonCode: 'provider_unavailable',
        message: 'Push service could not be reached',
      });
      expect(err.providerCode).toBeUndefined();
    }
  });

  it('resolves the endpoint host through the guard once and connects to that address', async () => {
    const dns = pushDns();
    const sub = at(`https://push.test:${service.port}`, createSubscription(service));

    await guardedProvider({ lookup: dns.lookup }).send(aMessage(sub), never());

    expect(pushesTo(sub)).toHaveLength(1);
    expect(dns.calls).toEqual(['push.test']);
  });

  it('never connects to an endpoint whose host resolves to loopback at send time', async () => {
    const dns = pushDns();
    const sub = at(`https://push.test:${service.port}`, createSubscription(service));
    const before = service.connections;
    const strict = guardedProvider({
      allowLoopback: false,
      allowAnyPort: true,
      lookup: dns.lookup,
    });

    const err = await failureOf(strict.send(aMessage(sub), never()));

    expect(err).toMatchObject({ retryable: false, reasonCode: 'endpoint_not_allowed' });
    expect(service.connections).toBe(before);
    expect(pushesTo(sub)).toHaveLength(0);
  });

  it('refuses an endpoint on a port other than 443 outside local mode, before any lookup', async () => {
    const dns = pushDns();
    const sub = at(`https://push.test:${service.port}`, createSubscription(service));
    const before = service.connections;
    const strict = guardedProvider({ allowLoopback: false, lookup: dns.lookup });

    const err = await failureOf(strict.send(aMessage(sub), never()));

    expect(err).toMatchObject({ retryable: false, reasonCode: 'endpoint_not_allowed' });
    expect(service.connections).toBe(before);
    expect(dns.calls).toEqual([]);
  });
});
