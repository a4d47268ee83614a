import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_STATUS_TOPIC_NAME } from '@herald/config';
import { ensureAudienceTable } from '../audience/provision-audience-table';
import { ensureInfrastructure } from './provision';
import { subscribeQueue } from './queue-subscription';
import { ensureStatusTopic } from './status-topic';

export interface HeraldResourcesOptions {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  sns: SNSClient;
  tableName: string;
  /** The audience table (recipients, devices): `pk`/`sk`. */
  audienceTableName: string;
  /** The work queue; its DLQ is `<name>-dlq` and the callbacks queue `<name>-callbacks`. */
  queueName: string;
  topicName?: string;
  visibilityTimeoutSeconds?: number;
}

export interface HeraldResources {
  queueUrl: string;
  dlqUrl: string;
  statusTopicArn: string;
  /** Receives the status events of notifications that carry a `callbackUrl`. */
  callbackQueueUrl: string;
}

/**
 * Everything Herald runs on, created idempotently (local start, `herald setup`, tests): the table,
 * the audience table,
 * the work queue and its DLQ, the `herald-status-events` topic, and the callbacks queue (with its
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
  const work = await ensureInfrastructure({
    dynamodb,
    sqs,
    tableName,
    queueName,
    dlqName: `${queueName}-dlq`,
    ...visibility,
  });
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
    statusTopicArn,
    callbackQueueUrl: callbacks.queueUrl,
  };
}
