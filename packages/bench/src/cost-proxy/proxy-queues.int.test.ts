/** The cost proxy counts SQS and SNS calls, and answers 502 when its upstream is down. */
import http from 'node:http';
import { startCostProxy } from './proxy';
import { listen, useCostProxy } from '../testing-cost-proxy';

const rig = useCostProxy();
const { sqsJson, snsQuery } = rig;

describe('SQS and SNS', () => {
  test('counts calls, batch entries and received messages', async () => {
    await sqsJson('SendMessageBatch', { Entries: [{ Id: '1' }, { Id: '2' }, { Id: '3' }] });
    await sqsJson('ReceiveMessage', { WaitTimeSeconds: 1 });
    await sqsJson('DeleteMessageBatch', { Entries: [{ Id: '1' }, { Id: '2' }] });
    await snsQuery({ Action: 'Publish', Version: '2010-03-31', Message: 'hi' });
    await snsQuery({
      Action: 'PublishBatch',
      Version: '2010-03-31',
      'PublishBatchRequestEntries.member.1.Id': 'a',
      'PublishBatchRequestEntries.member.1.Message': 'x',
      'PublishBatchRequestEntries.member.2.Id': 'b',
      'PublishBatchRequestEntries.member.2.Message': 'y',
    });
    const { calls, sqs: queue, sns } = rig.proxy.snapshot();
    expect(calls).toEqual({
      'SQS.SendMessageBatch': 1,
      'SQS.ReceiveMessage': 1,
      'SQS.DeleteMessageBatch': 1,
      'SNS.Publish': 1,
      'SNS.PublishBatch': 1,
    });
    expect(queue).toEqual({
      entriesSent: 3,
      messagesReceived: 2,
      entriesDeleted: 2,
      requests: 3,
    });
    expect(sns).toEqual({ publishes: 3, publishBatchEntries: 2 });
  });

  test('an unreachable upstream answers 502', async () => {
    const closed = http.createServer();
    const endpoint = await listen(closed);
    await new Promise<void>((r) => closed.close(() => r()));
    const broken = await startCostProxy({ dynamodbEndpoint: endpoint, sqsEndpoint: endpoint });
    try {
      const res = await fetch(broken.sqsUrl, { method: 'POST', body: '{}' });
      expect(res.status).toBe(502);
      await res.text();
    } finally {
      await broken.close();
    }
  });
});
