import { AppError, isNotificationId, toView, type NotificationRecord } from '@herald/core';
import type { RequestHandler } from 'express';
import { clientOf } from '../middleware/require-client-token';

/** Cancels one of the caller's notifications (core `createCancelNotification`). */
export type CancelNotification = (input: {
  clientId: string;
  notificationId: string;
}) => Promise<NotificationRecord>;

/**
 * `POST /v1/notifications/:id/cancel`: a notification that has not started sending ends
 * `Refused` with `cancelled`; the answer is `200` with its view (as `GET` shows it). A send
 * already under way, or a final status, is `409 CONFLICT`; an unknown id or another client's
 * notification is `404`, the same as for reads. No body is read.
 */
export function cancelNotificationRoute(cancel: CancelNotification): RequestHandler {
  return async (req, res) => {
    const id = String(req.params.id);
    if (!isNotificationId(id)) throw new AppError('NOT_FOUND', 'Notification not found');
    const record = await cancel({ clientId: clientOf(res).clientId, notificationId: id });
    res.status(200).set('Cache-Control', 'no-store').json(toView(record));
  };
}
