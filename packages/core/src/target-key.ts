import { createHash } from 'node:crypto';
import type { NotificationRequest } from './schemas/notification-request';

/**
 * A stable key for a recipient that can die for good (web push subscription, SNS endpoint, APNs or
 * FCM device token), so
 * that a dead one is refused at once. Hashed: the store never holds the endpoint itself.
 * `undefined` for channels whose recipients are not tracked.
 */
export function targetKeyOf(request: NotificationRequest): string | undefined {
  if (request.channel !== 'push') return undefined;
  const { to } = request;
  let target: string;
  if ('webPush' in to) target = `webpush ${to.webPush.endpoint}`;
  // A token is issued for one environment: dead on one host says nothing about the other.
  else if ('apns' in to)
    target = `apns ${to.apns.environment ?? 'default'} ${to.apns.token.toLowerCase()}`;
  else if ('fcm' in to) target = `fcm ${to.fcm.token}`;
  else target = `sns ${to.snsEndpointArn}`;
  return createHash('sha256').update(target).digest('base64url');
}
