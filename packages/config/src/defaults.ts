/*
 * The defaults more than one deployable (or a deployable and the local stack) must agree on,
 * written once: a table, queue or token audience named differently in two places would make the
 * api and the worker miss each other silently.
 */

/** The DynamoDB table when HERALD_TABLE_NAME is not set. */
export const DEFAULT_TABLE_NAME = 'herald';

/** The audience table (recipients, devices) when HERALD_AUDIENCE_TABLE_NAME is not set. */
export const DEFAULT_AUDIENCE_TABLE_NAME = 'herald-audience';

/** The work queue's name when neither HERALD_QUEUE_URL nor HERALD_QUEUE_NAME is set; its DLQ is `<name>-dlq`. */
export const DEFAULT_QUEUE_NAME = 'herald-notifications';

/**
 * The bulk queue beside the work queue `queueName` (the children of topic sends travel on it):
 * `<queueName>-bulk`, so `herald-notifications-bulk` by default. Its DLQ is `dlqNameOf` of it.
 */
export const bulkQueueNameOf = (queueName: string): string => `${queueName}-bulk`;

/** A queue's dead-letter queue: `<queueName>-dlq` (the work queue's, the bulk queue's). */
export const dlqNameOf = (queueName: string): string => `${queueName}-dlq`;

/** The SNS topic `herald setup` creates for status events. */
export const DEFAULT_STATUS_TOPIC_NAME = 'herald-status-events';

/** The `iss` tokens are issued with and verified against when HERALD_TOKEN_ISSUER is not set. */
export const DEFAULT_TOKEN_ISSUER = 'herald';

/** The `aud` tokens are issued with and verified against when HERALD_TOKEN_AUDIENCE is not set. */
export const DEFAULT_TOKEN_AUDIENCE = 'herald-api';

/** The AWS region when AWS_REGION is not set. */
export const DEFAULT_AWS_REGION = 'us-east-1';

/** The local stack's data directory (relative to the working directory) when HERALD_DATA_DIR is not set. */
export const DEFAULT_DATA_DIR = '.data';
