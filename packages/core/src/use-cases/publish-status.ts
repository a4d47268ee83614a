import type { NotificationRecord } from '../notification';
import type { FinalOutcome, Logger, StatusEvent, StatusEventPublisher } from '../ports';
import { errorSummary } from './accept-notification';

/**
 * Announces a final status to other services (and to the callback dispatcher). Best effort: the
 * status is already stored, so a failed publish is logged and never undoes or delays it.
 */
export async function publishStatus(
  deps: { events?: StatusEventPublisher; logger: Logger },
  record: NotificationRecord,
  outcome: FinalOutcome,
  at: string,
): Promise<void> {
  if (!deps.events) return;
  const event: StatusEvent = {
    id: record.id,
    clientId: record.clientId,
    channel: record.channel,
    status: outcome.status,
    at,
  };
  if (outcome.provider !== undefined) event.provider = outcome.provider;
  if (outcome.providerMessageId !== undefined) event.providerMessageId = outcome.providerMessageId;
  if (outcome.status === 'Refused') event.reason = outcome.reason;
  if (record.request.callbackUrl !== undefined) event.callbackUrl = record.request.callbackUrl;
  try {
    await deps.events.publish(event);
  } catch (err) {
    deps.logger.warn(
      { notificationId: record.id, err: errorSummary(err) },
      'status event not published',
    );
  }
}
