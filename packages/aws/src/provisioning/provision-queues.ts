import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { AppError } from '@herald/core';
import { hasErrorName, toStoreError } from '../errors';

/** What `ensureQueues` needs; part of `InfrastructureOptions`. */
export interface QueueProvisionOptions {
  sqs: SQSClient;
  queueName: string;
  dlqName: string;
  /** How long a received message stays invisible before SQS redelivers it. Default 30. */
  visibilityTimeoutSeconds?: number;
  /** Receives after which SQS moves a message to the DLQ. Default 10. */
  maxReceiveCount?: number;
}

/** The URLs of the work queue and its DLQ. */
export interface ProvisionedQueues {
  queueUrl: string;
  dlqUrl: string;
}

const DLQ_RETENTION_SECONDS = 14 * 24 * 3600; // the SQS maximum: time to inspect and redrive

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

/**
 * Creates the DLQ and the main queue redriving to it if they are missing; an existing queue gets
 * the given attributes. Idempotent. Throws AppError `UNAVAILABLE` or `INTERNAL`.
 */
export async function ensureQueues(options: QueueProvisionOptions): Promise<ProvisionedQueues> {
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
