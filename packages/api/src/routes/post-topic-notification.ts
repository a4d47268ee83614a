import {
  topicNotificationRequestSchema,
  type AcceptTopicNotification,
  type AcceptTopicResult,
} from '@herald/core';
import type { RequestHandler, Response } from 'express';
import { idempotencyKeyOf } from '../idempotency-key';
import { clientOf } from '../middleware/require-client-token';
import { topicIdOf } from '../topic-http';
import type { LinkPolicy } from '../url-policy';
import { parseOrThrow } from '../validation';

/** What the topic send routes need. */
export interface TopicSendDeps {
  accept: AcceptTopicNotification;
  /** The rule for `url`, a link Herald hands to recipients (`createLinkPolicy`). */
  checkLink: LinkPolicy;
}

/**
 * `POST /v1/topics/:topicId/notifications`: validates the body strictly (`400` listing every
 * problem), applies the link policy to `url`, then hands the send to the accept use case, which
 * stores the parent notification durably; the answer is `202` with the parent and its
 * `Location`. A malformed topic id, an unknown topic and another client's are all `404`. A retry
 * with the same `Idempotency-Key` and body gets the same `202` (with `Idempotent-Replayed: true`),
 * a different body `422`.
 */
export function postTopicNotification(deps: TopicSendDeps): RequestHandler {
  return async (req, res) => {
    const topicId = topicIdOf(req);
    const key = idempotencyKeyOf(req);
    const request = parseOrThrow(topicNotificationRequestSchema, req.body, 'Notification');
    if (request.url !== undefined) deps.checkLink(request.url, 'url');
    const result = await deps.accept({
      clientId: clientOf(res).clientId,
      topicId,
      request,
      ...(key === undefined ? {} : { idempotencyKey: key }),
    });
    sendAccepted(res, result);
  };
}

/** The `202` of an accepted topic send (or its replay): the parent, where to read it. */
export function sendAccepted(res: Response, result: AcceptTopicResult): void {
  if (result.replayed) res.set('Idempotent-Replayed', 'true');
  const { notification } = result;
  res.status(202).location(`/v1/notifications/${notification.id}`).json(notification);
}
