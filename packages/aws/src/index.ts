/**
 * AWS adapters for Herald's ports: the DynamoDB notification and revocation stores, the SQS
 * queue for both sides (api enqueues, worker receives), provisioning and readiness checks.
 * They run unchanged against dynalite and fauxqs in local mode.
 */
export { createAwsClients } from './aws-clients';
export type { AwsClientOptions, AwsClients } from './aws-clients';
export { isConditionalCheckFailed, toQueueError, toStoreError } from './errors';
export { createDynamoNotificationStore } from './dynamo-notification-store';
export type { DynamoNotificationStoreOptions } from './dynamo-notification-store';
export { createDynamoRevocationStore } from './dynamo-revocation-store';
export type { DynamoRevocationStoreOptions } from './dynamo-revocation-store';
export { ensureInfrastructure, resolveQueueUrl } from './provision';
export type { Infrastructure, InfrastructureOptions } from './provision';
export { checkReadiness } from './readiness';
export type { CheckState, Readiness, ReadinessOptions } from './readiness';
export { createSqsNotificationQueue, messageBody } from './sqs-notification-queue';
export type {
  DrainableNotificationQueue,
  SqsNotificationQueueOptions,
} from './sqs-notification-queue';
export { createSqsWorkQueue } from './sqs-work-queue';
export type { SqsWorkQueueOptions, WorkQueue } from './sqs-work-queue';
export {
  BY_CLIENT_INDEX,
  BY_CLIENT_STATUS_INDEX,
  BY_REVOCATION_INDEX,
  BY_SWEEP_INDEX,
  DEFAULT_TABLE_NAME,
  tableDefinition,
} from './table-schema';
export { awsEnvSchema, connectAws, intFromEnv, parseEnv } from './env';
export type { AwsEnv } from './env';
export { applyRenamedEnv } from './renamed-env';
export type { RenamedEnv } from './renamed-env';
export { createDynamoClientSettingsStore } from './dynamo-client-settings';
export type {
  ClientSettingsChange,
  ClientSettingsStore,
  DynamoClientSettingsStoreOptions,
} from './dynamo-client-settings';
export { createDynamoDeadTargetStore } from './dynamo-dead-target-store';
export type { DynamoDeadTargetStoreOptions } from './dynamo-dead-target-store';
export { createSnsStatusPublisher } from './sns-status-publisher';
export type { SnsStatusPublisherOptions } from './sns-status-publisher';
export { DEFAULT_STATUS_TOPIC_NAME, ensureStatusTopic, subscribeQueue } from './provision';
export type { QueueSubscriptionOptions } from './provision';
export { ensureHeraldResources } from './herald-resources';
export type { HeraldResources, HeraldResourcesOptions } from './herald-resources';
export { createDlqAdmin, resolveDeadLetterQueueUrl } from './dlq-admin';
export type { DlqAdmin, DlqAdminOptions, DlqMessage, RedriveResult } from './dlq-admin';
