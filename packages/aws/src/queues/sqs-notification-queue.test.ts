import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createSqsNotificationQueue } from './sqs-notification-queue';

describe('SqsNotificationQueue', () => {
  const sqs = new SQSClient({ region: 'us-east-1' });
  const mock = mockClient(sqs);
  const queue = createSqsNotificationQueue({ sqs, queueUrl: 'http://q/000000000000/herald' });
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `ntf_${i}`);
  const entriesOf = (call: number) =>
    mock.commandCalls(SendMessageBatchCommand)[call]?.args[0].input.Entries ?? [];
  const failure = (e: SendMessageBatchRequestEntry) => ({
    Id: e.Id,
    SenderFault: false,
    Code: 'InternalError',
  });

  beforeEach(() => mock.reset());

  it('sends one {"id"} message per id, at most ten per batch', async () => {
    mock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    await queue.enqueue(ids(25));

    const calls = mock.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 5]);
    expect(entriesOf(0)[0]?.MessageBody).toBe('{"id":"ntf_0"}');
    expect(calls[0]?.args[0].input.QueueUrl).toBe('http://q/000000000000/herald');
  });

  it('hides delayed ids for their delay, rounded up and capped at 900 s, in batches shared with others', async () => {
    mock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    await Promise.all([
      queue.enqueue(['ntf_now']),
      queue.enqueue(['ntf_soon'], { delaySeconds: 2.2 }),
      queue.enqueue(['ntf_later'], { delaySeconds: 5_000 }),
    ]);

    expect(mock.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    expect(entriesOf(0).map((e) => [e.MessageBody, e.DelaySeconds])).toEqual([
      ['{"id":"ntf_now"}', undefined],
      ['{"id":"ntf_soon"}', 3],
      ['{"id":"ntf_later"}', 900],
    ]);
  });

  it('sends nothing for no ids', async () => {
    await queue.enqueue([]);

    expect(mock.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('sends the entries that failed inside a batch once more', async () => {
    mock
      .on(SendMessageBatchCommand)
      .callsFakeOnce((input: { Entries: SendMessageBatchRequestEntry[] }) => ({
        Failed: input.Entries.slice(1, 3).map(failure),
      }))
      .resolves({ Failed: [] });

    await queue.enqueue(ids(4));

    expect(entriesOf(1).map((e) => e.MessageBody)).toEqual(['{"id":"ntf_1"}', '{"id":"ntf_2"}']);
  });

  it('throws UNAVAILABLE when entries fail twice', async () => {
    mock
      .on(SendMessageBatchCommand)
      .callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => ({
        Failed: input.Entries.slice(0, 1).map(failure),
      }));

    await expect(queue.enqueue(ids(3))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(mock.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
  });

  it('throws UNAVAILABLE when SQS cannot be reached', async () => {
    mock
      .on(SendMessageBatchCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

    await expect(queue.enqueue(ids(1))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  describe('the bulk lane', () => {
    const lanes = createSqsNotificationQueue({
      sqs,
      queueUrl: 'http://q/000000000000/herald',
      bulkQueueUrl: 'http://q/000000000000/herald-bulk',
    });

    it('sends bulk ids to the bulk queue and the rest to the work queue, never in one call', async () => {
      mock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

      await Promise.all([
        lanes.enqueue(['ntf_direct']),
        lanes.enqueue(['ntf_child'], { lane: 'bulk', delaySeconds: 2 }),
      ]);

      const calls = mock.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);
      expect(calls.map((i) => [i.QueueUrl, i.Entries?.map((e) => e.MessageBody)]).sort()).toEqual([
        ['http://q/000000000000/herald', ['{"id":"ntf_direct"}']],
        ['http://q/000000000000/herald-bulk', ['{"id":"ntf_child"}']],
      ]);
      expect(calls.find((i) => i.QueueUrl?.endsWith('-bulk'))?.Entries?.[0]?.DelaySeconds).toBe(2);
    });

    it('refuses a bulk enqueue with INTERNAL when no bulk queue is configured', async () => {
      await expect(queue.enqueue(['ntf_child'], { lane: 'bulk' })).rejects.toMatchObject({
        code: 'INTERNAL',
      });
      expect(mock.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    });
  });
});
