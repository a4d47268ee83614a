import {
  AppError,
  DEVICE_TARGET_KINDS,
  deviceIdOf,
  deviceTargetSchemaFor,
  type Clock,
  type DeviceTarget,
  type RecipientStore,
} from '@herald/core';
import type { RequestHandler } from 'express';
import { clientOf } from '../middleware/require-client-token';
import { deviceView, recipientIdOf } from '../recipient-http';
import { parseOrThrow } from '../validation';

/**
 * `POST /v1/recipients/:recipientId/devices`: registers a device (a push target: `webPush`,
 * `apns`, `fcm` or `snsEndpointArn`) under an id derived from it. A new device is `201`, the same
 * device again `200` (its details refreshed); both answer `{ deviceId, target, createdAt,
 * updatedAt }`. An unknown recipient (or another client's) is `404`; a 21st device `409`.
 */
export function postDevice(deps: {
  recipients: Pick<RecipientStore, 'addDevice'>;
  clock: Clock;
}): RequestHandler {
  return async (req, res) => {
    const { clientId } = clientOf(res);
    const recipientId = recipientIdOf(req);
    const target = parseTarget(req.body);
    const deviceId = deviceIdOf(target);

    const { created, device } = await deps.recipients.addDevice({
      clientId,
      recipientId,
      deviceId,
      target,
      now: deps.clock.now().toISOString(),
    });

    const path = `/v1/recipients/${encodeURIComponent(recipientId)}/devices/${deviceId}`;
    if (created) res.location(path);
    res.status(created ? 201 : 200).json(deviceView(device));
  };
}

function parseTarget(body: unknown): DeviceTarget {
  const schema = deviceTargetSchemaFor(body);
  if (schema !== undefined) return parseOrThrow(schema, body, 'Device');
  const message = `must be an object with exactly one of ${DEVICE_TARGET_KINDS.join(', ')}`;
  throw new AppError('VALIDATION_FAILED', `Device ${message}`, {
    details: [{ path: '', message }],
  });
}
