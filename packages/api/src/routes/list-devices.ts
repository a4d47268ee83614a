import { AppError, type RecipientStore } from '@herald/core';
import type { RequestHandler } from 'express';
import { clientOf } from '../middleware/require-client-token';
import { deviceView, recipientIdOf } from '../recipient-http';

/**
 * `GET /v1/recipients/:recipientId/devices`: `{ items }`, the recipient's devices (at most 20),
 * newest registration first. An unknown recipient (or another client's) is `404`.
 */
export function listDevices(recipients: Pick<RecipientStore, 'listDevices'>): RequestHandler {
  return async (req, res) => {
    const recipientId = recipientIdOf(req);
    const devices = await recipients.listDevices(clientOf(res).clientId, recipientId);
    if (devices === undefined) throw new AppError('NOT_FOUND', 'Recipient not found');
    res.set('Cache-Control', 'private, no-cache').json({ items: devices.map(deviceView) });
  };
}
