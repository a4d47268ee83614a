import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb';
import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { AppError } from '@herald/core';
import { hasErrorName, toStoreError } from './errors';
import { ensureIndexes } from './table-indexes';
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
  /**
   * How long to wait for an index added to an existing table to become ACTIVE (DynamoDB backfills
   * it from every item first). Default 900 000; past it, running setup again goes on waiting.
   */
  indexActiveTimeoutMs?: number;
}

export interface Infrastructure {
  queueUrl: string;
  dlqUrl: string;
}

const DLQ_RETENTION_SECONDS = 14 * 24 * 3600; // the SQS maximum: time to inspect and redrive

/**
 * Creates what Herald needs if it is missing: the table (waiting until it and its indexes are
 * ACTIVE), the DLQ, and the main queue redriving to it. Idempotent: an existing table gets the
 * indexes of `tableDefinition` it lacks (see `ensureIndexes`) and is otherwise left as it is, an
 * existing queue gets the given attributes. Meant for local mode, tests and
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
  const definition = tableDefinition(options.tableName);
  try {
    await options.dynamodb.send(new CreateTableCommand(definition));
  } catch (err) {
    if (!hasErrorName(err, 'ResourceInUseException'))
      throw toStoreError(err, 'DynamoDB CreateTable');
  }
  const { dynamodb, tableName } = options;
  const table = await waitUntilActive(dynamodb, tableName, options.tableActiveTimeoutMs ?? 120_000);
  await ensureIndexes({
    dynamodb,
    table,
    definition,
    waitActive: () => waitUntilActive(dynamodb, tableName, options.indexActiveTimeoutMs ?? 900_000),
  });
}

async function waitUntilActive(
  dynamodb: DynamoDBClient,
  tableName: string,
  timeoutMs: number,
): Promise<TableDescription> {
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
    if (table !== undefined && isActive(table)) return table;
    if (Date.now() + delay > deadline) {
      throw new AppError(
        'UNAVAILABLE',
        `table ${tableName} and its indexes did not become ACTIVE in ${timeoutMs} ms`,
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

/** The topic status events go to unless configured otherwise. */
export const DEFAULT_STATUS_TOPIC_NAME = 'herald-status-events';

/**
 * Creates the SNS topic for status events if it is missing and returns its ARN. Idempotent:
 * CreateTopic returns the existing topic's ARN. Throws AppError `UNAVAILABLE` or `INTERNAL`.
 */
export async function ensureStatusTopic(options: {
  sns: SNSClient;
  topicName?: string;
}): Promise<string> {
  const name = options.topicName ?? DEFAULT_STATUS_TOPIC_NAME;
  try {
    const res = await options.sns.send(new CreateTopicCommand({ Name: name }));
    if (res.TopicArn === undefined) throw new Error('CreateTopic returned no TopicArn');
    return res.TopicArn;
  } catch (err) {
    throw toStoreError(err, 'SNS CreateTopic');
  }
}

export interface QueueSubscriptionOptions {
  sns: SNSClient;
  sqs: SQSClient;
  topicArn: string;
  /** The URL CreateQueue or GetQueueUrl returned. */
  queueUrl: string;
  /** Deliver the published message itself, not SNS's JSON envelope around it. Default false. */
  rawMessageDelivery?: boolean;
  /** An SNS filter policy on message attributes, e.g. `{ status: ['Delivered', 'Refused'] }`. */
  filterPolicy?: object;
}

/**
 * Subscribes an SQS queue to a topic and returns the subscription ARN. First lets the topic send
 * to the queue: a queue policy statement for this topic is added next to any already there (SNS
 * cannot deliver to a queue without one on AWS; emulators ignore it). Idempotent: subscribing
 * again returns the same subscription, and given attributes that differ from the existing
 * subscription's are applied to it (an omitted filter policy is left as it is).
 * Throws AppError `UNAVAILABLE` or `INTERNAL`.
 */
export async function subscribeQueue(options: QueueSubscriptionOptions): Promise<string> {
  const { sns, topicArn } = options;
  const queueArn = await allowTopicToSend(options.sqs, options.queueUrl, topicArn);
  const attributes: Record<string, string> = {
    RawMessageDelivery: String(options.rawMessageDelivery ?? false),
    ...(options.filterPolicy === undefined
      ? {}
      : { FilterPolicy: JSON.stringify(options.filterPolicy) }),
  };
  try {
    const res = await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: queueArn,
        Attributes: attributes,
        ReturnSubscriptionArn: true,
      }),
    );
    if (res.SubscriptionArn === undefined) throw new Error('Subscribe returned no SubscriptionArn');
    return res.SubscriptionArn;
  } catch (err) {
    // SNS refuses to subscribe the same endpoint again with other attributes.
    if (!hasErrorName(err, 'InvalidParameter')) throw toStoreError(err, 'SNS Subscribe');
    const existing = await findSubscription(sns, topicArn, queueArn);
    if (existing === undefined) throw toStoreError(err, 'SNS Subscribe');
    await setSubscriptionAttributes(sns, existing, attributes);
    return existing;
  }
}

async function allowTopicToSend(sqs: SQSClient, queueUrl: string, topicArn: string) {
  let attributes: Record<string, string>;
  try {
    const res = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn', 'Policy'] }),
    );
    attributes = res.Attributes ?? {};
  } catch (err) {
    throw toStoreError(err, 'SQS GetQueueAttributes');
  }
  const queueArn = attributes.QueueArn;
  if (queueArn === undefined)
    throw new AppError('INTERNAL', 'GetQueueAttributes returned no QueueArn');
  let policy: QueuePolicy;
  try {
    policy = parsePolicy(attributes.Policy);
  } catch (err) {
    throw new AppError('INTERNAL', 'the queue policy is not JSON', { cause: err });
  }
  const sid = `HeraldSns${createHash('sha256').update(topicArn).digest('hex').slice(0, 16)}`;
  if (policy.Statement.some((statement) => statement.Sid === sid)) return queueArn;
  policy.Statement.push({
    Sid: sid,
    Effect: 'Allow',
    Principal: { Service: 'sns.amazonaws.com' },
    Action: 'sqs:SendMessage',
    Resource: queueArn,
    Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
  });
  try {
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queueUrl,
        Attributes: { Policy: JSON.stringify(policy) },
      }),
    );
  } catch (err) {
    throw toStoreError(err, 'SQS SetQueueAttributes');
  }
  return queueArn;
}

interface QueuePolicy {
  Version: string;
  Statement: { Sid?: string; [key: string]: unknown }[];
}

function parsePolicy(raw: string | undefined): QueuePolicy {
  if (raw === undefined || raw === '') return { Version: '2012-10-17', Statement: [] };
  const policy = JSON.parse(raw) as { Version?: string; Statement?: unknown };
  const statements = policy.Statement ?? [];
  return {
    ...policy,
    Version: policy.Version ?? '2012-10-17',
    // A single statement may be written as an object rather than an array.
    Statement: (Array.isArray(statements) ? statements : [statements]) as QueuePolicy['Statement'],
  };
}

async function findSubscription(
  sns: SNSClient,
  topicArn: string,
  queueArn: string,
): Promise<string | undefined> {
  let nextToken: string | undefined;
  try {
    do {
      const page = await sns.send(
        new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: nextToken }),
      );
      const found = page.Subscriptions?.find(
        (s) => s.Protocol === 'sqs' && s.Endpoint === queueArn,
      )?.SubscriptionArn;
      if (found !== undefined) return found;
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
    return undefined;
  } catch (err) {
    throw toStoreError(err, 'SNS ListSubscriptionsByTopic');
  }
}

async function setSubscriptionAttributes(
  sns: SNSClient,
  subscriptionArn: string,
  attributes: Record<string, string>,
): Promise<void> {
  try {
    for (const [name, value] of Object.entries(attributes)) {
      await sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: subscriptionArn,
          AttributeName: name,
          AttributeValue: value,
        }),
      );
    }
  } catch (err) {
    throw toStoreError(err, 'SNS SetSubscriptionAttributes');
  }
}
