import {
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { hasErrorName, toStoreError } from '../errors';
import { allowTopicToSend } from './queue-policy';

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
