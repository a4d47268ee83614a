import { AppError, isDeviceId, type RecipientStore } from '@herald/core';
import type { RequestHandler } from 'express';
import { clientOf } from '../middleware/require-client-token';
import { recipientIdOf } from '../recipient-http';

/**
 * `DELETE /v1/recipients/:recipientId/devices/:deviceId`: removes the device, `204`; `404` when
 * the recipient (or another client's) or the device does not exist, including on a repeat.
 */
export function deleteDevice(recipients: Pick<RecipientStore, 'removeDevice'>): RequestHandler {
  return async (req, res) => {
    const recipientId = recipientIdOf(req);
    const deviceId = String(req.params.deviceId);
    const removed =
      isDeviceId(deviceId) &&
      (await recipients.removeDevice(clientOf(res).clientId, recipientId, deviceId));
    if (!removed) throw new AppError('NOT_FOUND', 'Device not found');
    res.status(204).end();
  };
}
