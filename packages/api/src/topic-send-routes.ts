import { isTopicSendId, type AcceptTopicNotification, type Clock, type Logger } from '@herald/core';
import type { Express, RequestHandler } from 'express';
import { jsonBody } from './middleware/json-body';
import { requireScope } from './middleware/require-client-token';
import { methodNotAllowed } from './routes/method-not-allowed';
import { postAlertmanager } from './routes/post-alertmanager';
import { postTopicNotification } from './routes/post-topic-notification';
import {
  cancelTopicSendRoute,
  getTopicSend,
  listChildren,
  listTopicSends,
  type TopicSendReadDeps,
} from './routes/topic-sends';
import type { LinkPolicy } from './url-policy';

/** What the topic send routes need. */
export interface TopicSendRouteDeps {
  accept: AcceptTopicNotification;
  checkLink: LinkPolicy;
  clock: Clock;
  logger: Logger;
  /** Token check (and the client's settings), as for every client route. */
  auth: RequestHandler[];
  /** The per-client send rate limit, shared with `POST /v1/notifications`. */
  sendLimit: RequestHandler[];
  /** The per-client read limit, for the lists. */
  readLimit: RequestHandler[];
  /** Reading topic sends and their children; without it the lists are not served. */
  reads?: TopicSendReadDeps;
}

const SEND = 'notifications:send';
const READ = 'notifications:read';

/**
 * `POST /v1/topics/:topicId/notifications` and `POST /v1/topics/:topicId/alertmanager`: both need
 * `notifications:send` and count against the client's send rate limit (checked before the body
 * is read), and both take the api's JSON body limits. With `reads`, also `GET
 * /v1/topics/:topicId/notifications` and `GET /v1/notifications/:id/children`
 * (`notifications:read`, the read limit).
 */
export function registerTopicSendRoutes(app: Express, deps: TopicSendRouteDeps): void {
  const sending = [...deps.auth, requireScope(SEND), ...deps.sendLimit, ...jsonBody()];
  const reading = [...deps.auth, requireScope(READ), ...deps.readLimit];
  const send = { accept: deps.accept, checkLink: deps.checkLink };
  const notifications = '/v1/topics/:topicId/notifications';
  app.post(notifications, ...sending, postTopicNotification(send));
  if (deps.reads) {
    app.get(notifications, ...reading, listTopicSends(deps.reads));
    app.get('/v1/notifications/:id/children', ...reading, listChildren(deps.reads));
    app.all('/v1/notifications/:id/children', methodNotAllowed('GET'));
  }
  app.all(
    notifications,
    methodNotAllowed(deps.reads ? 'GET, POST' : 'POST', 'a topic send is made with POST'),
  );
  const alertmanager = '/v1/topics/:topicId/alertmanager';
  app.post(
    alertmanager,
    ...sending,
    postAlertmanager({ ...send, clock: deps.clock, logger: deps.logger }),
  );
  app.all(alertmanager, methodNotAllowed('POST', 'Alertmanager POSTs its webhook'));
}

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
export function topicSendHandlers(deps: TopicSendReadDeps | undefined): {
  get?: RequestHandler;
  cancel?: RequestHandler;
} {
  return deps === undefined ? {} : { get: getTopicSend(deps), cancel: cancelTopicSendRoute(deps) };
}
