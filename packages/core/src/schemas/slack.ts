import { z } from 'zod';
import { callbackUrl, expiresAt, sendAt, httpUrl, metadata } from './common';

/** A Slack incoming webhook: its URL, or the name of one configured on the worker. */
export const slackTargetSchema = z.union([
  z.strictObject({
    webhookUrl: httpUrl,
  }),
  z.strictObject({
    webhook: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a configured webhook name'),
  }),
]);

export const slackNotificationSchema = z.strictObject({
  channel: z.literal('slack'),
  to: slackTargetSchema,
  /** Fallback and notification text; Slack's limit is 40,000 characters. */
  text: z.string().min(1).max(40_000),
  /** Block Kit blocks, passed through as given (Slack validates them). */
  blocks: z.array(z.record(z.string(), z.unknown())).max(50).optional(),
  metadata,
  expiresAt,
  sendAt,
  callbackUrl,
});

export type SlackNotificationRequest = z.infer<typeof slackNotificationSchema>;
