import { AppError, isTopicId, type SubscriptionRecord, type TopicRecord } from '@herald/core';
import type { Request } from 'express';
import { z } from 'zod';

/**
 * The `:topicId` of the path, or `NOT_FOUND` (404) when it cannot be a topic id (a UUID v4): like
 * a malformed notification id, it names no topic of the caller's.
 */
export function topicIdOf(req: Request): string {
  const id = String(req.params.topicId);
  if (isTopicId(id)) return id;
  throw topicNotFound();
}

/** The `404` of a topic the caller does not have (missing, deleted, or another client's). */
export function topicNotFound(): AppError {
  return new AppError('NOT_FOUND', 'Topic not found');
}

/** A topic as the api shows it. */
export function topicView(t: TopicRecord) {
  return {
    id: t.topicId,
    name: t.name,
    ...(t.description === undefined ? {} : { description: t.description }),
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

/** A subscription as the api shows it; no `channels` means every channel. */
export function subscriptionView(s: SubscriptionRecord) {
  return {
    topicId: s.topicId,
    recipientId: s.recipientId,
    ...(s.channels === undefined ? {} : { channels: s.channels }),
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/** The strong ETag of a topic's version. */
export function topicEtag(t: TopicRecord): string {
  return `"${t.version}"`;
}

/** The query of every paged audience list: `limit` (1–100, default 50) and `cursor`. */
export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(512).optional(),
});
