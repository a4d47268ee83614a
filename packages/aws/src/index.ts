/**
 * AWS adapters for Herald's ports: the DynamoDB notification and revocation stores, the SQS
 * queue for both sides (api enqueues, worker receives), provisioning and readiness checks.
 * They run unchanged against dynalite and fauxqs in local mode.
 */
export { createAwsClients } from './aws-clients';
export type { AwsClientOptions, AwsClients } from './aws-clients';
export { isConditionalCheckFailed, toQueueError, toStoreError } from './errors';
export { createDynamoNotificationStore } from './store/dynamo-notification-store';
export type { DynamoNotificationStoreOptions } from './store/dynamo-notification-store';
export { createDynamoRevocationStore } from './store/dynamo-revocation-store';
export type { DynamoRevocationStoreOptions } from './store/dynamo-revocation-store';
export { ensureInfrastructure } from './provisioning/provision';
export { resolveQueueUrl } from './provisioning/provision-queues';
export type { Infrastructure, InfrastructureOptions } from './provisioning/provision';
export { checkReadiness } from './readiness';
export type { CheckState, Readiness, ReadinessOptions } from './readiness';
export { createSqsNotificationQueue, messageBody } from './queues/sqs-notification-queue';
export type {
  DrainableNotificationQueue,
  SqsNotificationQueueOptions,
} from './queues/sqs-notification-queue';
export { createSqsWorkQueue } from './queues/sqs-work-queue';
export type { SqsWorkQueueOptions } from './queues/sqs-work-queue';
export {
  BY_CLIENT_INDEX,
  BY_CLIENT_STATUS_INDEX,
  BY_REVOCATION_INDEX,
  BY_SWEEP_INDEX,
  BY_PARENT_INDEX,
  BY_TOPIC_INDEX,
  tableDefinition,
} from './store/table-schema';
export { connectAws, resolveBulkQueueUrl } from './connect-aws';
export { createDynamoClientSettingsStore } from './store/dynamo-client-settings';
export type {
  ClientSettingsChange,
  ClientSettingsStore,
  DynamoClientSettingsStoreOptions,
} from './store/dynamo-client-settings';
export { createDynamoDeadTargetStore } from './store/dynamo-dead-target-store';
export type { DynamoDeadTargetStoreOptions } from './store/dynamo-dead-target-store';
export { createSnsStatusPublisher } from './sns-status-publisher';
export type { SnsStatusPublisherOptions } from './sns-status-publisher';
export { ensureStatusTopic } from './provisioning/status-topic';
export { subscribeQueue } from './provisioning/queue-subscription';
export type { QueueSubscriptionOptions } from './provisioning/queue-subscription';
export { ensureBulkQueues, ensureHeraldResources } from './provisioning/herald-resources';
export { ensureAudienceTable } from './audience/provision-audience-table';
export { audienceTableDefinition, recipientPk } from './audience/audience-table';
export { createDynamoRecipientStore } from './audience/dynamo-recipient-store';
export { createDynamoPreferenceStore } from './audience/dynamo-preference-store';
export { createDynamoSendTimeAudience } from './audience/dynamo-send-time-audience';
export type { DynamoSendTimeAudienceOptions } from './audience/dynamo-send-time-audience';
export type { DynamoPreferenceStoreOptions } from './audience/dynamo-preference-store';
export type { DynamoRecipientStoreOptions } from './audience/dynamo-recipient-store';
export type { HeraldResources, HeraldResourcesOptions } from './provisioning/herald-resources';
export { createDlqAdmin, resolveDeadLetterQueueUrl } from './queues/dlq-admin';
export type { DlqAdmin, DlqAdminOptions, DlqMessage, RedriveResult } from './queues/dlq-admin';
export { createDynamoTopicStore } from './audience/dynamo-topic-store';
export {
  createDynamoRecipientCaps,
  recipientCapsFromSettings,
  TTL_ATTRIBUTE,
} from './store/dynamo-recipient-caps';
export type {
  DynamoRecipientCapsOptions,
  RecipientCapSettings,
} from './store/dynamo-recipient-caps';
export { createDynamoSuppressionList } from './audience/dynamo-suppression-list';
export type { DynamoSuppressionListOptions } from './audience/dynamo-suppression-list';
export type { DynamoTopicStoreOptions } from './audience/dynamo-topic-store';
export { createDynamoTopicSendStore } from './store/dynamo-topic-sends';
export { createDynamoChildStore } from './store/dynamo-children';
export { createDynamoFanOutAudience } from './audience/dynamo-fan-out-audience';
