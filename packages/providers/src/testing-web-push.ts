/**
 * Test support for the web push provider suites (`web-push-*.test.ts`): a fake sender that records
 * every push, real subscription keys, and the errors the web-push library throws.
 */
import { createECDH, randomBytes } from 'node:crypto';
import type { OutboundMessage, PushNotificationRequest } from '@herald/core';
import { WebPushError } from 'web-push';
import { createWebPushProvider } from './web-push';
import type { WebPushProviderOptions } from './web-push';
import { generateVapidKeys } from './web-push-sender';
import type { WebPushSendOptions, WebPushSender } from './web-push-sender';

/** The endpoint of every subscription `aSubscription` makes. */
export const ENDPOINT = 'https://push.example.net/wpush/v2/secret-user-token';
/** A fresh VAPID key pair with its subject. */
export const VAPID = { subject: 'mailto:ops@herald.test', ...generateVapidKeys() };

/** One call to the sender, as made. */
export interface SentPush {
  subscription: Parameters<WebPushSender['sendNotification']>[0];
  payload: string;
  options: WebPushSendOptions;
}

/** Records every push; `behaviour` decides each call's result. */
export class FakeSender implements WebPushSender {
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

/** A browser subscription to ENDPOINT with a real P-256 key and a random auth secret. */
export function aSubscription() {
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

/** A push request to a fresh subscription. */
export function aPushRequest(
  overrides: Partial<PushNotificationRequest> = {},
): PushNotificationRequest {
  return {
    channel: 'push',
    to: { webPush: aSubscription() },
    title: 'Your order shipped',
    body: 'It arrives on Tuesday.',
    ...overrides,
  };
}

/** A push message for `notificationId`, the request built by `aPushRequest(overrides)`. */
export function aMessage(
  overrides: Partial<PushNotificationRequest> = {},
  notificationId = 'ntf_0123456789abcdefghijklmnop',
): OutboundMessage<PushNotificationRequest> {
  return { notificationId, request: aPushRequest(overrides) };
}

/** A provider with VAPID over a fresh FakeSender. */
export function setup(opts: Partial<WebPushProviderOptions> = {}) {
  const sender = new FakeSender();
  const provider = createWebPushProvider({ sender, vapid: VAPID, ...opts });
  return { sender, provider };
}

/** What the web-push library throws when the push service answers `statusCode`. */
export function pushServiceAnswers(statusCode: number): Error {
  return new WebPushError(
    'Received unexpected response code',
    statusCode,
    {},
    `{"error":"bad subscription ${ENDPOINT}"}`,
    ENDPOINT,
  );
}
