import { AppError, type PreferenceStore } from '@herald/core';
import type { RequestHandler } from 'express';
import { matchesIfNoneMatch } from '../etag';
import { clientOf } from '../middleware/require-client-token';
import { recipientIdOf } from '../recipient-http';

/**
 * `GET /v1/recipients/:recipientId/preferences`: the recipient's preferences exactly as last
 * PUT (so the body can be changed and PUT back), `{}` when none were written, always with an
 * `ETag` for `If-Match` (`304` when `If-None-Match` names it). An unknown recipient, or another
 * client's, is `404`.
 */
export function getPreferences(
  preferences: Pick<PreferenceStore, 'getPreferences'>,
): RequestHandler {
  return async (req, res) => {
    const recipientId = recipientIdOf(req);
    const record = await preferences.getPreferences(clientOf(res).clientId, recipientId);
    if (record === undefined) throw new AppError('NOT_FOUND', 'Recipient not found');

    const etag = `"${record.version}"`;
    res.set('ETag', etag).set('Cache-Control', 'private, no-cache');
    if (matchesIfNoneMatch(req.get('if-none-match'), etag)) {
      res.status(304).end();
      return;
    }
    res.json(record.preferences);
  };
}
