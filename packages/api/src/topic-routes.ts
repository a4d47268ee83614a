import type { Clock, TopicStore } from '@herald/core';
import type { Express, RequestHandler } from 'express';
import { hasBody, jsonBody } from './middleware/json-body';
import { requireScope } from './middleware/require-client-token';
import { methodNotAllowed } from './routes/method-not-allowed';
import {
  deleteSubscriber,
  listSubscribers,
  listSubscriptions,
  putSubscriber,
} from './routes/subscriptions';
import { deleteTopic, getTopic, listTopics, patchTopic, postTopic } from './routes/topics';

/** What the topic routes need. */
export interface TopicRouteDeps {
  topics: TopicStore;
  clock: Clock;
  /** Token check (and the client's settings), as for every client route. */
  auth: RequestHandler[];
  /** The per-client read limit, applied to every topic route (reads and writes). */
  limit: RequestHandler[];
}

const READ = 'audience:read';
const WRITE = 'audience:write';
const TOPIC = '/v1/topics/:topicId';
const SUBSCRIBERS = `${TOPIC}/subscribers`;

/**
 * Topics and subscriptions: `POST/GET /v1/topics`, `GET/PATCH/DELETE /v1/topics/:topicId`,
 * `GET …/subscribers`, `PUT/DELETE …/subscribers/:recipientId` and
 * `GET /v1/recipients/:recipientId/subscriptions`. Reading needs `audience:read`, changing
 * `audience:write`; every route is keyed by the caller's client id, so another client's topic,
 * recipient or subscription is `404`.
 */
export function registerTopicRoutes(app: Express, deps: TopicRouteDeps): void {
  const { topics, clock, auth, limit } = deps;
  const reading = [...auth, requireScope(READ), ...limit];
  const writing = [...auth, requireScope(WRITE), ...limit];
  app.post('/v1/topics', ...writing, ...jsonBody(), postTopic({ topics, clock }));
  app.get('/v1/topics', ...reading, listTopics(topics));
  app.all('/v1/topics', methodNotAllowed('GET, POST', 'a topic is created with POST'));
  app.get(TOPIC, ...reading, getTopic(topics));
  app.patch(TOPIC, ...writing, ...jsonBody(), patchTopic({ topics, clock }));
  app.delete(TOPIC, ...writing, deleteTopic(topics));
  app.all(TOPIC, methodNotAllowed('GET, PATCH, DELETE', 'a topic is changed with PATCH'));
  app.get(SUBSCRIBERS, ...reading, listSubscribers(topics));
  app.all(SUBSCRIBERS, methodNotAllowed('GET', 'subscribe with PUT …/subscribers/:recipientId'));
  const subscriber = `${SUBSCRIBERS}/:recipientId`;
  app.put(subscriber, ...writing, ...optionalJsonBody(), putSubscriber({ topics, clock }));
  app.delete(subscriber, ...writing, deleteSubscriber(topics));
  app.all(subscriber, methodNotAllowed('PUT, DELETE', 'a subscription is set with PUT'));
  const subscriptions = '/v1/recipients/:recipientId/subscriptions';
  app.get(subscriptions, ...reading, listSubscriptions(topics));
  app.all(subscriptions, methodNotAllowed('GET', 'subscribe with PUT /v1/topics/…/subscribers'));
}

/** A JSON body when one is sent (the same rules as `jsonBody`), else `{}`. */
function optionalJsonBody(): RequestHandler[] {
  return jsonBody().map((handler): RequestHandler => (req, res, next) => {
    if (!hasBody(req.headers)) {
      req.body = {};
      next();
      return;
    }
    return handler(req, res, next);
  });
}
