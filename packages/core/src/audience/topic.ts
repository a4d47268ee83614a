import { z } from 'zod';
import { CHANNELS } from '../schemas/notification-request';

/** At most this many topics per client; one more is AppError `CONFLICT` (409). */
export const MAX_TOPICS_PER_CLIENT = 10_000;
/** A topic's name: 1–200 characters. */
export const MAX_TOPIC_NAME_LENGTH = 200;
/** A topic's description: at most 2,000 characters. */
export const MAX_TOPIC_DESCRIPTION_LENGTH = 2_000;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** True when `value` is a topic id: a lower-case UUID v4, as Herald makes them. */
export function isTopicId(value: string): boolean {
  return UUID_V4.test(value);
}

const name = z.string().min(1).max(MAX_TOPIC_NAME_LENGTH);
const description = z.string().max(MAX_TOPIC_DESCRIPTION_LENGTH);

/** The body of `POST /v1/topics`. */
export const topicCreateSchema = z.strictObject({ name, description: description.optional() });

/**
 * The body of `PATCH /v1/topics/:topicId`: name and/or description (`null` clears the
 * description); at least one of them.
 */
export const topicPatchSchema = z
  .strictObject({ name: name.optional(), description: description.nullable().optional() })
  .refine((p) => p.name !== undefined || p.description !== undefined, {
    message: 'name or description is required',
  });

/**
 * The body of `PUT /v1/topics/:topicId/subscribers/:recipientId`: `channels`, a non-empty set of
 * channel names, or absent for "every channel the recipient can be reached on", resolved when a
 * topic notification is sent (so a channel the recipient gains later is included).
 */
export const subscriptionBodySchema = z.strictObject({
  channels: z
    .array(z.enum(CHANNELS))
    .min(1)
    .max(CHANNELS.length)
    .refine((c) => new Set(c).size === c.length, { message: 'must not repeat a channel' })
    .optional(),
});

export type TopicCreate = z.infer<typeof topicCreateSchema>;
export type TopicPatch = z.infer<typeof topicPatchSchema>;
export type SubscriptionChannels = NonNullable<z.infer<typeof subscriptionBodySchema>['channels']>;
