import type { StatusEvent } from '../ports';
import type { TopicSendRecord } from '../topic-send';

/**
 * The status event of a settled topic send: like a notification's, with `channel: "topic"`
 * (a topic send has no single channel). The store builds the same event from the item when the
 * outbox's recovery publishes it.
 */
export function topicSendStatusEvent(record: TopicSendRecord, eventId: string): StatusEvent {
  const event: StatusEvent = {
    eventId,
    id: record.id,
    clientId: record.clientId,
    channel: 'topic',
    status: record.status,
    at: record.updatedAt,
  };
  if (record.status === 'Refused' && record.reason !== undefined) event.reason = record.reason;
  return event;
}
