import {
  AppError,
  isRecipientId,
  isTopicId,
  subscriptionBodySchema,
  type SubscriptionRecord,
  type TopicRecord,
} from '@herald/core';
import { z } from 'zod';

/** The partition of a client's topic list: one item per topic and the topic counter. */
export const topicsPk = (clientId: string): string => `C#${clientId}#TOPICS`;
/** The sort key of a topic's item in its client's topic list. */
export const topicSk = (topicId: string): string => `T#${topicId}`;
/** The sort key of the client's topic counter (bounds the number of topics). */
export const TOPIC_COUNT_SK = 'COUNT';
/** A topic's partition: one item per subscriber (the source for paging through them). */
export const topicPk = (clientId: string, topicId: string): string => `C#${clientId}#T#${topicId}`;
/** The sort key of a subscriber's item in a topic's partition. */
export const subscriberSk = (recipientId: string): string => `S#${recipientId}`;
/** The sort key of a subscription in the recipient's partition. */
export const subscriptionSk = (topicId: string): string => `SUB#${topicId}`;

const topicItemSchema = z.object({
  clientId: z.string(),
  topicId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  revision: z.number().int().positive(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const subscriptionItemSchema = z.object({
  topicId: z.string(),
  recipientId: z.string(),
  channels: subscriptionBodySchema.shape.channels,
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A topic item as a record. A malformed item is AppError `INTERNAL`, never "missing". */
export function topicOf(item: Record<string, unknown>): TopicRecord {
  const parsed = topicItemSchema.safeParse(item);
  if (!parsed.success) throw new AppError('INTERNAL', 'stored topic is malformed');
  const { revision, description, ...rest } = parsed.data;
  return {
    ...rest,
    ...(description === undefined ? {} : { description }),
    version: `t${revision}`,
  };
}

/** The revision of a topic version (`t<revision>`), or `undefined` when it is not one of ours. */
export function topicRevisionOf(version: string): number | undefined {
  const match = /^t([1-9]\d{0,14})$/.exec(version);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** A subscription item (either side) as a record. */
export function subscriptionOf(item: Record<string, unknown>): SubscriptionRecord {
  const parsed = subscriptionItemSchema.safeParse(item);
  if (!parsed.success) throw new AppError('INTERNAL', 'stored subscription is malformed');
  const { channels, ...rest } = parsed.data;
  return { ...rest, ...(channels === undefined ? {} : { channels }) };
}

/** The cursor after an id: the id itself, base64url, so it is opaque but cheap to check. */
export function cursorAfter(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/**
 * The id a cursor stands for, checked to be a topic id or a recipient id (so a cursor can only
 * move within the caller's own partition); AppError `VALIDATION_FAILED` otherwise.
 */
export function idOfCursor(cursor: string, kind: 'topic' | 'recipient'): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  const ok = kind === 'topic' ? isTopicId(id) : isRecipientId(id);
  if (ok && cursorAfter(id) === cursor) return id;
  throw new AppError('VALIDATION_FAILED', 'cursor is invalid', {
    details: [{ path: 'cursor', message: 'is not a cursor from this list' }],
  });
}
