import type { Lane } from './lane';
import type { RefusalCode } from './refusal-code';
import type { Channel, NotificationRequest } from './schemas/notification-request';

/** The public status: exactly one of these, ever (docs/architecture.md, statuses). */
export type NotificationStatus = 'Pending' | 'Refused' | 'Delivered';

/** Finer steps live here, in the event history, never in the status field. */
export type NotificationEventType =
  | 'accepted'
  | 'scheduled'
  | 'attempt_started'
  | 'attempt_failed'
  /** Held back by the recipient's quiet hours until `detail.until`; the attempt was refunded. */
  | 'deferred'
  | 'provider_accepted'
  | 'receipt'
  | 'delivered'
  | 'refused'
  /** A topic send's last page of subscribers is done: its children all exist. */
  | 'fanned_out';

export interface NotificationEvent {
  at: string;
  type: NotificationEventType;
  detail?: Record<string, string | number | boolean>;
}

/** Why a notification ended `Refused`: `code` is one of `REFUSAL_CODES`, `message` is for people. */
export interface RefusalReason {
  code: RefusalCode;
  message: string;
}

/** A receipt that arrived before the provider's message id was stored (see `recordReceipt`). */
export interface ParkedReceipt {
  providerMessageId: string;
  outcome: FinalOutcome;
  event: NotificationEvent;
}

/** A final status as written: Delivered, or Refused with its reason. */
export type FinalOutcome =
  | { status: 'Delivered'; provider: string; providerMessageId: string }
  | { status: 'Refused'; reason: RefusalReason; provider?: string; providerMessageId?: string };

/**
 * How a notification was addressed when the client named a person rather than an address: the
 * recipient whose profile gave the address (resolved once, when the notification was created,
 * and immutable from then on), the device a push target came from, and, for a child of a topic
 * send, its parent and topic. Absent on a notification addressed directly.
 */
export interface AudienceLink {
  recipientId: string;
  /** Push only: the recipient's device (`dev_…`) the target was taken from. */
  deviceId?: string;
  /** A topic send's child: the parent notification's id. */
  parentId?: string;
  /** A topic send's child: the topic it was sent to. */
  topicId?: string;
}

/** The stored notification: immutable request plus its delivery state. */
export interface NotificationRecord {
  id: string;
  clientId: string;
  channel: Channel;
  request: NotificationRequest;
  /** Hash of the canonical request, to tell an idempotent retry from a key reused for new content. */
  requestHash: string;
  idempotencyKey?: string;
  /** Set when the client addressed a recipient (or a topic) instead of an address. */
  audience?: AudienceLink;
  /**
   * The work queue it travels on, fixed when it is created; absent means `transactional`. The
   * children of a topic send are `bulk`: every (re-)enqueue, by the fan-out, a retry or the
   * sweeper, uses this queue. Internal: never part of a view.
   */
  lane?: Lane;
  status: NotificationStatus;
  createdAt: string;
  updatedAt: string;
  attempts: number;
  provider?: string;
  providerMessageId?: string;
  reason?: RefusalReason;
  events: NotificationEvent[];
  /** Held by the worker that is sending it right now; expires so a crashed worker frees it. */
  lease?: { owner: string; until: string };
  /** Set while waiting for a retry: no worker claims it before then. */
  nextAttemptAt?: string;
  /**
   * Set when the provider accepted it and a delivery receipt will settle it: no resend happens.
   * If no receipt arrives by then, the provider's acceptance counts and it becomes Delivered.
   */
  awaitingReceiptUntil?: string;
  /** Receipts that arrived before the provider's message id was written; applied after it. */
  parkedReceipts?: ParkedReceipt[];
}

/**
 * What `GET /v1/notifications/:id` shows. Never the request body or addresses; for a notification
 * sent to a recipient, the recipient's id (the client's own) and, when set, the device, the
 * parent and the topic (the client's own ids too, so nothing new is revealed).
 */
export type NotificationView = Pick<
  NotificationRecord,
  | 'id'
  | 'channel'
  | 'status'
  | 'createdAt'
  | 'updatedAt'
  | 'attempts'
  | 'provider'
  | 'providerMessageId'
  | 'reason'
  | 'events'
> & { recipient?: string; deviceId?: string; parentId?: string; topicId?: string };

export function toView(r: NotificationRecord): NotificationView {
  const view: NotificationView = {
    id: r.id,
    channel: r.channel,
    status: r.status,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    attempts: r.attempts,
    events: r.events,
  };
  if (r.provider !== undefined) view.provider = r.provider;
  if (r.providerMessageId !== undefined) view.providerMessageId = r.providerMessageId;
  if (r.reason !== undefined) view.reason = r.reason;
  if (r.audience !== undefined) {
    view.recipient = r.audience.recipientId;
    if (r.audience.deviceId !== undefined) view.deviceId = r.audience.deviceId;
    if (r.audience.parentId !== undefined) view.parentId = r.audience.parentId;
    if (r.audience.topicId !== undefined) view.topicId = r.audience.topicId;
  }
  return view;
}

/** The `202` answer to an accepted notification. */
export interface AcceptedView {
  id: string;
  status: 'Pending';
  channel: Channel;
  createdAt: string;
}
