import {
  AppError,
  notificationRequestSchema,
  type AcceptInput,
  type AcceptResult,
  type NotificationRequest,
} from '@herald/core';
import type { RequestHandler } from 'express';
import { clientOf } from '../middleware/require-client-token';
import { parseOrThrow } from '../validation';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `POST /v1/notifications`: validate, store durably, enqueue, answer `202 Pending`. A retry with
 * the same `Idempotency-Key` and body gets the same answer; a different body gets `422`.
 */
export function postNotification(
  accept: (input: AcceptInput) => Promise<AcceptResult>,
  checkUrls: (request: NotificationRequest) => Promise<void>,
): RequestHandler {
  return async (req, res) => {
    const client = clientOf(res);
    const key = req.get('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new AppError(
        'VALIDATION_FAILED',
        'Idempotency-Key must be 1-255 printable ASCII characters',
        {
          details: [
            {
              path: 'headers.idempotency-key',
              message: 'must be 1-255 printable ASCII characters',
            },
          ],
        },
      );
    }
    const request = parseOrThrow(notificationRequestSchema, req.body, 'Notification');
    await checkUrls(request);
    const { notification, replayed } = await accept({
      clientId: client.clientId,
      request,
      ...(key !== undefined ? { idempotencyKey: key } : {}),
    });
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.status(202).location(`/v1/notifications/${notification.id}`).json(notification);
  };
}
