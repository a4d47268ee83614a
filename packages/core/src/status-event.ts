import type { FinalOutcome, NotificationRecord, NotificationStatus } from './notification';
import type { StatusEvent } from './ports';

/**
 * The id of the event announcing that notification `id` reached `status`. A status becomes
 * final once, so this names one event, and every publish of it (the one right after the write,
 * a recovery after a crash) carries the same id.
 */
export function statusEventId(id: string, status: NotificationStatus): string {
  return `${id}:${status}`;
}

/** The status event of a final record, as stored: `at` is its last update (the final write). */
export function statusEventOf(record: NotificationRecord): StatusEvent {
  const event: StatusEvent = {
    eventId: statusEventId(record.id, record.status),
    id: record.id,
    clientId: record.clientId,
    channel: record.channel,
    status: record.status,
    at: record.updatedAt,
  };
  if (record.provider !== undefined) event.provider = record.provider;
  if (record.providerMessageId !== undefined) event.providerMessageId = record.providerMessageId;
  if (record.status === 'Refused' && record.reason !== undefined) event.reason = record.reason;
  if (record.request.callbackUrl !== undefined) event.callbackUrl = record.request.callbackUrl;
  return event;
}

/**
 * The record as a final write of `outcome` at `at` leaves it (the stores' `complete` and
 * `recordReceipt`), so the event published right after the write is the one a recovery would
 * build from the stored item.
 */
export function settledRecord(
  record: NotificationRecord,
  outcome: FinalOutcome,
  at: string,
): NotificationRecord {
  const settled: NotificationRecord = { ...record, status: outcome.status, updatedAt: at };
  if (outcome.provider !== undefined) settled.provider = outcome.provider;
  if (outcome.providerMessageId !== undefined)
    settled.providerMessageId = outcome.providerMessageId;
  if (outcome.status === 'Refused') {
    settled.reason = { code: outcome.reason.code, message: outcome.reason.message };
  }
  return settled;
}
