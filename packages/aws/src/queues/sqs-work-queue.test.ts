import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createSqsWorkQueue } from './sqs-work-queue';

describe('SqsWorkQueue', () => {
  const sqs = new SQSClient({ region: 'us-east-1' });
  const mock = mockClient(sqs);
  const work = createSqsWorkQueue({ sqs, queueUrl: 'http://q/000000000000/herald' });

  beforeEach(() => mock.reset());

  it('asks for the receive count and parses each body', async () => {
    mock.on(ReceiveMessageCommand).resolves({
      Messages: [
        {
          ReceiptHandle: 'r1',
          Body: '{"id":"ntf_1"}',
          Attributes: { ApproximateReceiveCount: '3' },
        },
        { ReceiptHandle: 'r2', Body: 'not json' },
        { ReceiptHandle: 'r3', Body: '{"id":42}' },
        { Body: '{"id":"ntf_lost"}' },
      ],
    });

    const messages = await work.receive(25, 30);

    expect(messages).toEqual([
      { notificationId: 'ntf_1', receiptHandle: 'r1', receiveCount: 3, body: '{"id":"ntf_1"}' },
      { notificationId: '', receiptHandle: 'r2', receiveCount: 1, body: 'not json' },
      { notificationId: '', receiptHandle: 'r3', receiveCount: 1, body: '{"id":42}' },
    ]);
    expect(mock.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toMatchObject({
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 20,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    });
  });

  it('returns nothing when the poll was aborted', async () => {
    const controller = new AbortController();
    mock.on(ReceiveMessageCommand).callsFake(() => {
      controller.abort();
      throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    });

    expect(await work.receive(10, 20, controller.signal)).toEqual([]);
  });

  it('throws UNAVAILABLE when the receive fails', async () => {
    mock.on(ReceiveMessageCommand).rejects(new Error('QueueDoesNotExist'));

    await expect(work.receive(10, 20)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('acks in batches of ten and retries the entries that failed', async () => {
    mock
      .on(DeleteMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '4', SenderFault: false, Code: 'InternalError' }] })
      .resolves({ Failed: [] });
    const handles = Array.from({ length: 12 }, (_, i) => `r${i}`);

    await work.ack(handles);

    const calls = mock.commandCalls(DeleteMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.map((e) => e.ReceiptHandle))).toEqual([
      handles.slice(0, 10),
      handles.slice(10),
      ['r4'],
    ]);
  });

  it('throws UNAVAILABLE when an ack keeps failing', async () => {
    mock
      .on(DeleteMessageBatchCommand)
      .resolves({ Failed: [{ Id: '0', SenderFault: true, Code: 'ReceiptHandleIsInvalid' }] });

    await expect(work.ack(['r0'])).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('changes the visibility within the limits SQS accepts', async () => {
    mock.on(ChangeMessageVisibilityCommand).resolves({});

    await work.setVisibility('r1', 99_999);

    expect(mock.commandCalls(ChangeMessageVisibilityCommand)[0]?.args[0].input).toEqual({
      QueueUrl: 'http://q/000000000000/herald',
      ReceiptHandle: 'r1',
      VisibilityTimeout: 43_200,
    });
  });

  it('sends a fresh delayed message, the delay clamped to 15 minutes', async () => {
    mock.on(SendMessageCommand).resolves({});

    await work.sendDelayed('{"id":"ntf_1"}', 4);
    await work.sendDelayed('{"id":"ntf_2"}', 3_600);

    expect(mock.commandCalls(SendMessageCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: 'http://q/000000000000/herald', MessageBody: '{"id":"ntf_1"}', DelaySeconds: 4 },
      {
        QueueUrl: 'http://q/000000000000/herald',
        MessageBody: '{"id":"ntf_2"}',
        DelaySeconds: 900,
      },
    ]);
  });

  it('throws UNAVAILABLE when the send fails', async () => {
    mock.on(SendMessageCommand).rejects(new Error('QueueDoesNotExist'));

    await expect(work.sendDelayed('{"id":"ntf_1"}', 4)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });
});
