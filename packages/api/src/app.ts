import {
  AppError,
  systemClock,
  type AcceptInput,
  type AcceptTopicNotification,
  type AcceptResult,
  type ClientSettingsReader,
  type Clock,
  type Logger,
  type NotificationRequest,
  type NotificationStore,
  type PreferenceStore,
  type RecipientCaps,
  type RecipientStore,
  type SuppressionList,
  type TopicStore,
} from '@herald/core';
import express, { type Express, type RequestHandler } from 'express';
import { registerAudienceRoutes } from './audience-routes';
import { registerTopicRoutes } from './topic-routes';
import {
  byNotificationKind,
  registerTopicSendRoutes,
  topicSendHandlers,
} from './topic-send-routes';
import type { TopicSendReadDeps } from './routes/topic-sends';
import { registerSuppressionRoutes } from './routes/suppressions';
import { registerUnsubscribeRoutes } from './unsubscribe-routes';
import type { LongPollLimit } from './long-poll-limit';
import { loadClientLimits } from './middleware/client-limits';
import { errorHandler } from './middleware/error-handler';
import { jsonBody } from './middleware/json-body';
import { requestId } from './middleware/request-id';
import {
  requireClientToken,
  requireScope,
  type TokenVerifier,
} from './middleware/require-client-token';
import { cancelNotificationRoute, type CancelNotification } from './routes/cancel-notification';
import { getNotification } from './routes/get-notification';
import { healthz, readyz, type Readiness } from './routes/health';
import { listNotifications } from './routes/list-notifications';
import { methodNotAllowed } from './routes/method-not-allowed';
import { postNotification } from './routes/post-notification';
import { twilioStatus, type TwilioReceiptDeps } from './routes/twilio-status';
import { createLinkPolicy, type LinkPolicy } from './url-policy';
import type { UnsubscribeDeps } from './routes/unsubscribe';

export interface AppDeps {
  accept: (input: AcceptInput) => Promise<AcceptResult>;
  /**
   * `POST /v1/topics/:topicId/notifications` and `…/alertmanager`: stores a topic send's parent
   * notification (core `AcceptTopicNotification`).
   */
  acceptTopicNotification: AcceptTopicNotification;
  /** `POST /v1/notifications/:id/cancel` (core `createCancelNotification`). */
  cancel: CancelNotification;
  store: Pick<NotificationStore, 'get' | 'listByClient'>;
  verifier: TokenVerifier;
  readiness: () => Promise<Readiness>;
  logger: Logger;
  /** Delivery receipts from Twilio; the route exists only when receipts are configured. */
  twilioReceipts?: TwilioReceiptDeps;
  /** Rejects requests naming URLs Herald must not call (SSRF); see `createUrlPolicy`. */
  checkUrls?: (request: NotificationRequest, clientId: string) => Promise<void>;
  /**
   * The rule for links shown to recipients (a topic send's `url`); see `createLinkPolicy`.
   * Default: https only.
   */
  checkLink?: LinkPolicy;
  /**
   * Per-client limit on `POST /v1/notifications` only (see `clientRateLimit`, with
   * `sendOverrides`): long-polls must not be starved by a client's own sends.
   */
  clientRateLimit?: RequestHandler;
  /** Per-client limit on `GET /v1/notifications[/:id]`, apart from sends (`readOverrides`). */
  readRateLimit?: RequestHandler;
  /** Concurrent long-polls per client in this instance; see `createLongPollLimit`. */
  longPolls?: LongPollLimit;
  /**
   * Per-number caps on sms and whatsapp notifications, counted in the table so every api
   * instance and worker shares them (`createDynamoRecipientCaps`). Without it nothing is capped.
   */
  recipientCaps?: RecipientCaps;
  /** Each client's suppression list; the `/v1/suppressions` routes exist only when it is given. */
  suppressions?: SuppressionList;
  /**
   * Per-client settings (allowed Slack webhook names, limit overrides), read through a short
   * cache; their limit overrides reach the limiters (`loadClientLimits`). Without it every client
   * gets the defaults and may use no named webhook.
   */
  clientSettings?: ClientSettingsReader;
  /**
   * Recipients and their devices; the `/v1/recipients` routes exist only when it is given, and
   * a send naming a recipient is `404` without it.
   */
  recipients?: RecipientStore;
  /** Recipients' preferences (with `recipients`); `…/preferences` exists only when given. */
  preferences?: PreferenceStore;
  /** Topics and subscriptions; the `/v1/topics` routes exist only when it is given. */
  topics?: TopicStore;
  /**
   * Topic sends (`ntp_…`): their view, children and cancel on the notification routes, and
   * `GET /v1/topics/:topicId/notifications`; absent, those ids are `404`.
   */
  topicSends?: TopicSendReadDeps;
  /** The clock recipient writes are stamped with. Default: the system clock. */
  clock?: Clock;
  /**
   * One-click unsubscribe links (`/v1/unsubscribe/:token`, no bearer token); the routes exist
   * only when given (with `HERALD_LINK_SECRET`).
   */
  unsubscribe?: UnsubscribeDeps;
}

const SEND = 'notifications:send';
const READ = 'notifications:read';

/** The Herald HTTP API as an express app, with every dependency injected (no I/O here). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(requestId());

  app.get('/healthz', healthz());
  app.get('/readyz', readyz(deps.readiness));

  const verify = requireClientToken(deps.verifier);
  // The caller's settings are read once the token is, so every limiter after sees its overrides.
  const auth = deps.clientSettings ? [verify, loadClientLimits(deps.clientSettings)] : [verify];
  const readLimit = deps.readRateLimit ? [deps.readRateLimit] : [];
  const topicSend = topicSendHandlers(deps.topicSends);
  app.post(
    '/v1/notifications',
    ...auth,
    requireScope(SEND),
    ...(deps.clientRateLimit ? [deps.clientRateLimit] : []),
    ...jsonBody(),
    postNotification({
      accept: deps.accept,
      checkUrls: deps.checkUrls ?? (() => Promise.resolve()),
      store: deps.store,
      clock: deps.clock ?? systemClock,
      ...(deps.recipientCaps ? { recipientCaps: deps.recipientCaps } : {}),
      ...(deps.recipients ? { recipients: deps.recipients } : {}),
    }),
  );
  app.get(
    '/v1/notifications',
    ...auth,
    requireScope(READ),
    ...readLimit,
    listNotifications(deps.store),
  );
  app.all('/v1/notifications', methodNotAllowed('GET, POST'));
  app.get(
    '/v1/notifications/:id',
    ...auth,
    requireScope(READ),
    ...readLimit,
    byNotificationKind(topicSend.get, getNotification(deps.store, deps.longPolls)),
  );
  app.all('/v1/notifications/:id', methodNotAllowed('GET'));
  // Sharing the send rate limit: a cancel is a write a client makes instead of a send.
  app.post(
    '/v1/notifications/:id/cancel',
    ...auth,
    requireScope(SEND),
    ...(deps.clientRateLimit ? [deps.clientRateLimit] : []),
    byNotificationKind(topicSend.cancel, cancelNotificationRoute(deps.cancel)),
  );
  app.all('/v1/notifications/:id/cancel', methodNotAllowed('POST'));
  registerTopicSendRoutes(app, {
    accept: deps.acceptTopicNotification,
    checkLink: deps.checkLink ?? createLinkPolicy({ allowHttpLinks: false }),
    clock: deps.clock ?? systemClock,
    logger: deps.logger,
    auth,
    sendLimit: deps.clientRateLimit ? [deps.clientRateLimit] : [],
    readLimit,
    ...(deps.topicSends ? { reads: deps.topicSends } : {}),
  });

  if (deps.recipients) {
    registerAudienceRoutes(app, {
      recipients: deps.recipients,
      ...(deps.preferences ? { preferences: deps.preferences } : {}),
      clock: deps.clock ?? systemClock,
      auth,
      limit: readLimit,
    });
  }
  if (deps.topics) {
    registerTopicRoutes(app, {
      topics: deps.topics,
      clock: deps.clock ?? systemClock,
      auth,
      limit: readLimit,
    });
  }

  if (deps.suppressions) {
    registerSuppressionRoutes(app, { suppressions: deps.suppressions, auth, limit: readLimit });
  }
  if (deps.unsubscribe) registerUnsubscribeRoutes(app, deps.unsubscribe);

  if (deps.twilioReceipts) {
    app.post('/v1/providers/twilio/status', ...twilioStatus(deps.twilioReceipts));
    app.all('/v1/providers/twilio/status', methodNotAllowed('POST'));
  }

  app.use((req) => {
    throw new AppError('NOT_FOUND', `No route for ${req.method} ${req.path}`);
  });
  app.use(errorHandler(deps.logger));
  return app;
}
