import type { Agent } from 'node:https';
import type * as WebPush from 'web-push';
import type { PushSubscription, RequestOptions } from 'web-push';
import { lazyRequire } from './lazy-require';

const webPush = lazyRequire<typeof WebPush>('web-push');

/** The options the provider passes to `sendNotification`; a subset of web-push's. */
export type WebPushSendOptions = Pick<
  RequestOptions,
  'TTL' | 'urgency' | 'topic' | 'vapidDetails' | 'contentEncoding' | 'timeout'
> & { agent?: Agent };

/**
 * The slice of the `web-push` library the provider uses; `createWebPushSender()` returns the real
 * one. `sendNotification` resolves on a 2xx answer and rejects with web-push's `WebPushError`
 * (`statusCode`, `headers`, `body`, `endpoint`) on any other, or with a Node network error.
 */
export interface WebPushSender {
  sendNotification(
    subscription: PushSubscription,
    payload: string,
    options: WebPushSendOptions,
  ): Promise<{
    statusCode: number;
    body: string;
    headers: Record<string, string | string[] | undefined>;
  }>;
}

/**
 * The real web-push library's sender. It encrypts the payload (RFC 8291, aes128gcm), signs a VAPID
 * JWT for the endpoint's origin and POSTs over HTTPS only. It holds no state: every option is
 * passed per call, so nothing is shared between providers.
 */
export function createWebPushSender(): WebPushSender {
  const { sendNotification } = webPush();
  return { sendNotification };
}

export interface VapidKeys {
  /** Uncompressed P-256 public key (65 bytes), base64url: what browsers get as applicationServerKey. */
  publicKey: string;
  /** P-256 private scalar (32 bytes), base64url. Keep it secret. */
  privateKey: string;
}

/** A fresh VAPID key pair (web-push's `generateVAPIDKeys`). Generate once and keep it. */
export function generateVapidKeys(): VapidKeys {
  const { publicKey, privateKey } = webPush().generateVAPIDKeys();
  return { publicKey, privateKey };
}
