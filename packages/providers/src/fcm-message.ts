import type { OutboundMessage, PushNotificationRequest } from '@herald/core';

/** Keys FCM refuses in `data` (its own), dropped rather than failing the whole message. */
const RESERVED_DATA_KEY = /^(from|notification|message_type|google.*|gcm.*)$/i;
/** FCM keeps a message at most 4 weeks. */
const MAX_TTL_SECONDS = 2_419_200;

/**
 * The FCM HTTP v1 `messages:send` body for one push notification to `to.fcm.token`:
 * - `notification { title, body }`, shown by the system when the app is in the background;
 * - `data`: the request's `data` with every value as a string (FCM takes strings only; others
 *   are JSON-encoded), FCM's reserved keys dropped, and our `url` and `notificationId` winning
 *   over same-named keys so the app can open the link and drop duplicates;
 * - `android.ttl` (and `apns-expiration`, for iOS devices reached through FCM): the time left
 *   until `expiresAt`, or `ttlSeconds`, whichever is shorter — FCM then never delivers a
 *   message after Herald would have refused it;
 * - the request's `topic` as the collapse key (`android.collapse_key`, `apns-collapse-id`):
 *   a newer message with the same key replaces an undelivered one;
 * - `urgency` `high` → Android `HIGH` / `apns-priority: 10`; `low`/`very-low` → `NORMAL` / `5`.
 */
export function fcmMessage(
  { notificationId, request }: OutboundMessage<PushNotificationRequest>,
  token: string,
  now: Date,
): { message: Record<string, unknown> } {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.data ?? {})) {
    if (RESERVED_DATA_KEY.test(key)) continue;
    data[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  if (request.url !== undefined) data.url = request.url;
  data.notificationId = notificationId;

  const ttl = ttlSeconds(request, now);
  const android: Record<string, unknown> = {};
  const apnsHeaders: Record<string, string> = {};
  if (ttl !== undefined) {
    android.ttl = `${ttl}s`;
    apnsHeaders['apns-expiration'] = String(Math.floor(now.getTime() / 1_000) + ttl);
  }
  if (request.topic !== undefined) {
    android.collapse_key = request.topic;
    apnsHeaders['apns-collapse-id'] = request.topic;
  }
  if (request.urgency === 'high') {
    android.priority = 'HIGH';
    apnsHeaders['apns-priority'] = '10';
  } else if (request.urgency === 'low' || request.urgency === 'very-low') {
    android.priority = 'NORMAL';
    apnsHeaders['apns-priority'] = '5';
  }
  return {
    message: {
      token,
      notification: { title: request.title, body: request.body },
      data,
      ...(Object.keys(android).length > 0 ? { android } : {}),
      ...(Object.keys(apnsHeaders).length > 0 ? { apns: { headers: apnsHeaders } } : {}),
    },
  };
}

function ttlSeconds(request: PushNotificationRequest, now: Date): number | undefined {
  const limits: number[] = [];
  if (request.ttlSeconds !== undefined) limits.push(request.ttlSeconds);
  if (request.expiresAt !== undefined) {
    limits.push(Math.max(0, Math.floor((Date.parse(request.expiresAt) - now.getTime()) / 1_000)));
  }
  return limits.length === 0 ? undefined : Math.min(MAX_TTL_SECONDS, ...limits);
}
