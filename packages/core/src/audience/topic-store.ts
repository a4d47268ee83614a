import type { ProfilePrecondition } from './recipient-store';
import type { SubscriptionChannels, TopicPatch } from './topic';

/** A stored topic of a client. */
export interface TopicRecord {
  clientId: string;
  /** A UUID v4 made by Herald. */
  topicId: string;
  name: string;
  description?: string;
  /** Opaque, changes on every write: the api's `ETag`, checked by `If-Match`. */
  version: string;
  createdAt: string;
  updatedAt: string;
}

/** A recipient's subscription to a topic. */
export interface SubscriptionRecord {
  topicId: string;
  recipientId: string;
  /** Absent: every channel the recipient can be reached on, resolved at send time. */
  channels?: SubscriptionChannels;
  createdAt: string;
  updatedAt: string;
}

/** A page of a list and the opaque cursor of the next one, if any. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Paging options: at most `limit` items after `cursor` (from the previous page). */
export interface PageOptions {
  limit: number;
  cursor?: string;
}

/**
 * A client's topics and the subscriptions of its recipients to them (DynamoDB: `@herald/aws`
 * `createDynamoTopicStore`, the audience table). Everything is keyed by client, so another
 * client's topic, recipient or subscription is never reached. A malformed cursor is AppError
 * `VALIDATION_FAILED`; infrastructure failures are `UNAVAILABLE`.
 */
export interface TopicStore {
  /** Creates a topic. `CONFLICT` when the client has `MAX_TOPICS_PER_CLIENT` already. */
  createTopic(p: {
    clientId: string;
    topicId: string;
    name: string;
    description?: string;
    now: string;
  }): Promise<TopicRecord>;
  /** The topic, read consistently; `undefined` when there is none. */
  getTopic(clientId: string, topicId: string): Promise<TopicRecord | undefined>;
  /** The client's topics, ordered by id. */
  listTopics(clientId: string, page: PageOptions): Promise<Page<TopicRecord>>;
  /**
   * Changes the name and/or description (`null` removes it). `NOT_FOUND` when there is no such
   * topic, `PRECONDITION_FAILED` when `precondition` does not hold; nothing written then.
   */
  updateTopic(p: {
    clientId: string;
    topicId: string;
    patch: TopicPatch;
    precondition: ProfilePrecondition;
    now: string;
  }): Promise<TopicRecord>;
  /**
   * Deletes the topic (from then on it is not found and nothing can subscribe to it), then every
   * subscription to it, page by page, on both sides. Idempotent: a retry after a failure part-way
   * finishes the job. `false` when there was nothing left to delete.
   */
  deleteTopic(clientId: string, topicId: string): Promise<boolean>;
  /**
   * Subscribes an existing recipient to an existing topic, or replaces the channels of its
   * subscription (`created: false`). `NOT_FOUND` when either does not exist (also when one is
   * deleted while this runs: the subscription is then removed again).
   */
  subscribe(p: {
    clientId: string;
    topicId: string;
    recipientId: string;
    channels?: SubscriptionChannels;
    now: string;
  }): Promise<{ created: boolean; subscription: SubscriptionRecord }>;
  /** Removes a subscription; `false` when there was none. Idempotent. */
  unsubscribe(clientId: string, topicId: string, recipientId: string): Promise<boolean>;
  /** A topic's subscriptions, ordered by recipient id; `undefined` when there is no topic. */
  listSubscribers(
    clientId: string,
    topicId: string,
    page: PageOptions,
  ): Promise<Page<SubscriptionRecord> | undefined>;
  /** A recipient's subscriptions, ordered by topic id; `undefined` when there is no recipient. */
  listSubscriptions(
    clientId: string,
    recipientId: string,
    page: PageOptions,
  ): Promise<Page<SubscriptionRecord> | undefined>;
}
