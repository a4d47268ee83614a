import { createHash } from 'node:crypto';
import type { NotificationRequest } from './schemas/notification-request';

/**
 * A stable key for a recipient that can die for good (web push subscription, FCM token, SNS endpoint), so
 * that a dead one is refused at once. Hashed: the store never holds the endpoint itself.
 * `undefined` for channels whose recipients are not tracked.
 */
export function targetKeyOf(request: NotificationRequest): string | undefined {
  if (request.channel !== 'push') return undefined;
  const { to } = request;
  const target =
    'webPush' in to
      ? `webpush ${to.webPush.endpoint}`
      : 'fcm' in to
        ? `fcm ${to.fcm.token}`
        : `sns ${to.snsEndpointArn}`;
  return createHash('sha256').update(target).digest('base64url');
}
