import type { AcceptTopicNotification, Clock, Logger } from '@herald/core';
import type { Express, RequestHandler } from 'express';
import { jsonBody } from './middleware/json-body';
import { requireScope } from './middleware/require-client-token';
import { methodNotAllowed } from './routes/method-not-allowed';
import { postAlertmanager } from './routes/post-alertmanager';
import { postTopicNotification } from './routes/post-topic-notification';
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
}

const SEND = 'notifications:send';

/**
 * `POST /v1/topics/:topicId/notifications` and `POST /v1/topics/:topicId/alertmanager`: both need
 * `notifications:send` and count against the client's send rate limit (checked before the body
 * is read), and both take the api's JSON body limits.
 */
export function registerTopicSendRoutes(app: Express, deps: TopicSendRouteDeps): void {
  const sending = [...deps.auth, requireScope(SEND), ...deps.sendLimit, ...jsonBody()];
  const send = { accept: deps.accept, checkLink: deps.checkLink };
  const notifications = '/v1/topics/:topicId/notifications';
  app.post(notifications, ...sending, postTopicNotification(send));
  app.all(notifications, methodNotAllowed('POST', 'a topic send is made with POST'));
  const alertmanager = '/v1/topics/:topicId/alertmanager';
  app.post(
    alertmanager,
    ...sending,
    postAlertmanager({ ...send, clock: deps.clock, logger: deps.logger }),
  );
  app.all(alertmanager, methodNotAllowed('POST', 'Alertmanager POSTs its webhook'));
}
