import { CreateTopicCommand } from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import { DEFAULT_STATUS_TOPIC_NAME } from '@herald/config';
import { toStoreError } from '../errors';

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
