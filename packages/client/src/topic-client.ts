import type {
  SubscriptionChannels,
  TopicAcceptedView,
  TopicCreate,
  TopicNotificationRequest,
  TopicPatch,
} from '@herald/core';
import type { CallOptions, Versioned } from './audience-client';
import type { HttpRequester, HttpResponse } from './http';
import type {
  ChildSummary,
  ListChildrenQuery,
  Page,
  PageQuery,
  SendToTopicOptions,
  SubscriptionView,
  TopicNotificationSummary,
  TopicNotificationView,
  TopicView,
} from './topic-types';

/**
 * Topics, their subscribers and topic sends. Managing topics and subscriptions needs
 * `audience:write`, reading them `audience:read`; sending needs `notifications:send`, reading
 * sends `notifications:read`. Every id is sent URL-encoded; an unknown topic, recipient or
 * notification, or another client's, rejects with `NOT_FOUND` (404), a bad body with
 * `VALIDATION_FAILED` (400) listing every problem. Reads, deletes and subscribe (a PUT) are safe
 * to retry; `createTopic` is not (each call makes a topic); `sendToTopic` only with an
 * `idempotencyKey`.
 */
export interface TopicClient {
  /** `POST /v1/topics`: a new topic with a UUID id; `CONFLICT` (409) past the per-client bound. */
  createTopic(topic: TopicCreate, opts?: CallOptions): Promise<Versioned<TopicView>>;
  /** `GET /v1/topics`: one page of the caller's topics, by id. */
  listTopics(query?: PageQuery): Promise<Page<TopicView>>;
  /** `GET /v1/topics/:topicId`. */
  getTopic(topicId: string, opts?: CallOptions): Promise<Versioned<TopicView>>;
  /**
   * `PATCH /v1/topics/:topicId`: the name and/or description (`null` removes it). With `ifMatch`,
   * only if unchanged since that ETag (`PRECONDITION_FAILED`, 412, otherwise).
   */
  updateTopic(
    topicId: string,
    patch: TopicPatch,
    opts?: CallOptions & { ifMatch?: string },
  ): Promise<Versioned<TopicView>>;
  /** `DELETE /v1/topics/:topicId`: the topic and its subscriptions; future sends stop. */
  deleteTopic(topicId: string, opts?: CallOptions): Promise<void>;
  /**
   * `PUT /v1/topics/:topicId/subscribers/:recipientId`: subscribes the recipient (`created`) or
   * replaces its channels. No `channels`: every channel it can be reached on at send time.
   */
  subscribe(
    topicId: string,
    recipientId: string,
    opts?: CallOptions & { channels?: SubscriptionChannels },
  ): Promise<{ subscription: SubscriptionView; created: boolean }>;
  /** `DELETE /v1/topics/:topicId/subscribers/:recipientId`; `NOT_FOUND` when not subscribed. */
  unsubscribe(topicId: string, recipientId: string, opts?: CallOptions): Promise<void>;
  /** `GET /v1/topics/:topicId/subscribers`: one page, by recipient id. */
  listSubscribers(topicId: string, query?: PageQuery): Promise<Page<SubscriptionView>>;
  /** `GET /v1/recipients/:recipientId/subscriptions`: one page of its subscriptions, by topic. */
  listSubscriptions(recipientId: string, query?: PageQuery): Promise<Page<SubscriptionView>>;
  /**
   * `POST /v1/topics/:topicId/notifications`: resolves once Herald has stored the parent
   * notification (`202`); the fan-out to the subscribers follows. After a network error or a
   * 5xx, retry only with the same `idempotencyKey`, which returns the original parent; the same
   * key with another body rejects with `IDEMPOTENCY_MISMATCH` (422).
   */
  sendToTopic(
    topicId: string,
    notification: TopicNotificationRequest,
    opts?: SendToTopicOptions,
  ): Promise<TopicAcceptedView>;
  /** `GET /v1/notifications/:id` of a topic send: its status and fan-out summary. */
  getTopicNotification(id: string, opts?: CallOptions): Promise<TopicNotificationView>;
  /** `GET /v1/topics/:topicId/notifications`: one page of what was sent to the topic. */
  listTopicNotifications(
    topicId: string,
    query?: PageQuery,
  ): Promise<Page<TopicNotificationSummary>>;
  /** `GET /v1/notifications/:id/children`: one page of a topic send's children. */
  listChildren(parentId: string, query?: ListChildrenQuery): Promise<Page<ChildSummary>>;
}

/** The {@link TopicClient} methods over one client's requester. */
export function createTopicClient(http: HttpRequester): TopicClient {
  const topicPath = (id: string) => `/v1/topics/${encodeURIComponent(id)}`;
  const subscriberPath = (topicId: string, recipientId: string) =>
    `${topicPath(topicId)}/subscribers/${encodeURIComponent(recipientId)}`;
  const notificationPath = (id: string) => `/v1/notifications/${encodeURIComponent(id)}`;
  const signalOf = (opts: { signal?: AbortSignal } | undefined) =>
    opts?.signal ? { signal: opts.signal } : {};

  async function page<T>(path: string, query: ListChildrenQuery = {}): Promise<Page<T>> {
    const { limit, cursor, status } = query;
    const res = await http({
      method: 'GET',
      path,
      query: { status, limit, cursor },
      ...signalOf(query),
    });
    return res.body as Page<T>;
  }

  return {
    async createTopic(topic, opts) {
      const res = await http({
        method: 'POST',
        path: '/v1/topics',
        json: topic,
        ...signalOf(opts),
      });
      return versioned<TopicView>(res);
    },
    listTopics: (query) => page<TopicView>('/v1/topics', query),
    async getTopic(id, opts) {
      return versioned<TopicView>(
        await http({ method: 'GET', path: topicPath(id), ...signalOf(opts) }),
      );
    },
    async updateTopic(id, patch, opts = {}) {
      const res = await http({
        method: 'PATCH',
        path: topicPath(id),
        json: patch,
        headers: opts.ifMatch === undefined ? {} : { 'If-Match': opts.ifMatch },
        ...signalOf(opts),
      });
      return versioned<TopicView>(res);
    },
    async deleteTopic(id, opts) {
      await http({ method: 'DELETE', path: topicPath(id), ...signalOf(opts) });
    },
    async subscribe(topicId, recipientId, opts = {}) {
      const res = await http({
        method: 'PUT',
        path: subscriberPath(topicId, recipientId),
        json: opts.channels === undefined ? {} : { channels: opts.channels },
        ...signalOf(opts),
      });
      return { subscription: res.body as SubscriptionView, created: res.status === 201 };
    },
    async unsubscribe(topicId, recipientId, opts) {
      await http({
        method: 'DELETE',
        path: subscriberPath(topicId, recipientId),
        ...signalOf(opts),
      });
    },
    listSubscribers: (topicId, query) =>
      page<SubscriptionView>(`${topicPath(topicId)}/subscribers`, query),
    listSubscriptions: (recipientId, query) =>
      page<SubscriptionView>(
        `/v1/recipients/${encodeURIComponent(recipientId)}/subscriptions`,
        query,
      ),
    async sendToTopic(topicId, notification, opts = {}) {
      const res = await http({
        method: 'POST',
        path: `${topicPath(topicId)}/notifications`,
        json: notification,
        headers:
          opts.idempotencyKey === undefined ? {} : { 'Idempotency-Key': opts.idempotencyKey },
        ...signalOf(opts),
      });
      return res.body as TopicAcceptedView;
    },
    async getTopicNotification(id, opts) {
      const res = await http({ method: 'GET', path: notificationPath(id), ...signalOf(opts) });
      return res.body as TopicNotificationView;
    },
    listTopicNotifications: (topicId, query) =>
      page<TopicNotificationSummary>(`${topicPath(topicId)}/notifications`, query),
    listChildren: (parentId, query) =>
      page<ChildSummary>(`${notificationPath(parentId)}/children`, query),
  };
}

function versioned<T>(res: HttpResponse): Versioned<T> {
  return { value: res.body as T, etag: res.headers.get('etag') ?? '' };
}
