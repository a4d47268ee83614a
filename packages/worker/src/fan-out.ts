import {
  createDynamoChildStore,
  createDynamoFanOutAudience,
  createDynamoSuppressionList,
  recipientCapsFromSettings,
  createDynamoTopicSendStore,
  createDynamoTopicStore,
  type AwsClients,
} from '@herald/aws';
import {
  createFanOutTopicSend,
  systemClock,
  type ClientSettingsReader,
  type Logger,
  type NotificationQueue,
  type NotificationStore,
  type StatusEventRelay,
} from '@herald/core';
import type { WorkerConfig } from './config';

/**
 * The worker's fan-out of topic sends (`createFanOutTopicSend`) on the notifications table, the
 * audience table (subscribers, profiles, preferences) and `childQueue` for the children.
 */
export function createFanOut(
  config: WorkerConfig,
  aws: AwsClients,
  deps: {
    store: NotificationStore;
    childQueue: NotificationQueue;
    workerId: string;
    logger: Logger;
    clientSettings: ClientSettingsReader;
    relay?: StatusEventRelay;
  },
) {
  const caps = recipientCapsFromSettings(aws.doc, config);
  const table = { doc: aws.doc, tableName: config.HERALD_TABLE_NAME };
  const audienceTable = { doc: aws.doc, tableName: config.HERALD_AUDIENCE_TABLE_NAME };
  return createFanOutTopicSend({
    sends: createDynamoTopicSendStore(table),
    children: createDynamoChildStore(table),
    topics: createDynamoTopicStore(audienceTable),
    audience: createDynamoFanOutAudience(audienceTable),
    notifications: deps.store,
    childQueue: deps.childQueue,
    clock: systemClock,
    logger: deps.logger.child({ component: 'fan-out' }),
    workerId: deps.workerId,
    sweepAfterMs: config.HERALD_SWEEP_AFTER_SECONDS * 1000,
    owesEvents: deps.relay !== undefined,
    suppressions: createDynamoSuppressionList(audienceTable),
    ...(caps
      ? {
          caps: {
            caps,
            clientMax: async (clientId: string) =>
              (await deps.clientSettings.get(clientId))?.limits.recipientCap,
          },
        }
      : {}),
    ...(deps.relay ? { events: deps.relay } : {}),
  });
}
