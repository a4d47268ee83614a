import { AppError } from '../errors';
import type { NotificationRecord } from '../notification';
import type { Clock, Logger, NotificationStore, StatusEventPublisher } from '../ports';
import { statusEventId, statusEventOf } from '../status-event';
import { publishOwedEvent } from './publish-status';

export interface CancelDeps {
  store: NotificationStore;
  clock: Clock;
  logger: Logger;
  /** Publishes the final status right after the write; without it no event is owed. */
  events?: StatusEventPublisher;
}

/**
 * Cancels a client's notification that has not started sending: it ends `Refused` with
 * `cancelled`, its status event owed and published like any final status, and a worker that
 * later receives its message finds it final and drops the message. One conditional write decides
 * against a worker claiming at the same moment (`NotificationStore.cancel`). Returns the record
 * as written. Throws `NOT_FOUND` for an unknown id or another client's notification, `CONFLICT`
 * when a send has started (a worker holds it, or a provider accepted it) or the status is final.
 */
export function createCancelNotification(deps: CancelDeps) {
  return async function cancelNotification(input: {
    clientId: string;
    notificationId: string;
  }): Promise<NotificationRecord> {
    const now = deps.clock.now().toISOString();
    const message = 'Cancelled by the client before it was sent';
    const result = await deps.store.cancel(input.notificationId, {
      clientId: input.clientId,
      now,
      reason: { code: 'cancelled', message },
      event: { at: now, type: 'refused', detail: { code: 'cancelled' } },
      ...(deps.events ? { owedEventId: statusEventId(input.notificationId, 'Refused') } : {}),
    });
    switch (result.kind) {
      case 'missing':
        throw new AppError('NOT_FOUND', 'Notification not found');
      case 'final':
        throw new AppError('CONFLICT', `The notification is already ${result.record.status}`);
      case 'started':
        throw new AppError(
          'CONFLICT',
          'Sending has already started; it can no longer be cancelled',
        );
      case 'cancelled':
        break;
    }
    deps.logger.info(
      {
        notificationId: input.notificationId,
        clientId: input.clientId,
        channel: result.record.channel,
        status: 'Refused',
        reason: 'cancelled',
      },
      'notification cancelled',
    );
    // Owed since the write: a failed publish is left to the worker's recovery scan.
    if (deps.events)
      await publishOwedEvent({ ...deps, events: deps.events }, statusEventOf(result.record));
    return result.record;
  };
}
