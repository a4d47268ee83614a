import type { NotificationRecord } from '../notification';

/** The ids every delivery log line carries; never the recipient or the body. */
export function logIds(record: NotificationRecord) {
  return { notificationId: record.id, clientId: record.clientId, channel: record.channel };
}
