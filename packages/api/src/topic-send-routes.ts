import { isTopicSendId } from '@herald/core';
import type { Express, RequestHandler } from 'express';
import { requireScope } from './middleware/require-client-token';
import { methodNotAllowed } from './routes/method-not-allowed';
import {
  cancelTopicSendRoute,
  getTopicSend,
  listChildren,
  listTopicSends,
  type TopicSendRouteDeps,
} from './routes/topic-sends';

/**
 * A handler that serves topic sends (`ntp_…` ids) with `topicSend` and everything else with
 * `direct`: both kinds share `/v1/notifications/:id`, told apart by the id alone.
 */
export function byNotificationKind(
  topicSend: RequestHandler | undefined,
  direct: RequestHandler,
): RequestHandler {
  if (topicSend === undefined) return direct;
  return (req, res, next) =>
    isTopicSendId(String(req.params.id)) ? topicSend(req, res, next) : direct(req, res, next);
}

/** The topic-send handlers that share direct notifications' paths (GET, cancel). */
export function topicSendHandlers(deps: TopicSendRouteDeps | undefined): {
  get?: RequestHandler;
  cancel?: RequestHandler;
} {
  return deps === undefined ? {} : { get: getTopicSend(deps), cancel: cancelTopicSendRoute(deps) };
}

/**
 * `GET /v1/notifications/:id/children` and `GET /v1/topics/:topicId/notifications`, both
 * `notifications:read` under the read limit.
 */
export function registerTopicSendReads(
  app: Express,
  deps: TopicSendRouteDeps,
  guards: { auth: RequestHandler[]; limit: RequestHandler[] },
): void {
  const reading = [...guards.auth, requireScope('notifications:read'), ...guards.limit];
  app.get('/v1/notifications/:id/children', ...reading, listChildren(deps));
  app.all('/v1/notifications/:id/children', methodNotAllowed('GET'));
  app.get('/v1/topics/:topicId/notifications', ...reading, listTopicSends(deps));
}
