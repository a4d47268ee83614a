import type { NotificationEvent, NotificationStatus, RefusalReason } from './notification';
import type { Channel } from './schemas/notification-request';
import type { TopicNotificationRequest } from './schemas/topic-notification';

/** A topic send as the api hands it to the accept use case. */
export interface AcceptTopicInput {
  clientId: string;
  topicId: string;
  request: TopicNotificationRequest;
  idempotencyKey?: string;
}

/** The `202` answer to an accepted topic send: the parent notification. */
export interface TopicAcceptedView {
  id: string;
  kind: 'topic';
  topicId: string;
  status: 'Pending';
  createdAt: string;
}

export interface AcceptTopicResult {
  notification: TopicAcceptedView;
  /** True when an earlier request with the same key and body already created it. */
  replayed: boolean;
}

/**
 * Stores a topic send's parent notification durably and hands it to the workers, who fan it out
 * to the topic's subscribers. Throws `NOT_FOUND` for an unknown topic (or another client's),
 * `VALIDATION_FAILED` for a `sendAt`/`expiresAt` outside its window, `IDEMPOTENCY_MISMATCH` and
 * `UNAVAILABLE` as a direct send does.
 */
export type AcceptTopicNotification = (input: AcceptTopicInput) => Promise<AcceptTopicResult>;

/** How far a fan-out has got; written once per page of subscribers, with that page's counts. */
export interface FanOutProgress {
  /** The subscriber page to read next; absent before the first page and once complete. */
  cursor?: string;
  /** Pages done. */
  pages: number;
  /** Subscribers seen. */
  recipients: number;
  /** Children created (one per recipient and channel; per device for push). */
  children: number;
  /** (recipient, channel) pairs that got no child, and why. */
  skipped: FanOutSkipped;
  /** Every page is done: no child will be added. */
  complete: boolean;
}

export interface FanOutSkipped {
  optedOut: number;
  suppressed: number;
  noAddress: number;
}

/** The children of a topic send by status. */
export interface ChildCounts {
  Pending: number;
  Delivered: number;
  Refused: number;
}

export const NO_FAN_OUT: FanOutProgress = {
  pages: 0,
  recipients: 0,
  children: 0,
  skipped: { optedOut: 0, suppressed: 0, noAddress: 0 },
  complete: false,
};

/**
 * A stored topic send (the parent notification). Immutable request, like any notification; its
 * status is `Pending` until the fan-out is complete and every child is final.
 */
export interface TopicSendRecord {
  kind: 'topic';
  id: string;
  clientId: string;
  topicId: string;
  request: TopicNotificationRequest;
  requestHash: string;
  idempotencyKey?: string;
  status: NotificationStatus;
  createdAt: string;
  updatedAt: string;
  events: NotificationEvent[];
  reason?: RefusalReason;
  /** Held by the worker fanning it out (or settling it); expires so a crashed worker frees it. */
  lease?: { owner: string; until: string };
  /** While children are still Pending: when to count them again. */
  nextAttemptAt?: string;
  fanOut: FanOutProgress;
  /** A cancel arrived after the fan-out had started: no further page, no child left unstarted. */
  cancelledAt?: string;
  /** The children's counts, written with the final status (they cannot change after it). */
  finalCounts?: ChildCounts;
}

/** What `GET /v1/notifications/:id` shows for a topic send. */
export interface TopicSendView {
  id: string;
  kind: 'topic';
  topicId: string;
  status: NotificationStatus;
  createdAt: string;
  updatedAt: string;
  events: NotificationEvent[];
  reason?: RefusalReason;
  fanOut: {
    recipients: number;
    children: ChildCounts;
    skipped: FanOutSkipped;
    complete: boolean;
  };
}

export function toTopicSendView(r: TopicSendRecord, children: ChildCounts): TopicSendView {
  const view: TopicSendView = {
    id: r.id,
    kind: 'topic',
    topicId: r.topicId,
    status: r.status,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    events: r.events,
    fanOut: {
      recipients: r.fanOut.recipients,
      children,
      skipped: r.fanOut.skipped,
      complete: r.fanOut.complete,
    },
  };
  if (r.reason !== undefined) view.reason = r.reason;
  return view;
}

/** One child as `GET /v1/notifications/:id/children` lists it. */
export interface ChildView {
  id: string;
  recipient: string;
  channel: Channel;
  deviceId?: string;
  status: NotificationStatus;
  reason?: RefusalReason;
}
