import { randomBytes } from 'node:crypto';
import {
  ensureAudienceTable,
  ensureBulkQueues,
  ensureHeraldResources,
  ensureInfrastructure,
} from '@herald/aws';
import type { AwsClients } from '@herald/aws';
import {
  DEFAULT_AUDIENCE_TABLE_NAME,
  DEFAULT_QUEUE_NAME,
  DEFAULT_STATUS_TOPIC_NAME,
  DEFAULT_TABLE_NAME,
  dlqNameOf,
} from '@herald/config';
import type { ResourceSet, StackNames } from './stack-options';

/** What the stack provisioned. */
export interface StackResources {
  tableName: string;
  audienceTableName: string;
  queueName: string;
  dlqName: string;
  queueUrl: string;
  dlqUrl: string;
  /** The bulk queue (`<queueName>-bulk`, topic children) and its DLQ. */
  bulkQueueUrl: string;
  bulkDlqUrl: string;
  /** With `resources: 'herald'`. */
  statusTopicArn?: string;
  /** With `resources: 'herald'`: receives the status events of notifications with a callback. */
  callbackQueueUrl?: string;
}

export interface ProvisionOptions {
  set: ResourceSet;
  names: StackNames;
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
}

/**
 * Fresh names, `<prefix>-<hex>` for the table, `…-audience`, `…-queue` and `…-status`, so stacks and test files
 * sharing emulators never see each other's data.
 */
export function randomStackNames(prefix: string): Required<StackNames> {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  return {
    tableName: name,
    audienceTableName: `${name}-audience`,
    queueName: `${name}-queue`,
    topicName: `${name}-status`,
  };
}

/** Creates the resources, idempotently (an existing table or queue is kept). */
export async function provisionStack(
  aws: AwsClients,
  options: ProvisionOptions,
): Promise<StackResources> {
  const tableName = options.names.tableName ?? DEFAULT_TABLE_NAME;
  const audienceTableName = options.names.audienceTableName ?? DEFAULT_AUDIENCE_TABLE_NAME;
  const queueName = options.names.queueName ?? DEFAULT_QUEUE_NAME;
  const dlqName = dlqNameOf(queueName);
  const visibility =
    options.visibilityTimeoutSeconds === undefined
      ? {}
      : { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds };
  const receives =
    options.maxReceiveCount === undefined ? {} : { maxReceiveCount: options.maxReceiveCount };
  if (options.set === 'work-queue') {
    await ensureAudienceTable({ dynamodb: aws.dynamodb, tableName: audienceTableName });
    const urls = await ensureInfrastructure({
      dynamodb: aws.dynamodb,
      sqs: aws.sqs,
      tableName,
      queueName,
      dlqName,
      ...visibility,
      ...receives,
    });
    const bulk = await ensureBulkQueues({ sqs: aws.sqs, queueName, ...visibility, ...receives });
    return {
      tableName,
      audienceTableName,
      queueName,
      dlqName,
      ...urls,
      bulkQueueUrl: bulk.queueUrl,
      bulkDlqUrl: bulk.dlqUrl,
    };
  }
  const made = await ensureHeraldResources({
    dynamodb: aws.dynamodb,
    sqs: aws.sqs,
    sns: aws.sns,
    tableName,
    audienceTableName,
    queueName,
    topicName: options.names.topicName ?? DEFAULT_STATUS_TOPIC_NAME,
    ...visibility,
    ...receives,
  });
  return { tableName, audienceTableName, queueName, dlqName, ...made };
}
