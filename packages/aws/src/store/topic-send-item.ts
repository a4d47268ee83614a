import { sendAtOf, storedRefusalCode } from '@herald/core';
import type {
  ChildCounts,
  FanOutProgress,
  NotificationEvent,
  NotificationStatus,
  TopicNotificationRequest,
  TopicSendRecord,
} from '@herald/core';
import { itemFields } from './item-fields';
import { createdKey, notificationPk } from './table-schema';

const { json, malformed, num, optStr, str } = itemFields('topic send');

/** A topic send as the document client reads and writes it. */
export type TopicSendItem = Record<string, unknown>;

const STATUSES: readonly NotificationStatus[] = ['Pending', 'Refused', 'Delivered'];

/** The byTopic partition: a client's sends to one topic (keyed by client: topic ids are per client). */
export const clientTopicKey = (clientId: string, topicId: string): string =>
  `${clientId}#${topicId}`;

/**
 * The item of a new topic send, beside notifications in the table (`N#<id>`, an `ntp_` id) so it
 * shares their sweep (a lost message, a `sendAt` beyond the queue's delay) and their status-event
 * outbox. It carries `kind = "topic"` and no `channel`; `clientTopic` + `createdKey` index it
 * for `GET /v1/topics/:id/notifications`; it has no entry in byClientStatus (no `clientId` +
 * `createdKey` pair there: `clientId` alone does not make an entry), so the notifications list
 * shows direct sends only. The fan-out's progress is flat attributes, added to page by page.
 */
export function toTopicSendItem(
  record: TopicSendRecord,
  sweep: { shard: string; at: string },
): TopicSendItem {
  return {
    pk: notificationPk(record.id),
    id: record.id,
    kind: 'topic',
    clientId: record.clientId,
    topicId: record.topicId,
    clientTopic: clientTopicKey(record.clientId, record.topicId),
    topicSendKey: createdKey(record.createdAt, record.id),
    req: JSON.stringify(record.request),
    requestHash: record.requestHash,
    idempotencyKey: record.idempotencyKey,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    events: record.events,
    attempts: 0,
    // In UTC beside the request, for the claim's condition, as on a notification.
    sendAt: sendAtOf(record),
    ...progressAttributes(record.fanOut),
    ...(record.status === 'Pending' ? { sweepShard: sweep.shard, sweepAt: sweep.at } : {}),
  };
}

/** The progress as item attributes (`foCursor` absent before the first page and at the end). */
export function progressAttributes(p: FanOutProgress): Record<string, unknown> {
  return {
    foCursor: p.cursor,
    foPages: p.pages,
    foRecipients: p.recipients,
    foChildren: p.children,
    foOptedOut: p.skipped.optedOut,
    foSuppressed: p.skipped.suppressed,
    foNoAddress: p.skipped.noAddress,
    foComplete: p.complete,
  };
}

export function isTopicSendItem(item: Record<string, unknown>): boolean {
  return item.kind === 'topic';
}

/** Reads an item back; throws `INTERNAL` if it is not a topic send this module wrote. */
export function fromTopicSendItem(item: TopicSendItem): TopicSendRecord {
  if (!isTopicSendItem(item)) malformed('kind');
  const status = item.status;
  if (!STATUSES.includes(status as NotificationStatus)) malformed('status');
  const record: TopicSendRecord = {
    kind: 'topic',
    id: str(item, 'id'),
    clientId: str(item, 'clientId'),
    topicId: str(item, 'topicId'),
    request: json<TopicNotificationRequest>(item, 'req'),
    requestHash: str(item, 'requestHash'),
    status: status as NotificationStatus,
    createdAt: str(item, 'createdAt'),
    updatedAt: str(item, 'updatedAt'),
    events: Array.isArray(item.events) ? (item.events as NotificationEvent[]) : malformed('events'),
    fanOut: {
      pages: num(item, 'foPages'),
      recipients: num(item, 'foRecipients'),
      children: num(item, 'foChildren'),
      skipped: {
        optedOut: num(item, 'foOptedOut'),
        suppressed: num(item, 'foSuppressed'),
        noAddress: num(item, 'foNoAddress'),
      },
      complete: item.foComplete === true,
    },
  };
  const cursor = optStr(item, 'foCursor');
  if (cursor !== undefined) record.fanOut.cursor = cursor;
  const idempotencyKey = optStr(item, 'idempotencyKey');
  if (idempotencyKey !== undefined) record.idempotencyKey = idempotencyKey;
  const reason = item.reason as { code?: unknown; message?: unknown } | undefined;
  if (typeof reason?.code === 'string' && typeof reason.message === 'string') {
    record.reason = { code: storedRefusalCode(reason.code), message: reason.message };
  }
  const leaseOwner = optStr(item, 'leaseOwner');
  const leaseUntil = optStr(item, 'leaseUntil');
  if (leaseOwner !== undefined && leaseUntil !== undefined) {
    record.lease = { owner: leaseOwner, until: leaseUntil };
  }
  const nextAttemptAt = optStr(item, 'nextAttemptAt');
  if (nextAttemptAt !== undefined) record.nextAttemptAt = nextAttemptAt;
  const cancelledAt = optStr(item, 'cancelledAt');
  if (cancelledAt !== undefined) record.cancelledAt = cancelledAt;
  if (typeof item.finalCounts === 'object' && item.finalCounts !== null) {
    record.finalCounts = item.finalCounts as ChildCounts;
  }
  return record;
}
