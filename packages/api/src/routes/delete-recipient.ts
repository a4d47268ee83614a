import { AppError, type RecipientStore } from '@herald/core';
import type { RequestHandler } from 'express';
import { clientOf } from '../middleware/require-client-token';
import { recipientIdOf } from '../recipient-http';

/**
 * `DELETE /v1/recipients/:recipientId`: erases the caller's recipient, its profile and devices
 * (and whatever else it has), `204`. A retry after a failure part-way finishes the erase; once
 * nothing is left, it is `404`. Notifications already sent to it are not touched.
 */
export function deleteRecipient(
  recipients: Pick<RecipientStore, 'deleteRecipient'>,
): RequestHandler {
  return async (req, res) => {
    const recipientId = recipientIdOf(req);
    const erased = await recipients.deleteRecipient(clientOf(res).clientId, recipientId);
    if (!erased) throw new AppError('NOT_FOUND', 'Recipient not found');
    res.status(204).end();
  };
}
