import { z } from 'zod';
import { apnsTargetSchema } from './apns-target';
import { callbackUrl, expiresAt, sendAt, httpUrl, metadata, critical } from './common';

/** A browser's PushSubscription as `subscription.toJSON()` returns it. */
export const webPushSubscriptionSchema = z.strictObject({
  endpoint: z.url({ protocol: /^https$/, message: 'must be an https URL' }).max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    p256dh: z.string().min(1).max(256),
    auth: z.string().min(1).max(64),
  }),
});

/** An Amazon SNS platform endpoint (APNs / FCM device). */
export const snsEndpointArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:endpoint\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9-]+$/,
    {
      message: 'must be an SNS platform endpoint ARN',
    },
  );

/**
 * A Firebase Cloud Messaging registration token (what `getToken()` returns on the device): opaque,
 * in practice ~150–200 characters of URL-safe base64 and `:`; bounded so nothing odd is stored.
 */
export const fcmTargetSchema = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_:-]{20,4096}$/, 'must be an FCM registration token'),
});

export const pushTargetSchema = z.union([
  z.strictObject({ webPush: webPushSubscriptionSchema }),
  z.strictObject({ snsEndpointArn }),
  apnsTargetSchema,
  z.strictObject({ fcm: fcmTargetSchema }),
]);

export const pushNotificationSchema = z.strictObject({
  channel: z.literal('push'),
  to: pushTargetSchema,
  title: z.string().min(1).max(256),
  /** A second line under the title (APNs `subtitle`); other push services ignore it. */
  subtitle: z.string().min(1).max(256).optional(),
  body: z.string().max(2048),
  /** Opened when the notification is clicked: https (http in local mode), never `javascript:`. */
  url: httpUrl.optional(),
  data: z.record(z.string().max(64), z.unknown()).optional(),
  /** How long the push service may hold the message for an offline device (web push TTL). */
  ttlSeconds: z.number().int().min(0).max(2_419_200).optional(),
  urgency: z.enum(['very-low', 'low', 'normal', 'high']).optional(),
  /** Replaces an undelivered message with the same topic (web push); ≤ 32 URL-safe characters. */
  topic: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1-32 URL-safe base64 characters')
    .optional(),
  metadata,
  expiresAt,
  sendAt,
  critical,
  callbackUrl,
});

export type PushNotificationRequest = z.infer<typeof pushNotificationSchema>;
