import {
  createDynamoChildStore,
  createDynamoPreferenceStore,
  createDynamoRecipientStore,
  createDynamoTopicSendStore,
  createDynamoTopicStore,
  type AwsClients,
} from '@herald/aws';
import {
  createAcceptTopicNotification,
  createCancelTopicSend,
  systemClock,
  type Logger,
  type NotificationQueue,
  type NotificationStore,
  type StatusEventPublisher,
} from '@herald/core';
import type { ApiConfig } from './config';

/**
 * The api's audience adapters: recipients, preferences, topics (the audience table), and topic
 * sends with their children (the notifications table), plus the use cases built on them.
 */
export function audienceDeps(
  config: ApiConfig,
  aws: Pick<AwsClients, 'doc'>,
  deps: {
    store: NotificationStore;
    queue: NotificationQueue;
    logger: Logger;
    events?: StatusEventPublisher;
  },
) {
  const audienceTable = { doc: aws.doc, tableName: config.HERALD_AUDIENCE_TABLE_NAME };
  const table = { doc: aws.doc, tableName: config.HERALD_TABLE_NAME };
  const topics = createDynamoTopicStore(audienceTable);
  const sends = createDynamoTopicSendStore(table);
  const children = createDynamoChildStore(table);
  const acceptTopicNotification = createAcceptTopicNotification({
    topics,
    sends,
    queue: deps.queue,
    clock: systemClock,
    logger: deps.logger,
    sweepAfterMs: config.HERALD_SWEEP_AFTER_SECONDS * 1000,
  });
  return {
    recipients: createDynamoRecipientStore(audienceTable),
    preferences: createDynamoPreferenceStore(audienceTable),
    topics,
    acceptTopicNotification,
    topicSends: {
      sends,
      children,
      topics,
      cancel: createCancelTopicSend({
        sends,
        children,
        notifications: deps.store,
        store: deps.store,
        clock: systemClock,
        logger: deps.logger,
        owesEvents: deps.events !== undefined,
        ...(deps.events ? { events: deps.events } : {}),
      }),
    },
  };
}
