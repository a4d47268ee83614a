import type { Channel, NotificationEvent, NotificationStatus, RefusalReason } from '@herald/core';

/** A topic as the API shows it. */
export interface TopicView {
  /** A UUID chosen by Herald. */
  id: string;
  name: string;
  description?: string;
  createdAt: string;
  updatedAt: string;
}

/** A recipient's subscription to a topic; no `channels` means every channel it can be reached on. */
export interface SubscriptionView {
  topicId: string;
  recipientId: string;
  channels?: Channel[];
  createdAt: string;
  updatedAt: string;
}

/** One page of a list; pass `nextCursor` back as `cursor` for the next one. */
export interface Page<T> {
  items: T[];
  /** Present when there is another page. */
  nextCursor?: string;
}

/** Query of a paged list. */
export interface PageQuery {
  /** 1–100; the server has its own default. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  signal?: AbortSignal;
}

/** How far a topic send's fan-out has come. */
export interface FanOutSummary {
  /** Subscribers the fan-out has gone through so far. */
  recipients: number;
  /** Children created, by status. */
  children: Record<NotificationStatus, number>;
  /** (recipient, channel) pairs that got no child, and why. */
  skipped: { optedOut: number; suppressed: number; noAddress: number };
  /** True once every subscriber has been gone through. */
  complete: boolean;
}

/**
 * A topic send (the parent notification) as `GET /v1/notifications/:id` shows it: `Pending`
 * until the fan-out is complete and every child is final, then `Delivered` if any child was,
 * else `Refused` (`no_deliverable_recipient`).
 */
export interface TopicNotificationView {
  id: string;
  kind: 'topic';
  topicId: string;
  status: NotificationStatus;
  reason?: RefusalReason;
  createdAt: string;
  updatedAt: string;
  events: NotificationEvent[];
  fanOut: FanOutSummary;
}

/**
 * A topic send in `GET /v1/topics/:topicId/notifications`: its view without the events, and with
 * the children's counts only once it is final (`getTopicNotification` counts them live).
 */
export type TopicNotificationSummary = Omit<TopicNotificationView, 'events' | 'fanOut'> & {
  fanOut: Omit<FanOutSummary, 'children'> & { children?: FanOutSummary['children'] };
};

/** One child of a topic send: one recipient on one channel (and one device, for push). */
export interface ChildSummary {
  id: string;
  /** The recipient's id. */
  recipient: string;
  channel: Channel;
  /** Push children only. */
  deviceId?: string;
  status: NotificationStatus;
  reason?: RefusalReason;
}

/** Query of {@link TopicClient.listChildren}. */
export interface ListChildrenQuery extends PageQuery {
  status?: NotificationStatus;
}

/** Options of {@link TopicClient.sendToTopic}. */
export interface SendToTopicOptions {
  /** 1–255 printable ASCII characters. A retry with the same key and body gets the same answer. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}
