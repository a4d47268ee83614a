/** The web push provider: the payload and options it hands the sender, and VAPID keys. */
import { Agent } from 'node:https';
import { generateVapidKeys } from './web-push-sender';
import { never } from './testing-failures';
import { aMessage, aPushRequest, setup, VAPID } from './testing-web-push';

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
});

describe('generateVapidKeys', () => {
  it('returns a 65-byte public key and a 32-byte private key, base64url', () => {
    const keys = generateVapidKeys();

    expect(Buffer.from(keys.publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(keys.privateKey, 'base64url')).toHaveLength(32);
    expect(keys.publicKey).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
