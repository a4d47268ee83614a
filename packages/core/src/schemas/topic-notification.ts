import { z } from 'zod';
import { expiresAt, headerSafeText, httpUrl, metadata, sendAt } from './common';
import { CHANNELS } from './notification-request';

/**
 * Per-channel replacements for the generic `title`/`body` of a topic send: an email's subject,
 * html and text, an SMS or WhatsApp body, a push title and body, a Slack text.
 */
export const topicOverridesSchema = z.strictObject({
  email: z
    .strictObject({
      subject: headerSafeText(998).min(1).optional(),
      html: z.string().max(200_000).optional(),
      text: z.string().max(200_000).optional(),
    })
    .optional(),
  sms: z.strictObject({ body: z.string().min(1).max(1600) }).optional(),
  whatsapp: z.strictObject({ body: z.string().min(1).max(4096) }).optional(),
  push: z
    .strictObject({
      title: z.string().min(1).max(256).optional(),
      body: z.string().max(2048).optional(),
    })
    .optional(),
  slack: z.strictObject({ text: z.string().min(1).max(40_000) }).optional(),
});

/**
 * The body of `POST /v1/topics/:topicId/notifications`: one message for every subscriber of a
 * topic, rendered per channel when the children are created (`overrides` win over `title` and
 * `body`). `channels` narrows the channels each subscription names; `critical` bypasses quiet
 * hours, never an opt-out. `sendAt` and `expiresAt` have the same window as a direct send's.
 */
export const topicNotificationRequestSchema = z.strictObject({
  title: z.string().min(1).max(256),
  subtitle: z.string().min(1).max(256).optional(),
  body: z.string().max(2048).optional(),
  url: httpUrl.optional(),
  data: z
    .record(z.string().max(64), z.unknown())
    .refine((d) => Object.keys(d).length <= 50, 'must have at most 50 keys')
    .optional(),
  channels: z
    .array(z.enum(CHANNELS))
    .min(1)
    .max(CHANNELS.length)
    .refine((c) => new Set(c).size === c.length, 'must not repeat a channel')
    .optional(),
  overrides: topicOverridesSchema.optional(),
  critical: z.boolean().optional(),
  metadata,
  sendAt,
  expiresAt,
});

export type TopicNotificationRequest = z.infer<typeof topicNotificationRequestSchema>;
