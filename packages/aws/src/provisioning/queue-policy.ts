import { createHash } from 'node:crypto';
import { GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { AppError } from '@herald/core';
import { toStoreError } from '../errors';

/**
 * Adds a statement letting the topic send to the queue to the queue's policy, next to any already
 * there (SNS cannot deliver to a queue without one on AWS; emulators ignore it), and returns the
 * queue's ARN. Idempotent: the statement's Sid is derived from the topic ARN.
 * Throws AppError `UNAVAILABLE` or `INTERNAL`.
 */
export async function allowTopicToSend(
  sqs: SQSClient,
  queueUrl: string,
  topicArn: string,
): Promise<string> {
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
