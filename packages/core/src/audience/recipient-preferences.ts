import { z } from 'zod';
import { CHANNELS, type Channel } from '../schemas/notification-request';
import { timezoneSchema } from './recipient-profile';

/** At most this many topics may carry per-topic choices in one recipient's preferences. */
export const MAX_TOPIC_PREFERENCES = 1000;

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** `false` opts out of a channel; `true` (or absence) leaves it on. Only real channel names. */
const channelChoicesSchema = z.partialRecord(z.enum(CHANNELS), z.boolean());

/**
 * A daily window, in wall-clock time, during which non-critical sends wait: `start` and `end`
 * as `HH:MM` (00:00–23:59), different from each other; `start` after `end` crosses midnight
 * (22:00–07:00). `timezone` is an IANA zone; absent, the recipient's profile timezone applies
 * (UTC when the profile has none either).
 */
export const quietHoursSchema = z
  .strictObject({
    start: z.string().regex(HH_MM, 'must be HH:MM between 00:00 and 23:59'),
    end: z.string().regex(HH_MM, 'must be HH:MM between 00:00 and 23:59'),
    timezone: timezoneSchema.optional(),
  })
  .refine((q) => q.start !== q.end, { message: 'must differ from start', path: ['end'] });

/**
 * The body of `PUT /v1/recipients/:recipientId/preferences` (a PUT replaces them all):
 * `channels` opts out of a channel overall, `topics` (topic id → channel choices, at most
 * {@link MAX_TOPIC_PREFERENCES}) of a channel for one topic, `quietHours` defers non-critical
 * sends. Every part optional; strict, so a typo is a `400`, never silently ignored.
 */
export const recipientPreferencesSchema = z.strictObject({
  channels: channelChoicesSchema.optional(),
  topics: z
    .record(z.uuid({ message: 'topic ids must be UUIDs' }), channelChoicesSchema)
    .refine((t) => Object.keys(t).length <= MAX_TOPIC_PREFERENCES, {
      message: `must name at most ${MAX_TOPIC_PREFERENCES} topics`,
    })
    .optional(),
  quietHours: quietHoursSchema.optional(),
});

/** A recipient's preferences, as validated by {@link recipientPreferencesSchema}. */
export type RecipientPreferences = z.infer<typeof recipientPreferencesSchema>;

/** Quiet hours, as validated by {@link quietHoursSchema}. */
export type QuietHours = z.infer<typeof quietHoursSchema>;

/**
 * True when the recipient opted out of `channel`, overall or (when `topicId` is given) for that
 * topic. Nothing opts back in: an overall opt-out wins over a topic's `true`. Pure.
 */
export function isOptedOut(
  preferences: RecipientPreferences,
  channel: Channel,
  topicId?: string,
): boolean {
  if (preferences.channels?.[channel] === false) return true;
  if (topicId === undefined) return false;
  return preferences.topics?.[topicId]?.[channel] === false;
}
