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
