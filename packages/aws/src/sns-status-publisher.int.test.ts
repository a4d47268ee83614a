import { randomBytes } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { AppError } from '@herald/core';
import type { StatusEvent } from '@herald/core';
import { startEmulatorsProcess } from '@herald/emulators';
import type { EmulatorsProcess } from '@herald/emulators';
import { createAwsClients } from './aws-clients';
import type { AwsClients } from './aws-clients';
import { subscribeQueue } from './provisioning/queue-subscription';
import { ensureStatusTopic } from './provisioning/status-topic';
import { createSnsStatusPublisher } from './sns-status-publisher';

function anEvent(overrides: Partial<StatusEvent> = {}): StatusEvent {
  const id = `ntf_${randomBytes(13).toString('hex')}`;
  return {
    eventId: `${id}:Delivered`,
    id,
    clientId: 'client-a',
    channel: 'email',
    status: 'Delivered',
    at: '2026-01-02T03:04:05.000Z',
    provider: 'smtp',
    providerMessageId: '<ntf@herald.test>',
    ...overrides,
  };
}

describe('SNS status publisher (fauxqs SNS → SQS)', () => {
  let emulators: EmulatorsProcess;
  let clients: AwsClients;
  let topicArn: string;

  beforeAll(async () => {
    emulators = await startEmulatorsProcess();
    // fauxqs serves SNS on the same port as SQS.
    clients = createAwsClients({
      region: 'us-east-1',
      sqsEndpoint: emulators.sqsEndpoint,
      snsEndpoint: emulators.sqsEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    topicArn = await ensureStatusTopic({ sns: clients.sns, topicName: `status-${suffix()}` });
  });

  afterAll(async () => {
    clients?.sns.destroy();
    clients?.sqs.destroy();
    clients?.dynamodb.destroy();
    await emulators?.stop();
  });

  function suffix(): string {
    return randomBytes(4).toString('hex');
  }

  async function aQueue(): Promise<string> {
    const res = await clients.sqs.send(new CreateQueueCommand({ QueueName: `events-${suffix()}` }));
    return res.QueueUrl!;
  }

  async function receiveAll(queueUrl: string): Promise<Message[]> {
    const res = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    return res.Messages ?? [];
  }

  it('publishes the event as JSON with filterable attributes', async () => {
    const queueUrl = await aQueue();
    await subscribeQueue({ ...clients, topicArn, queueUrl, rawMessageDelivery: true });
    const publisher = createSnsStatusPublisher({ sns: clients.sns, topicArn });
    const event = anEvent({ callbackUrl: 'https://client.example/hook' });

    await publisher.publish(event);
    const [message, ...rest] = await receiveAll(queueUrl);

    expect(rest).toEqual([]);
    expect(JSON.parse(message!.Body!)).toEqual(event);
    expect(message!.MessageAttributes).toEqual({
      eventId: { DataType: 'String', StringValue: event.eventId },
      status: { DataType: 'String', StringValue: 'Delivered' },
      channel: { DataType: 'String', StringValue: 'email' },
      clientId: { DataType: 'String', StringValue: 'client-a' },
      hasCallback: { DataType: 'String', StringValue: 'true' },
    });
  });

  it('lets a subscriber take only the events it filters for', async () => {
    const queueUrl = await aQueue();
    await subscribeQueue({
      ...clients,
      topicArn,
      queueUrl,
      rawMessageDelivery: true,
      filterPolicy: { hasCallback: ['true'] },
    });
    const publisher = createSnsStatusPublisher({ sns: clients.sns, topicArn });
    const withCallback = anEvent({ callbackUrl: 'https://client.example/hook' });

    await publisher.publish(anEvent());
    await publisher.publish(withCallback);
    const received = await receiveAll(queueUrl);

    expect(received.map((m) => (JSON.parse(m.Body!) as StatusEvent).id)).toEqual([withCallback.id]);
  });

  it('wraps the event in the SNS envelope without raw delivery', async () => {
    const queueUrl = await aQueue();
    await subscribeQueue({ ...clients, topicArn, queueUrl });
    const event = anEvent({
      status: 'Refused',
      reason: { code: 'provider_rejected', message: 'y' },
    });

    await createSnsStatusPublisher({ sns: clients.sns, topicArn }).publish(event);
    const [message] = await receiveAll(queueUrl);

    const envelope = JSON.parse(message!.Body!) as { Type: string; Message: string };
    expect(envelope.Type).toBe('Notification');
    expect(JSON.parse(envelope.Message)).toEqual(event);
  });

  it('provisions idempotently, applying changed subscription attributes', async () => {
    const queueUrl = await aQueue();
    const first = await subscribeQueue({ ...clients, topicArn, queueUrl });

    const again = await ensureStatusTopic({ sns: clients.sns, topicName: topicArn.split(':')[5] });
    const same = await subscribeQueue({ ...clients, topicArn, queueUrl });
    const changed = await subscribeQueue({
      ...clients,
      topicArn,
      queueUrl,
      rawMessageDelivery: true,
    });
    await createSnsStatusPublisher({ sns: clients.sns, topicArn }).publish(anEvent());
    const received = await receiveAll(queueUrl);
    const { Attributes } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['Policy'] }),
    );

    expect(again).toBe(topicArn);
    expect(JSON.parse(Attributes!.Policy!)).toMatchObject({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
        },
      ],
    });
    expect([same, changed]).toEqual([first, first]);
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.Body!)).toMatchObject({ status: 'Delivered' });
  });

  it('throws UNAVAILABLE when the topic does not exist', async () => {
    const missing = `${topicArn}-missing`;
    const publisher = createSnsStatusPublisher({ sns: clients.sns, topicArn: missing });

    const err: unknown = await publisher.publish(anEvent()).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE' });
  });
});
