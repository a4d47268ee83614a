import { isAppError, topicNotificationRequestSchema, type Clock, type Logger } from '@herald/core';
import type { RequestHandler } from 'express';
import { alertmanagerIdempotencyKey } from '../alertmanager-dedup';
import { alertmanagerPayloadSchema, alertmanagerQuerySchema } from '../alertmanager-payload';
import { translateAlertmanager } from '../alertmanager-translate';
import { clientOf } from '../middleware/require-client-token';
import { topicIdOf } from '../topic-http';
import { parseOrThrow } from '../validation';
import { sendAccepted, type TopicSendDeps } from './post-topic-notification';

/** What the Alertmanager route needs beside the topic send's dependencies. */
export interface AlertmanagerDeps extends TopicSendDeps {
  /** Receipt time decides the de-duplication window. */
  clock: Clock;
  logger: Logger;
}

/**
 * `POST /v1/topics/:topicId/alertmanager[?dedupWindowSeconds=300][&critical=true]`: Prometheus
 * Alertmanager's webhook (payload version 4), one topic send per notification (one alert group;
 * see `translateAlertmanager`), keyed by `alertmanagerIdempotencyKey` so a retried webhook is one
 * send and a deliberate repeat another. The answer is `202` with the parent notification (a
 * retry's replay too). The same group state arriving again in the same window with different
 * text (an HA peer with its own `externalURL`, annotations re-rendered after a failed attempt)
 * was already sent: `200 { duplicate: true }`, nothing stored. An unknown topic is `404`, a
 * payload that is not version 4 `400` listing every problem.
 */
export function postAlertmanager(deps: AlertmanagerDeps): RequestHandler {
  return async (req, res) => {
    const topicId = topicIdOf(req);
    const query = parseOrThrow(alertmanagerQuerySchema, req.query, 'Query');
    const payload = parseOrThrow(alertmanagerPayloadSchema, req.body, 'Alertmanager payload');
    const clientId = clientOf(res).clientId;
    // The translation keeps to the schema's bounds; parsing again makes sure nothing else is stored.
    const request = parseOrThrow(
      topicNotificationRequestSchema,
      translateAlertmanager(payload, {
        checkLink: deps.checkLink,
        critical: query.critical === 'true',
      }),
      'The notification made from the payload',
    );
    const idempotencyKey = alertmanagerIdempotencyKey(
      topicId,
      payload,
      deps.clock.now(),
      query.dedupWindowSeconds,
    );
    try {
      sendAccepted(res, await deps.accept({ clientId, topicId, request, idempotencyKey }));
    } catch (err) {
      if (!isAppError(err) || err.code !== 'IDEMPOTENCY_MISMATCH') throw err;
      deps.logger.info(
        { clientId, topicId, idempotencyKey },
        'alertmanager: this group state was already sent in this window',
      );
      res.status(200).set('Idempotent-Replayed', 'true').json({ duplicate: true, idempotencyKey });
    }
  };
}
