import { AppError, type RecipientStore } from '@herald/core';
import type { RequestHandler } from 'express';
import { matchesIfNoneMatch } from '../etag';
import { clientOf } from '../middleware/require-client-token';
import { recipientEtag, recipientIdOf, recipientView } from '../recipient-http';

/**
 * `GET /v1/recipients/:recipientId`: the caller's recipient with its `ETag` (`304` when
 * `If-None-Match` names it). Another client's recipient is `404`, exactly like a missing one.
 */
export function getRecipient(recipients: Pick<RecipientStore, 'getProfile'>): RequestHandler {
  return async (req, res) => {
    const recipientId = recipientIdOf(req);
    const recipient = await recipients.getProfile(clientOf(res).clientId, recipientId);
    if (recipient === undefined) throw new AppError('NOT_FOUND', 'Recipient not found');

    const etag = recipientEtag(recipient);
    res.set('ETag', etag).set('Cache-Control', 'private, no-cache');
    if (matchesIfNoneMatch(req.get('if-none-match'), etag)) {
      res.status(304).end();
      return;
    }
    res.json(recipientView(recipient));
  };
}
