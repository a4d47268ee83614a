/** The web push provider: targets, keys, payloads and options it refuses before sending. */
import { randomBytes } from 'node:crypto';
import { AppError } from '@herald/core';
import { MAX_WEB_PUSH_PAYLOAD_BYTES } from './web-push';
import { failureOf, never } from './testing-failures';
import { aMessage, aSubscription, ENDPOINT, setup, VAPID } from './testing-web-push';

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected it to throw');
}

describe('createWebPushProvider', () => {
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
