import { recipientPreferencesSchema, type Clock, type PreferenceStore } from '@herald/core';
import type { RequestHandler } from 'express';
import { clientOf } from '../middleware/require-client-token';
import { preconditionOf, recipientIdOf } from '../recipient-http';
import { parseOrThrow } from '../validation';

/**
 * `PUT /v1/recipients/:recipientId/preferences`: replaces the recipient's preferences, answering
 * them with their new `ETag` (`200`; `201` for the first write). Every problem of the body is a
 * `400` at once; an unknown recipient `404`; `If-Match` with a stale ETag (`*`: preferences must
 * have been written; `If-None-Match: *`: none yet) `412`. Nothing is stored on any error.
 */
export function putPreferences(deps: {
  preferences: Pick<PreferenceStore, 'putPreferences'>;
  clock: Clock;
}): RequestHandler {
  return async (req, res) => {
    const recipientId = recipientIdOf(req);
    const precondition = preconditionOf(req);
    const preferences = parseOrThrow(recipientPreferencesSchema, req.body, 'Preferences body');

    const { created, record } = await deps.preferences.putPreferences({
      clientId: clientOf(res).clientId,
      recipientId,
      preferences,
      precondition,
      now: deps.clock.now().toISOString(),
    });

    res
      .status(created ? 201 : 200)
      .set('ETag', `"${record.version}"`)
      .set('Cache-Control', 'private, no-cache')
      .json(record.preferences);
  };
}
