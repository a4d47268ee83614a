import { createHash } from 'node:crypto';
import { sendAtOf, statusEventOf, storedRefusalCode } from '@herald/core';
import type {
  AudienceLink,
  Channel,
  NotificationEvent,
  NotificationRecord,
  NotificationRequest,
  NotificationStatus,
  ParkedReceipt,
  StatusEvent,
} from '@herald/core';
import { itemFields } from './item-fields';
import { createdKey, newItemShard, notificationPk } from './table-schema';

const { json, malformed, optStr, str } = itemFields('notification');

/** A notification as the document client reads and writes it. */
export type NotificationItem = Record<string, unknown>;

const STATUSES: readonly NotificationStatus[] = ['Pending', 'Refused', 'Delivered'];

/**
 * The bySweep partition of a notification. Spreading Pending items over shards keeps any one
 * index partition from becoming hot under a burst of accepts.
 */
export function sweepShardOf(id: string, shards: number): string {
  return String(createHash('sha256').update(id).digest().readUInt32BE(0) % shards);
}

/**
 * Where a new notification's bySweep entry goes: `shard` is its base shard (`sweepShardOf`), and
 * the item's partition is that shard's lane family (`B<n>` for the bulk lane), or its scheduled
 * twin (`S<n>`, `SB<n>`) when `scheduled` (no queue message was sent; it waits for `sendAt`).
 */
export interface NewItemSweep {
  shard: string;
  at: string;
  scheduled?: boolean;
}

/**
 * The item for a new notification; `sweep` is written only while it is Pending, in the shard
 * family of the record's `lane` (stored as `lane = "bulk"` for the bulk lane). The request is
 * stored as JSON text so it round-trips exactly (key order, number precision, empty strings)
 * and the item's shape does not depend on any channel's schema.
 */
export function toItem(record: NotificationRecord, sweep: NewItemSweep): NotificationItem {
  const shard = newItemShard(sweep.shard, record.lane, sweep.scheduled ?? false);
  return {
    pk: notificationPk(record.id),
    id: record.id,
    clientId: record.clientId,
    createdKey: createdKey(record.createdAt, record.id),
    channel: record.channel,
    req: JSON.stringify(record.request),
    requestHash: record.requestHash,
    idempotencyKey: record.idempotencyKey,
    recipientId: record.audience?.recipientId,
    deviceId: record.audience?.deviceId,
    parentId: record.audience?.parentId,
    topicId: record.audience?.topicId,
    lane: record.lane === 'bulk' ? 'bulk' : undefined,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    attempts: record.attempts,
    provider: record.provider,
    providerMessageId: record.providerMessageId,
    reason: record.reason,
    events: record.events,
    leaseOwner: record.lease?.owner,
    leaseUntil: record.lease?.until,
    nextAttemptAt: record.nextAttemptAt,
    awaitingReceiptUntil: record.awaitingReceiptUntil,
    parkedReceipts: record.parkedReceipts?.map((p) => JSON.stringify(p)),
    // In UTC form beside the request, for the claim's condition (no claim before it).
    sendAt: sendAtOf(record),
    ...(record.status === 'Pending' ? { sweepShard: shard, sweepAt: sweep.at } : {}),
  };
}

/** Reads an item back into a record; throws `INTERNAL` if it is not one this module wrote. */
export function fromItem(item: NotificationItem): NotificationRecord {
  const status = item.status;
  if (!STATUSES.includes(status as NotificationStatus)) malformed('status');
  const record: NotificationRecord = {
    id: str(item, 'id'),
    clientId: str(item, 'clientId'),
    channel: str(item, 'channel') as Channel,
    request: json<NotificationRequest>(item, 'req'),
    requestHash: str(item, 'requestHash'),
    status: status as NotificationStatus,
    createdAt: str(item, 'createdAt'),
    updatedAt: str(item, 'updatedAt'),
    attempts: typeof item.attempts === 'number' ? item.attempts : malformed('attempts'),
    events: Array.isArray(item.events) ? (item.events as NotificationEvent[]) : malformed('events'),
  };
  const idempotencyKey = optStr(item, 'idempotencyKey');
  if (idempotencyKey !== undefined) record.idempotencyKey = idempotencyKey;
  const audience = audienceOf(item);
  if (audience !== undefined) record.audience = audience;
  if (item.lane === 'bulk') record.lane = 'bulk';
  const provider = optStr(item, 'provider');
  if (provider !== undefined) record.provider = provider;
  const providerMessageId = optStr(item, 'providerMessageId');
  if (providerMessageId !== undefined) record.providerMessageId = providerMessageId;
  if (isReason(item.reason))
    record.reason = { code: storedRefusalCode(item.reason.code), message: item.reason.message };
  const leaseOwner = optStr(item, 'leaseOwner');
  const leaseUntil = optStr(item, 'leaseUntil');
  if (leaseOwner !== undefined && leaseUntil !== undefined) {
    record.lease = { owner: leaseOwner, until: leaseUntil };
  }
  const nextAttemptAt = optStr(item, 'nextAttemptAt');
  if (nextAttemptAt !== undefined) record.nextAttemptAt = nextAttemptAt;
  const awaitingReceiptUntil = optStr(item, 'awaitingReceiptUntil');
  if (awaitingReceiptUntil !== undefined) record.awaitingReceiptUntil = awaitingReceiptUntil;
  const parked = item.parkedReceipts;
  if (Array.isArray(parked) && parked.length > 0) {
    // Written by parkReceipt from a receipt the api already validated.
    record.parkedReceipts = parked
      .filter((p): p is string => typeof p === 'string')
      .map((p) => JSON.parse(p) as ParkedReceipt);
  }
  return record;
}

/**
 * The owed status event `eventId` of a final item: `statusEventOf` its record, or, for an item
 * that no longer parses (a poison message's refusal), the event with whatever of it can be read.
 */
export function statusEventFromItem(
  item: NotificationItem,
  id: string,
  eventId: string,
): StatusEvent {
  try {
    return { ...statusEventOf(fromItem(item)), eventId };
  } catch {
    // Malformed: fall through to the fields that can still be read.
  }
  const status = item.status === 'Delivered' ? 'Delivered' : 'Refused';
  const event: StatusEvent = {
    eventId,
    id,
    clientId: optStr(item, 'clientId') ?? '',
    channel: optStr(item, 'channel') ?? (item.kind === 'topic' ? 'topic' : ''),
    status,
    at: optStr(item, 'updatedAt') ?? '',
  };
  const provider = optStr(item, 'provider');
  if (provider !== undefined) event.provider = provider;
  const providerMessageId = optStr(item, 'providerMessageId');
  if (providerMessageId !== undefined) event.providerMessageId = providerMessageId;
  if (status === 'Refused' && isReason(item.reason)) {
    event.reason = { code: storedRefusalCode(item.reason.code), message: item.reason.message };
  }
  const callbackUrl = callbackUrlOf(item.req);
  if (callbackUrl !== undefined) event.callbackUrl = callbackUrl;
  return event;
}

function audienceOf(item: NotificationItem): AudienceLink | undefined {
  const recipientId = optStr(item, 'recipientId');
  if (recipientId === undefined) return undefined;
  const audience: AudienceLink = { recipientId };
  const deviceId = optStr(item, 'deviceId');
  if (deviceId !== undefined) audience.deviceId = deviceId;
  const parentId = optStr(item, 'parentId');
  if (parentId !== undefined) audience.parentId = parentId;
  const topicId = optStr(item, 'topicId');
  if (topicId !== undefined) audience.topicId = topicId;
  return audience;
}

function callbackUrlOf(req: unknown): string | undefined {
  if (typeof req !== 'string') return undefined;
  try {
    const parsed = JSON.parse(req) as { callbackUrl?: unknown };
    return typeof parsed.callbackUrl === 'string' ? parsed.callbackUrl : undefined;
  } catch {
    return undefined;
  }
}

/** Any string code passes: items written by another version may hold codes this one lacks. */
function isReason(value: unknown): value is { code: string; message: string } {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { code?: unknown; message?: unknown };
  return typeof r.code === 'string' && typeof r.message === 'string';
}
