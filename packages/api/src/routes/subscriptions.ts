import { AppError, subscriptionBodySchema, type Clock, type TopicStore } from '@herald/core';
import type { RequestHandler } from 'express';
import { clientOf } from '../middleware/require-client-token';
import { recipientIdOf } from '../recipient-http';
import { pageQuerySchema, subscriptionView, topicIdOf, topicNotFound } from '../topic-http';
import { parseOrThrow } from '../validation';

/**
 * `PUT /v1/topics/:topicId/subscribers/:recipientId`: subscribes the recipient (`201`) or
 * replaces its channels (`200`). No `channels` means every channel the recipient can be reached
 * on when a send happens. An unknown topic or recipient is `404`.
 */
export function putSubscriber(deps: { topics: TopicStore; clock: Clock }): RequestHandler {
  return async (req, res) => {
    const topicId = topicIdOf(req);
    const recipientId = recipientIdOf(req);
    const body = parseOrThrow(subscriptionBodySchema, req.body ?? {}, 'Subscription');
    const { created, subscription } = await deps.topics.subscribe({
      clientId: clientOf(res).clientId,
      topicId,
      recipientId,
      ...(body.channels === undefined ? {} : { channels: body.channels }),
      now: deps.clock.now().toISOString(),
    });
    if (created) {
      res.location(`/v1/topics/${topicId}/subscribers/${encodeURIComponent(recipientId)}`);
    }
    res.status(created ? 201 : 200).json(subscriptionView(subscription));
  };
}

/** `DELETE /v1/topics/:topicId/subscribers/:recipientId`: unsubscribes, `204`; none is `404`. */
export function deleteSubscriber(topics: Pick<TopicStore, 'unsubscribe'>): RequestHandler {
  return async (req, res) => {
    const topicId = topicIdOf(req);
    const recipientId = recipientIdOf(req);
    if (!(await topics.unsubscribe(clientOf(res).clientId, topicId, recipientId))) {
      throw new AppError('NOT_FOUND', 'Subscription not found');
    }
    res.status(204).end();
  };
}

/** `GET /v1/topics/:topicId/subscribers`: one page of subscribers, by recipient id. */
export function listSubscribers(topics: Pick<TopicStore, 'listSubscribers'>): RequestHandler {
  return async (req, res) => {
    const topicId = topicIdOf(req);
    const query = parseOrThrow(pageQuerySchema, req.query, 'Query');
    const page = await topics.listSubscribers(clientOf(res).clientId, topicId, query);
    if (!page) throw topicNotFound();
    res.set('Cache-Control', 'private, no-cache').json({
      items: page.items.map(subscriptionView),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    });
  };
}

/** `GET /v1/recipients/:recipientId/subscriptions`: one page of its subscriptions, by topic id. */
export function listSubscriptions(topics: Pick<TopicStore, 'listSubscriptions'>): RequestHandler {
  return async (req, res) => {
    const recipientId = recipientIdOf(req);
    const query = parseOrThrow(pageQuerySchema, req.query, 'Query');
    const page = await topics.listSubscriptions(clientOf(res).clientId, recipientId, query);
    if (!page) throw new AppError('NOT_FOUND', 'Recipient not found');
    res.set('Cache-Control', 'private, no-cache').json({
      items: page.items.map(subscriptionView),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    });
  };
}
