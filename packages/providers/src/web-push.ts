import type { Agent } from 'node:https';
import { AppError, ProviderError } from '@herald/core';
import type {
  Logger,
  OutboundMessage,
  Provider,
  PushNotificationRequest,
  SendResult,
} from '@herald/core';
import { translateWebPushError } from './web-push-error';
import type { WebPushSendOptions, WebPushSender } from './web-push-sender';
import { reportAuthFailure } from './auth-failure';
import { untilAborted } from './until-aborted';

export interface WebPushProviderOptions {
  /** The web-push library, or a fake; see `createWebPushSender`. */
  sender: WebPushSender;
  /** `subject` is a `mailto:` or `https:` URL the push service can contact us at. */
  vapid: { subject: string; publicKey: string; privateKey: string };
  /** The provider's name in statuses and errors. Default `web-push`. */
  name?: string;
  /** TTL when the request sets none. Default 2419200 (four weeks, the most push services keep). */
  defaultTtlSeconds?: number;
  /**
   * Socket inactivity timeout handed to web-push, so a request abandoned at the caller's deadline
   * is eventually torn down: web-push cannot be cancelled. Default 30000.
   */
  requestTimeoutMs?: number;
  /**
   * The HTTPS agent for push service requests: in production the guarded agent
   * (`createGuardedAgent(guard).https`), since the endpoint is the client's choice and web-push
   * resolves its host itself; it connects only to addresses the guard checked. Without it,
   * Node's global agent is used (tests with a fake sender).
   */
  agent?: Agent;
  /** Authentication failures are logged here: only an operator can fix them. */
  logger?: Pick<Logger, 'error'>;
}

/** What the service worker receives (decrypted) and shows. */
export interface WebPushPayload {
  title: string;
  body: string;
  url?: string;
  data?: Record<string, unknown>;
  notificationId: string;
}

/**
 * RFC 8030 push services must accept 4096 bytes of body; aes128gcm as web-push writes it adds an
 * 86-byte header (salt, record size, sender key), a 1-byte delimiter and a 16-byte tag.
 */
export const MAX_WEB_PUSH_PAYLOAD_BYTES = 4096 - 86 - 1 - 16;

const DEFAULT_TTL_SECONDS = 2_419_200;

/**
 * Web push (RFC 8030/8291/8292) to browser subscriptions through an injected web-push sender.
 *
 * Sends the JSON `WebPushPayload` encrypted with aes128gcm and a VAPID JWT, with `TTL`
 * (`ttlSeconds`, else `defaultTtlSeconds`), `Urgency` and `Topic` from the request. Resolves once
 * the push service accepted the message (201); there are no delivery receipts, so that counts as
 * delivered. The `providerMessageId` is the push service's `Location` (the message resource), or
 * `webpush:<notificationId>` when it sends none.
 *
 * Throws ProviderError (see `translateWebPushError` for the status table; 404/410 set
 * `deadTarget`). Before any network call it throws permanent errors for a target it cannot handle
 * (`target_not_supported` for `snsEndpointArn`, so another provider must take SNS targets), for
 * malformed subscription keys (`invalid_subscription`) and for a payload over
 * `MAX_WEB_PUSH_PAYLOAD_BYTES` (`payload_too_large`). When `signal` aborts first it throws a
 * retryable `provider_timeout`, though the push service may still accept the message.
 *
 * Web push has no message id of ours, so a resend after a crash reaches the browser twice: the
 * payload's `notificationId` lets the service worker collapse them (use it as the notification
 * `tag`), and a request `topic` replaces a copy still queued at the push service.
 *
 * @throws AppError `CONFIG_INVALID` at creation when the VAPID subject or keys are malformed, or
 *   `defaultTtlSeconds` is not a whole number of seconds in 0-2419200.
 */
export function createWebPushProvider(
  opts: WebPushProviderOptions,
): Provider<PushNotificationRequest> {
  assertVapid(opts.vapid);
  const defaultTtl = opts.defaultTtlSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(defaultTtl) || defaultTtl < 0 || defaultTtl > DEFAULT_TTL_SECONDS) {
    throw new AppError('CONFIG_INVALID', 'Web push defaultTtlSeconds must be 0-2419200');
  }
  const name = opts.name ?? 'web-push';
  const vapidDetails = { ...opts.vapid };
  return {
    channel: 'push',
    name,
    async send(message, signal): Promise<SendResult> {
      const { to } = message.request;
      if (!('webPush' in to)) {
        throw new ProviderError(name, false, 'Web push cannot send to an SNS endpoint', {
          reasonCode: 'target_not_supported',
        });
      }
      const payload = payloadFor(name, message);
      assertKeys(name, to.webPush.keys);
      if (signal.aborted) throw translateWebPushError(signal.reason, name, { aborted: true });
      const options: WebPushSendOptions = {
        TTL: message.request.ttlSeconds ?? defaultTtl,
        vapidDetails,
        contentEncoding: 'aes128gcm',
        timeout: opts.requestTimeoutMs ?? 30_000,
        ...(message.request.urgency !== undefined ? { urgency: message.request.urgency } : {}),
        ...(message.request.topic !== undefined ? { topic: message.request.topic } : {}),
        ...(opts.agent !== undefined ? { agent: opts.agent } : {}),
      };
      try {
        const sent = opts.sender.sendNotification(to.webPush, payload, options);
        // web-push takes no signal: stop waiting at the deadline and let its socket timeout
        // clean up.
        const res = await untilAborted(sent, signal, 'Web push send');
        const location = firstHeader(res.headers.location);
        return { providerMessageId: location ?? `webpush:${message.notificationId}` };
      } catch (cause) {
        throw reportAuthFailure(
          translateWebPushError(cause, name, { aborted: signal.aborted }),
          opts.logger,
          message.notificationId,
          'Push service refused our VAPID credentials; check the VAPID keys and subject',
        );
      }
    },
  };
}

function payloadFor(
  provider: string,
  { notificationId, request }: OutboundMessage<PushNotificationRequest>,
): string {
  const payload: WebPushPayload = {
    title: request.title,
    body: request.body,
    ...(request.url !== undefined ? { url: request.url } : {}),
    ...(request.data !== undefined ? { data: request.data } : {}),
    notificationId,
  };
  const json = JSON.stringify(payload);
  if (Buffer.byteLength(json) > MAX_WEB_PUSH_PAYLOAD_BYTES) {
    throw new ProviderError(
      provider,
      false,
      `Web push payload is over ${MAX_WEB_PUSH_PAYLOAD_BYTES} bytes`,
      { reasonCode: 'payload_too_large' },
    );
  }
  return json;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Subscription keys decode the way web-push decodes them: either alphabet, padding allowed. */
const ANY_BASE64 = /^[A-Za-z0-9_+/-]+={0,2}$/;

function assertKeys(provider: string, keys: { p256dh: string; auth: string }): void {
  const p256dh = ANY_BASE64.test(keys.p256dh) ? Buffer.from(keys.p256dh, 'base64url') : undefined;
  const auth = ANY_BASE64.test(keys.auth) ? Buffer.from(keys.auth, 'base64url') : undefined;
  if (p256dh?.length !== 65 || p256dh[0] !== 0x04 || auth === undefined || auth.length < 16) {
    throw new ProviderError(provider, false, 'Web push subscription keys are malformed', {
      reasonCode: 'invalid_subscription',
    });
  }
}

function assertVapid(vapid: WebPushProviderOptions['vapid']): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(vapid.subject).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'mailto:' && protocol !== 'https:') {
    throw new AppError('CONFIG_INVALID', 'VAPID subject must be a mailto: or https: URL');
  }
  if (!isKey(vapid.publicKey, 65) || !isKey(vapid.privateKey, 32)) {
    throw new AppError(
      'CONFIG_INVALID',
      'VAPID keys must be base64url: a 65-byte public key and a 32-byte private key',
    );
  }
}

function isKey(value: string, bytes: number): boolean {
  return BASE64URL.test(value) && Buffer.from(value, 'base64url').length === bytes;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}
