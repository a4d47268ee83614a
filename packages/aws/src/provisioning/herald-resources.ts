import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { bulkQueueNameOf, DEFAULT_STATUS_TOPIC_NAME, dlqNameOf } from '@herald/config';
import { ensureAudienceTable } from '../audience/provision-audience-table';
import { ensureInfrastructure } from './provision';
import { ensureQueues } from './provision-queues';
import { subscribeQueue } from './queue-subscription';
import { ensureStatusTopic } from './status-topic';

export interface HeraldResourcesOptions {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  sns: SNSClient;
  tableName: string;
  /** The audience table (recipients, devices): `pk`/`sk`. */
  audienceTableName: string;
  /**
   * The work queue; its DLQ is `<name>-dlq`, the bulk queue `<name>-bulk` (DLQ
   * `<name>-bulk-dlq`) and the callbacks queue `<name>-callbacks`.
   */
  queueName: string;
  topicName?: string;
  visibilityTimeoutSeconds?: number;
  /** The work and bulk queues' maxReceiveCount (default 10). */
  maxReceiveCount?: number;
}

export interface HeraldResources {
  queueUrl: string;
  dlqUrl: string;
  /** The bulk queue (topic children) and its DLQ, with the work queue's settings. */
  bulkQueueUrl: string;
  bulkDlqUrl: string;
  statusTopicArn: string;
  /** Receives the status events of notifications that carry a `callbackUrl`. */
  callbackQueueUrl: string;
}

/**
 * Everything Herald runs on, created idempotently (local start, `herald setup`, tests): the table,
 * the audience table,
 * the work queue and its DLQ, the bulk queue and its DLQ (`ensureBulkQueues`), the
 * `herald-status-events` topic, and the callbacks queue (with its
 * own DLQ) subscribed to the topic for events that have a callback URL.
 */
export async function ensureHeraldResources(
  options: HeraldResourcesOptions,
): Promise<HeraldResources> {
  const { dynamodb, sqs, sns, tableName, queueName } = options;
  const visibility =
    options.visibilityTimeoutSeconds === undefined
      ? {}
      : { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds };
  await ensureAudienceTable({ dynamodb, tableName: options.audienceTableName });
  const receives =
    options.maxReceiveCount === undefined ? {} : { maxReceiveCount: options.maxReceiveCount };
  const work = await ensureInfrastructure({
    dynamodb,
    sqs,
    tableName,
    queueName,
    dlqName: dlqNameOf(queueName),
    ...visibility,
    ...receives,
  });
  const bulk = await ensureBulkQueues({ sqs, queueName, ...visibility, ...receives });
  const callbacks = await ensureInfrastructure({
    dynamodb,
    sqs,
    tableName,
    queueName: `${queueName}-callbacks`,
    dlqName: `${queueName}-callbacks-dlq`,
    ...visibility,
  });
  const statusTopicArn = await ensureStatusTopic({
    sns,
    topicName: options.topicName ?? DEFAULT_STATUS_TOPIC_NAME,
  });
  await subscribeQueue({
    sns,
    sqs,
    topicArn: statusTopicArn,
    queueUrl: callbacks.queueUrl,
    rawMessageDelivery: true,
    filterPolicy: { hasCallback: ['true'] },
  });
  return {
    queueUrl: work.queueUrl,
    dlqUrl: work.dlqUrl,
    bulkQueueUrl: bulk.queueUrl,
    bulkDlqUrl: bulk.dlqUrl,
    statusTopicArn,
    callbackQueueUrl: callbacks.queueUrl,
  };
}

/**
 * The bulk queue beside the work queue `queueName` (`<name>-bulk`, redriving to
 * `<name>-bulk-dlq`, names from `@herald/config`), with the same visibility timeout and
 * maxReceiveCount as the work queue, since the same worker code consumes both. Idempotent.
 */
export async function ensureBulkQueues(options: {
  sqs: SQSClient;
  queueName: string;
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
}): Promise<{ queueUrl: string; dlqUrl: string }> {
  const bulkName = bulkQueueNameOf(options.queueName);
  return ensureQueues({ ...options, queueName: bulkName, dlqName: dlqNameOf(bulkName) });
}
