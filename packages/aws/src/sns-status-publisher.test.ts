import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { AppError } from '@herald/core';
import type { StatusEvent } from '@herald/core';
import { mockClient } from 'aws-sdk-client-mock';
import { createSnsStatusPublisher } from './sns-status-publisher';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:herald-status-events';

function anEvent(overrides: Partial<StatusEvent> = {}): StatusEvent {
  return {
    eventId: 'ntf_0123456789abcdefghijklmnop:Refused',
    id: 'ntf_0123456789abcdefghijklmnop',
    clientId: 'client-a',
    channel: 'sms',
    status: 'Refused',
    at: '2026-01-02T03:04:05.000Z',
    reason: { code: 'recipient_rejected', message: 'no' },
    ...overrides,
  };
}

describe('createSnsStatusPublisher', () => {
  const sns = new SNSClient({ region: 'us-east-1' });
  const mock = mockClient(sns);

  beforeEach(() => mock.reset());

  it('publishes the event JSON to the topic with string attributes to filter on', async () => {
    mock.on(PublishBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm-1' }] });
    const event = anEvent();

    await createSnsStatusPublisher({ sns, topicArn: TOPIC }).publish(event);

    const input = mock.commandCalls(PublishBatchCommand)[0]?.args[0].input;
    expect(input?.TopicArn).toBe(TOPIC);
    const entry = input?.PublishBatchRequestEntries?.[0];
    expect(JSON.parse(entry?.Message ?? '')).toEqual(event);
    expect(entry?.MessageAttributes).toEqual({
      eventId: { DataType: 'String', StringValue: 'ntf_0123456789abcdefghijklmnop:Refused' },
      status: { DataType: 'String', StringValue: 'Refused' },
      channel: { DataType: 'String', StringValue: 'sms' },
      clientId: { DataType: 'String', StringValue: 'client-a' },
      hasCallback: { DataType: 'String', StringValue: 'false' },
    });
  });

  it('leaves out an attribute whose value is empty, which SNS would refuse', async () => {
    mock.on(PublishBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm-1' }] });

    await createSnsStatusPublisher({ sns, topicArn: TOPIC }).publish(anEvent({ clientId: '' }));

    const attributes =
      mock.commandCalls(PublishBatchCommand)[0]?.args[0].input.PublishBatchRequestEntries?.[0]
        ?.MessageAttributes;
    expect(Object.keys(attributes ?? {}).sort()).toEqual([
      'channel',
      'eventId',
      'hasCallback',
      'status',
    ]);
  });

  it('logs the ids of what it published at debug level', async () => {
    mock.on(PublishBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm-1' }] });
    const debug = jest.fn();

    await createSnsStatusPublisher({ sns, topicArn: TOPIC, logger: { debug } }).publish(anEvent());

    expect(debug).toHaveBeenCalledWith(
      {
        notificationId: 'ntf_0123456789abcdefghijklmnop',
        eventId: 'ntf_0123456789abcdefghijklmnop:Refused',
        status: 'Refused',
        snsMessageId: 'm-1',
      },
      'status event published',
    );
  });

  it('shares one PublishBatch among concurrent publishes and fails only a refused entry', async () => {
    mock.on(PublishBatchCommand).resolves({
      Successful: [{ Id: '0', MessageId: 'm-0' }],
      Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }],
    });
    const publisher = createSnsStatusPublisher({ sns, topicArn: TOPIC });

    const [first, second] = await Promise.allSettled([
      publisher.publish(anEvent({ id: 'ntf_a' })),
      publisher.publish(anEvent({ id: 'ntf_b' })),
    ]);

    expect(mock.commandCalls(PublishBatchCommand)).toHaveLength(1);
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'UNAVAILABLE' } });
  });

  it.each([
    ['throttling', Object.assign(new Error('slow down'), { name: 'ThrottledException' })],
    ['a refusal', Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' })],
  ])('throws UNAVAILABLE on %s', async (_, failure) => {
    mock.on(PublishBatchCommand).rejects(failure);

    const err: unknown = await createSnsStatusPublisher({ sns, topicArn: TOPIC })
      .publish(anEvent())
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', cause: failure });
  });
});
