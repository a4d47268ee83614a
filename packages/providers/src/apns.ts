import { createHash } from 'node:crypto';
import { ProviderError, systemClock } from '@herald/core';
import type {
  ApnsEnvironment,
  Clock,
  Logger,
  OutboundMessage,
  Provider,
  PushNotificationRequest,
  SendResult,
} from '@herald/core';
import type { ApnsConnections } from './apns-connections';
import { apnsReason, translateApnsAnswer, translateApnsFailure } from './apns-error';
import type { ApnsTokenSource } from './apns-token';
import { reportAuthFailure } from './auth-failure';

/** Apple's hosts for each environment. */
export const APNS_HOSTS = {
  production: 'https://api.push.apple.com',
  sandbox: 'https://api.sandbox.push.apple.com',
} as const satisfies Record<ApnsEnvironment, string>;

/** APNs refuses an alert payload over 4 KB (413 `PayloadTooLarge`); checked before sending. */
export const MAX_APNS_PAYLOAD_BYTES = 4096;

export interface ApnsProviderOptions {
  /** The HTTP/2 sessions (see `createApnsConnections`); the caller closes them. */
  connections: ApnsConnections;
  /** Provider tokens (see `createApnsTokenSource`). */
  tokens: ApnsTokenSource;
  /** `apns-topic` when the target names no `bundleId` (`APNS_BUNDLE_ID`). */
  bundleId?: string;
  /** The environment of a target that names none. Default `production`. */
  defaultEnvironment?: ApnsEnvironment;
  /** An origin (`https://host:port`) used for both environments instead of Apple's: tests only. */
  host?: string;
  /** The provider's name in statuses and errors. Default `apns`. */
  name?: string;
  /** For `apns-expiration` from `ttlSeconds`. Default: the system clock. */
  clock?: Clock;
  /** Authentication failures are logged here: only an operator can fix them. */
  logger?: Pick<Logger, 'error'>;
}

/**
 * Direct Apple push (APNs provider API over HTTP/2, token-based authentication) to
 * `to.apns` targets: one POST to `/3/device/<token>` on the target environment's host, with
 * `apns-push-type: alert`, `apns-topic` (the target's `bundleId`, else `bundleId`),
 * `apns-priority` 10 (5 when `urgency` is `low` or `very-low`), `apns-collapse-id` from `topic`,
 * `apns-expiration` from `expiresAt` (else `ttlSeconds` from now; with neither the header is left
 * out, so APNs stores the message for an offline device by its own policy: `0` would mean
 * "deliver now or never"), and `apns-id` derived from the notification id, so a resend after a
 * crash carries the same id. The payload is `aps.alert { title, subtitle, body }` beside `data`,
 * `url` and `notificationId` (ours win over `data`; nothing replaces `aps`).
 *
 * Resolves once APNs answered 200, with its `apns-id`. An `ExpiredProviderToken` answer drops the
 * cached token and tries once more with a fresh one. Throws a ProviderError (`translateApnsAnswer`,
 * `translateApnsFailure`); before any network call, a permanent `target_not_supported` for a
 * target that is not `apns`, `payload_too_large` over `MAX_APNS_PAYLOAD_BYTES`, and
 * `provider_rejected` when no bundle id is known. Never names the device token in an error.
 */
export function createApnsProvider(opts: ApnsProviderOptions): Provider<PushNotificationRequest> {
  const name = opts.name ?? 'apns';
  const clock = opts.clock ?? systemClock;
  return {
    channel: 'push',
    name,
    supports: (request) => 'apns' in request.to,
    async send(message, signal): Promise<SendResult> {
      const { to } = message.request;
      if (!('apns' in to)) {
        throw new ProviderError(name, false, 'APNs only sends to APNs device tokens', {
          reasonCode: 'target_not_supported',
        });
      }
      const topic = to.apns.bundleId ?? opts.bundleId;
      if (topic === undefined) {
        throw new ProviderError(name, false, 'No bundle id for this APNs target', {
          reasonCode: 'provider_rejected',
        });
      }
      const body = payloadFor(name, message);
      const environment = to.apns.environment ?? opts.defaultEnvironment ?? 'production';
      const origin = opts.host ?? APNS_HOSTS[environment];
      const apnsId = apnsIdFor(message.notificationId);
      const headers = {
        ...headersFor(message.request, clock),
        'apns-topic': topic,
        'apns-id': apnsId,
      };
      const path = `/3/device/${to.apns.token.toLowerCase()}`;
      if (signal.aborted) throw translateApnsFailure(signal.reason, name, true);
      const attempt = async () => {
        const token = await opts.tokens.get().catch((cause: unknown) => {
          throw new ProviderError(name, true, 'APNs provider token could not be signed', {
            cause,
            reasonCode: 'provider_auth_failed',
          });
        });
        const answer = await opts.connections
          .post(origin, path, { ...headers, authorization: `bearer ${token}` }, body, signal)
          .catch((cause: unknown) => {
            throw translateApnsFailure(cause, name, signal.aborted);
          });
        return { token, answer };
      };
      let { token, answer } = await attempt();
      if (answer.status === 403 && apnsReason(answer) === 'ExpiredProviderToken') {
        opts.tokens.invalidate(token);
        ({ token, answer } = await attempt());
      }
      if (answer.status === 200) {
        const id = answer.headers['apns-id'];
        return { providerMessageId: typeof id === 'string' && id !== '' ? id : apnsId };
      }
      throw reportAuthFailure(
        translateApnsAnswer(answer, name),
        opts.logger,
        message.notificationId,
        'APNs refused our provider token; check APNS_KEY_ID, APNS_TEAM_ID and APNS_PRIVATE_KEY',
      );
    },
  };
}

function headersFor(request: PushNotificationRequest, clock: Clock): Record<string, string> {
  const low = request.urgency === 'low' || request.urgency === 'very-low';
  const headers: Record<string, string> = {
    'apns-push-type': 'alert',
    'apns-priority': low ? '5' : '10',
  };
  const expiration = expirationOf(request, clock);
  if (expiration !== undefined) headers['apns-expiration'] = expiration;
  if (request.topic !== undefined) headers['apns-collapse-id'] = request.topic;
  return headers;
}

/** UNIX seconds at which APNs may drop the message; undefined leaves APNs' own policy. */
function expirationOf(request: PushNotificationRequest, clock: Clock): string | undefined {
  if (request.expiresAt !== undefined) {
    return String(Math.floor(Date.parse(request.expiresAt) / 1000));
  }
  if (request.ttlSeconds === 0) return '0';
  if (request.ttlSeconds !== undefined) {
    return String(Math.floor(clock.now().getTime() / 1000) + request.ttlSeconds);
  }
  return undefined;
}

function payloadFor(
  provider: string,
  { notificationId, request }: OutboundMessage<PushNotificationRequest>,
): string {
  const alert = {
    title: request.title,
    ...(request.subtitle === undefined ? {} : { subtitle: request.subtitle }),
    body: request.body,
  };
  const ours = { ...(request.url === undefined ? {} : { url: request.url }), notificationId };
  const json = JSON.stringify({ ...request.data, ...ours, aps: { alert } });
  if (Buffer.byteLength(json) > MAX_APNS_PAYLOAD_BYTES) {
    throw new ProviderError(
      provider,
      false,
      `APNs payload is over ${MAX_APNS_PAYLOAD_BYTES} bytes`,
      {
        reasonCode: 'payload_too_large',
      },
    );
  }
  return json;
}

/** A canonical UUID (what `apns-id` must be) derived from the notification id. */
export function apnsIdFor(notificationId: string): string {
  const hex = createHash('sha256').update(notificationId).digest('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20, 32),
  ].join('-');
}
