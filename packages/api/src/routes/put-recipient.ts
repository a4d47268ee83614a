import {
  AppError,
  recipientProfileSchema,
  type ClientSettings,
  type Clock,
  type RecipientProfile,
  type RecipientStore,
} from '@herald/core';
import type { RequestHandler } from 'express';
import { clientSettingsOf } from '../middleware/client-limits';
import { clientOf } from '../middleware/require-client-token';
import { preconditionOf, recipientEtag, recipientIdOf, recipientView } from '../recipient-http';
import { parseOrThrow } from '../validation';

/**
 * `PUT /v1/recipients/:recipientId`: creates (`201`) or replaces (`200`) the caller's recipient's
 * profile, answering the recipient with its `ETag`. `If-Match` with a stale ETag (or `*` for a
 * recipient that does not exist), or `If-None-Match: *` for one that does, is `412` and stores
 * nothing. A Slack webhook name the client may not use is a `400`, as for notifications.
 */
export function putRecipient(deps: {
  recipients: Pick<RecipientStore, 'putProfile'>;
  clock: Clock;
}): RequestHandler {
  return async (req, res) => {
    const { clientId } = clientOf(res);
    const recipientId = recipientIdOf(req);
    const precondition = preconditionOf(req);
    const profile = parseOrThrow(recipientProfileSchema, req.body, 'Recipient');
    assertSlackWebhookAllowed(profile, clientSettingsOf(res));

    const { created, recipient } = await deps.recipients.putProfile({
      clientId,
      recipientId,
      profile,
      precondition,
      now: deps.clock.now().toISOString(),
    });

    if (created) res.location(`/v1/recipients/${encodeURIComponent(recipientId)}`);
    res
      .status(created ? 201 : 200)
      .set('ETag', recipientEtag(recipient))
      .set('Cache-Control', 'private, no-cache')
      .json(recipientView(recipient));
  };
}

/** Same rule as a Slack notification's named webhook (see `assertWebhookAllowed`). */
function assertSlackWebhookAllowed(
  profile: RecipientProfile,
  settings: ClientSettings | undefined,
): void {
  const slack = profile.slack;
  if (slack === undefined || !('webhook' in slack)) return;
  if (settings?.allowedSlackWebhooks.includes(slack.webhook) === true) return;
  const message = 'is not a webhook this client may use';
  throw new AppError('VALIDATION_FAILED', `slack.webhook ${message}`, {
    details: [{ path: 'slack.webhook', message }],
  });
}
