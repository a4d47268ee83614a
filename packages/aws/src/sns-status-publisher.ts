import { PublishBatchCommand } from '@aws-sdk/client-sns';
import type { MessageAttributeValue, SNSClient } from '@aws-sdk/client-sns';
import type { Logger, StatusEvent, StatusEventPublisher } from '@herald/core';
import { AppError } from '@herald/core';
import { toQueueError } from './errors';
import { createMicroBatcher } from './micro-batcher';

/** SNS takes at most 10 messages per PublishBatch. */
const MAX_BATCH = 10;
const MAX_IN_FLIGHT = 8;

export interface SnsStatusPublisherOptions {
  sns: SNSClient;
  /** The topic `ensureStatusTopic` returned (default name `herald-status-events`). */
  topicArn: string;
  /** Each published event is logged at debug level, ids only. */
  logger?: Pick<Logger, 'debug'>;
}

/**
 * Publishes each status event to an SNS topic (in PublishBatch calls shared by concurrent
 * publishes): the event as JSON in `Message`, and the string
 * message attributes `eventId`, `status`, `channel`, `clientId` and `hasCallback`
 * (`'true'`/`'false'`), so subscribers can filter (an SNS filter policy such as
 * `{ "hasCallback": ["true"] }`) and de-duplicate without reading the body. Not idempotent: a
 * retried or recovered publish reaches subscribers twice, with the same `eventId`.
 * Throws AppError `UNAVAILABLE` when SNS does not take the event.
 */
export function createSnsStatusPublisher(options: SnsStatusPublisherOptions): StatusEventPublisher {
  // Events of concurrent deliveries share PublishBatch calls (see micro-batcher.ts).
  const batcher = createMicroBatcher<StatusEvent, string | undefined>({
    maxBatch: MAX_BATCH,
    maxInFlight: MAX_IN_FLIGHT,
    run: (events) => publishBatch(options, events),
  });
  return {
    async publish(event) {
      const messageId = await batcher.add(event);
      options.logger?.debug(
        {
          notificationId: event.id,
          eventId: event.eventId,
          status: event.status,
          snsMessageId: messageId,
        },
        'status event published',
      );
    },
  };
}

async function publishBatch(
  options: SnsStatusPublisherOptions,
  events: StatusEvent[],
): Promise<PromiseSettledResult<string | undefined>[]> {
  let res;
  try {
    res = await options.sns.send(
      new PublishBatchCommand({
        TopicArn: options.topicArn,
        PublishBatchRequestEntries: events.map((event, index) => ({
          Id: String(index),
          Message: JSON.stringify(event),
          MessageAttributes: attributesOf(event),
        })),
      }),
    );
  } catch (err) {
    throw toQueueError(err, 'SNS PublishBatch');
  }
  const published = new Map((res.Successful ?? []).map((s) => [s.Id, s.MessageId]));
  return events.map((_event, index) =>
    published.has(String(index))
      ? { status: 'fulfilled', value: published.get(String(index)) }
      : { status: 'rejected', reason: new AppError('UNAVAILABLE', 'SNS did not take the event') },
  );
}

function attributesOf(event: StatusEvent): Record<string, MessageAttributeValue> {
  const values = {
    eventId: event.eventId,
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
