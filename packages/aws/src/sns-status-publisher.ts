import { PublishCommand } from '@aws-sdk/client-sns';
import type { MessageAttributeValue, SNSClient } from '@aws-sdk/client-sns';
import type { Logger, StatusEvent, StatusEventPublisher } from '@herald/core';
import { toQueueError } from './errors';

export interface SnsStatusPublisherOptions {
  sns: SNSClient;
  /** The topic `ensureStatusTopic` returned (default name `herald-status-events`). */
  topicArn: string;
  /** Each published event is logged at debug level, ids only. */
  logger?: Pick<Logger, 'debug'>;
}

/**
 * Publishes each status event to an SNS topic: the event as JSON in `Message`, and the string
 * message attributes `status`, `channel`, `clientId` and `hasCallback` (`'true'`/`'false'`), so
 * subscribers can filter (an SNS filter policy such as `{ "hasCallback": ["true"] }`) without
 * reading the body. Not idempotent: a retried publish reaches subscribers twice; the event's `id`
 * and `status` identify it. Throws AppError `UNAVAILABLE` when SNS does not take the event.
 */
export function createSnsStatusPublisher(options: SnsStatusPublisherOptions): StatusEventPublisher {
  return {
    async publish(event) {
      let messageId: string | undefined;
      try {
        const res = await options.sns.send(
          new PublishCommand({
            TopicArn: options.topicArn,
            Message: JSON.stringify(event),
            MessageAttributes: attributesOf(event),
          }),
        );
        messageId = res.MessageId;
      } catch (err) {
        throw toQueueError(err, 'SNS Publish');
      }
      options.logger?.debug(
        { notificationId: event.id, status: event.status, snsMessageId: messageId },
        'status event published',
      );
    },
  };
}

function attributesOf(event: StatusEvent): Record<string, MessageAttributeValue> {
  const values = {
    status: event.status,
    channel: event.channel,
    clientId: event.clientId,
    hasCallback: String(event.callbackUrl !== undefined),
  };
  return Object.fromEntries(
    Object.entries(values)
      // SNS refuses an attribute with an empty value.
      .filter(([, value]) => value !== '')
      .map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
  );
}
