import { z } from 'zod';
import { callbackUrl, expiresAt, sendAt, httpUrl, metadata, critical } from './common';

/** The name of a Slack incoming webhook configured on the worker (`SLACK_WEBHOOKS`). */
export const slackWebhookName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a configured webhook name');

/**
 * A Slack conversation the worker's bot token (`SLACK_BOT_TOKEN`) posts to with
 * `chat.postMessage`: a user id (`U…`/`W…`, a DM from the bot) or a conversation id (`C…`
 * public, `G…` private, `D…` an existing DM). Names (`#general`, `@alice`) are not accepted:
 * Slack's ids are stable, names are not.
 */
export const slackConversationSchema = z
  .string()
  .regex(/^[UWCGD][A-Z0-9]{2,30}$/, 'must be a Slack user or conversation id (U…, W…, C…, G…, D…)');

/**
 * Where a Slack message goes: an incoming webhook (its URL, or the name of one configured on the
 * worker), or `{ conversation }` for the bot token.
 */
export const slackTargetSchema = z.union([
  z.strictObject({
    webhookUrl: httpUrl,
  }),
  z.strictObject({ webhook: slackWebhookName }),
  z.strictObject({ conversation: slackConversationSchema }),
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
  critical,
  callbackUrl,
});

export type SlackNotificationRequest = z.infer<typeof slackNotificationSchema>;
