import { randomUUID } from 'node:crypto';
import {
  topicCreateSchema,
  topicPatchSchema,
  type Clock,
  type TopicRecord,
  type TopicStore,
} from '@herald/core';
import type { RequestHandler, Response } from 'express';
import { matchesIfNoneMatch } from '../etag';
import { clientOf } from '../middleware/require-client-token';
import { preconditionOf } from '../recipient-http';
import { pageQuerySchema, topicEtag, topicIdOf, topicNotFound, topicView } from '../topic-http';
import { parseOrThrow } from '../validation';

/** What the topic handlers need. */
export interface TopicRouteDeps {
  topics: TopicStore;
  clock: Clock;
}

/**
 * `POST /v1/topics`: creates a topic with a new UUID v4 id, `201` with the topic, its `Location`
 * and `ETag`. More than `MAX_TOPICS_PER_CLIENT` topics is `409`.
 */
export function postTopic(deps: TopicRouteDeps): RequestHandler {
  return async (req, res) => {
    const body = parseOrThrow(topicCreateSchema, req.body, 'Topic');
    const topic = await deps.topics.createTopic({
      clientId: clientOf(res).clientId,
      topicId: randomUUID(),
      name: body.name,
      ...(body.description === undefined ? {} : { description: body.description }),
      now: deps.clock.now().toISOString(),
    });
    res.location(`/v1/topics/${topic.topicId}`);
    sendTopic(res.status(201), topic);
  };
}

/** `GET /v1/topics`: the caller's topics, ordered by id, `{ items, nextCursor? }`. */
export function listTopics(topics: Pick<TopicStore, 'listTopics'>): RequestHandler {
  return async (req, res) => {
    const query = parseOrThrow(pageQuerySchema, req.query, 'Query');
    const page = await topics.listTopics(clientOf(res).clientId, query);
    res.set('Cache-Control', 'private, no-cache').json({
      items: page.items.map(topicView),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    });
  };
}

/**
 * `GET /v1/topics/:topicId`: the topic with its `ETag` (`304` when `If-None-Match` names it);
 * another client's is `404`, exactly like a missing one.
 */
export function getTopic(topics: Pick<TopicStore, 'getTopic'>): RequestHandler {
  return async (req, res) => {
    const topic = await topics.getTopic(clientOf(res).clientId, topicIdOf(req));
    if (!topic) throw topicNotFound();
    if (matchesIfNoneMatch(req.get('if-none-match'), topicEtag(topic))) {
      res.set('ETag', topicEtag(topic)).set('Cache-Control', 'private, no-cache').status(304).end();
      return;
    }
    sendTopic(res, topic);
  };
}

/**
 * `PATCH /v1/topics/:topicId`: changes the name and/or description (`null` removes it), `200`
 * with a new `ETag`. `If-Match` with a stale ETag is `412` and changes nothing.
 */
export function patchTopic(deps: TopicRouteDeps): RequestHandler {
  return async (req, res) => {
    const topicId = topicIdOf(req);
    const precondition = preconditionOf(req);
    const patch = parseOrThrow(topicPatchSchema, req.body, 'Topic');
    const topic = await deps.topics.updateTopic({
      clientId: clientOf(res).clientId,
      topicId,
      patch,
      precondition,
      now: deps.clock.now().toISOString(),
    });
    sendTopic(res, topic);
  };
}

/**
 * `DELETE /v1/topics/:topicId`: deletes the topic and every subscription to it, `204`. A retry
 * after a failure part-way finishes the job; once nothing is left, it is `404`.
 */
export function deleteTopic(topics: Pick<TopicStore, 'deleteTopic'>): RequestHandler {
  return async (req, res) => {
    const deleted = await topics.deleteTopic(clientOf(res).clientId, topicIdOf(req));
    if (!deleted) throw topicNotFound();
    res.status(204).end();
  };
}

function sendTopic(res: Response, topic: TopicRecord): void {
  res
    .set('ETag', topicEtag(topic))
    .set('Cache-Control', 'private, no-cache')
    .json(topicView(topic));
}
