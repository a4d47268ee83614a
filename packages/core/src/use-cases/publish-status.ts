import type { Logger, NotificationStore, StatusEvent, StatusEventPublisher } from '../ports';
import { errorSummary } from '../error-summary';

export interface PublishOwedDeps {
  events: StatusEventPublisher;
  store: Pick<NotificationStore, 'clearOwedEvent'>;
  logger: Logger;
}

/**
 * Publishes a status event that its final write recorded as owed, then clears it from the
 * outbox. Best effort: the status is already stored, so a failed publish is logged and the event
 * stays owed, for the relay's recovery scan to publish later (at least once: a crash between the
 * publish and the clear publishes it again, with the same `eventId`). Never throws; resolves
 * whether the event was published.
 */
export async function publishOwedEvent(
  deps: PublishOwedDeps,
  event: StatusEvent,
): Promise<boolean> {
  try {
    await deps.events.publish(event);
  } catch (err) {
    deps.logger.warn(
      { notificationId: event.id, eventId: event.eventId, err: errorSummary(err) },
      'status event not published; it stays owed',
    );
    return false;
  }
  try {
    await deps.store.clearOwedEvent(event.id, event.eventId);
  } catch (err) {
    // Published: the worst outcome is that recovery publishes it once more, with the same id.
    deps.logger.warn(
      { notificationId: event.id, eventId: event.eventId, err: errorSummary(err) },
      'status event published, but not cleared from the outbox',
    );
  }
  return true;
}
