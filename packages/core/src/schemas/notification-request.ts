import { z } from 'zod';
import { emailNotificationSchema } from './email';
import { pushNotificationSchema } from './push';
import { slackNotificationSchema } from './slack';
import { smsNotificationSchema, whatsappNotificationSchema } from './sms';

/**
 * The body of `POST /v1/notifications`: a strict union discriminated by `channel`. Unknown
 * fields are rejected, so a typo never silently drops part of a message.
 */
export const notificationRequestSchema = z.discriminatedUnion('channel', [
  emailNotificationSchema,
  smsNotificationSchema,
  whatsappNotificationSchema,
  pushNotificationSchema,
  slackNotificationSchema,
]);

export type NotificationRequest = z.infer<typeof notificationRequestSchema>;
export type Channel = NotificationRequest['channel'];

/**
 * A body of `POST /v1/notifications` naming a recipient (the client's id for one of its people)
 * in place of `to`, on any channel: the api resolves the address from the recipient's profile
 * (push: its newest device) when it accepts the notification.
 */
export type RecipientNotificationRequest = NotificationRequest extends infer R
  ? R extends { to: unknown }
    ? Omit<R, 'to'> & { recipient: string }
    : never
  : never;
export const CHANNELS = [
  'email',
  'sms',
  'whatsapp',
  'push',
  'slack',
] as const satisfies readonly Channel[];
