import { setTimeout as sleep } from 'node:timers/promises';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { AppError } from '@herald/core';
import { hasErrorName, toStoreError } from './errors';
import { tableDefinition } from './table-schema';

export interface InfrastructureOptions {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  tableName: string;
  queueName: string;
  dlqName: string;
  /** How long a received message stays invisible before SQS redelivers it. Default 30. */
  visibilityTimeoutSeconds?: number;
  /** Receives after which SQS moves a message to the DLQ. Default 10. */
  maxReceiveCount?: number;
  /** How long to wait for a new table to become ACTIVE. Default 120 000. */
  tableActiveTimeoutMs?: number;
}

export interface Infrastructure {
  queueUrl: string;
  dlqUrl: string;
}

const DLQ_RETENTION_SECONDS = 14 * 24 * 3600; // the SQS maximum: time to inspect and redrive

/**
 * Creates what Herald needs if it is missing: the table (waiting until it and its indexes are
 * ACTIVE), the DLQ, and the main queue redriving to it. Idempotent: an existing table is left
 * as it is, an existing queue gets the given attributes. Meant for local mode, tests and
 * `herald setup`; in AWS the CDK app owns these. Throws AppError `UNAVAILABLE` or `INTERNAL`.
 */
export async function ensureInfrastructure(
  options: InfrastructureOptions,
): Promise<Infrastructure> {
  const [, urls] = await Promise.all([ensureTable(options), ensureQueues(options)]);
  return urls;
}

/** The URL of an existing queue (GetQueueUrl). Throws `UNAVAILABLE` when it cannot be found. */
export async function resolveQueueUrl(sqs: SQSClient, name: string): Promise<string> {
  try {
    const res = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (res.QueueUrl === undefined) throw new Error('GetQueueUrl returned no QueueUrl');
    return res.QueueUrl;
  } catch (err) {
    throw new AppError('UNAVAILABLE', `queue ${name} cannot be resolved`, { cause: err });
  }
}

async function ensureTable(options: InfrastructureOptions): Promise<void> {
  try {
    await options.dynamodb.send(new CreateTableCommand(tableDefinition(options.tableName)));
  } catch (err) {
    if (!hasErrorName(err, 'ResourceInUseException'))
      throw toStoreError(err, 'DynamoDB CreateTable');
  }
  await waitUntilActive(
    options.dynamodb,
    options.tableName,
    options.tableActiveTimeoutMs ?? 120_000,
  );
}

async function waitUntilActive(dynamodb: DynamoDBClient, tableName: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  // dynalite needs ~50-500 ms, AWS seconds to minutes: start fast, back off to 2 s.
  for (let delay = 50; ; delay = Math.min(delay * 2, 2_000)) {
    let table: TableDescription | undefined;
    try {
      table = (await dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    } catch (err) {
      // Right after CreateTable, AWS may not list the table yet.
      if (!hasErrorName(err, 'ResourceNotFoundException'))
        throw toStoreError(err, 'DynamoDB DescribeTable');
    }
    if (table !== undefined && isActive(table)) return;
    if (Date.now() + delay > deadline) {
      throw new AppError(
        'UNAVAILABLE',
        `table ${tableName} did not become ACTIVE in ${timeoutMs} ms`,
      );
    }
    await sleep(delay);
  }
}

function isActive(table: TableDescription): boolean {
  return (
    table.TableStatus === 'ACTIVE' &&
    (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')
  );
}

async function ensureQueues(options: InfrastructureOptions): Promise<Infrastructure> {
  const { sqs } = options;
  const dlqUrl = await ensureQueue(sqs, options.dlqName, {
    MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS),
  });
  const dlqArn = await queueArn(sqs, dlqUrl);
  const queueUrl = await ensureQueue(sqs, options.queueName, {
    VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
    ReceiveMessageWaitTimeSeconds: '20',
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlqArn,
      maxReceiveCount: options.maxReceiveCount ?? 10,
    }),
  });
  return { queueUrl, dlqUrl };
}

/** CreateQueue; if the queue exists with other attributes, applies these to it instead. */
async function ensureQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<string> {
  try {
    const res = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    if (res.QueueUrl !== undefined) return res.QueueUrl;
  } catch (err) {
    if (!hasErrorName(err, 'QueueNameExists', 'QueueAlreadyExists')) {
      throw toStoreError(err, 'SQS CreateQueue');
    }
  }
  const url = await resolveQueueUrl(sqs, name);
  try {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  } catch (err) {
    throw toStoreError(err, 'SQS SetQueueAttributes');
  }
  return url;
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  try {
    const res = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    const arn = res.Attributes?.QueueArn;
    if (arn === undefined) throw new Error('GetQueueAttributes returned no QueueArn');
    return arn;
  } catch (err) {
    throw toStoreError(err, 'SQS GetQueueAttributes');
  }
}
