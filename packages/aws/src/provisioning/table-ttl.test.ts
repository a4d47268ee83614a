import {
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ensureTimeToLive } from './table-ttl';

describe('ensureTimeToLive', () => {
  const mock = mockClient(DynamoDBClient);
  const dynamodb = new DynamoDBClient({ region: 'eu-west-1' });
  afterEach(() => mock.reset());

  it('turns TTL on for the attribute of a table that has none', async () => {
    mock.on(DescribeTimeToLiveCommand).resolves({
      TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' },
    });
    mock.on(UpdateTimeToLiveCommand).resolves({});
    await ensureTimeToLive(dynamodb, 'herald', 'ttl');
    expect(mock.commandCalls(UpdateTimeToLiveCommand)[0]?.args[0].input).toEqual({
      TableName: 'herald',
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
  });

  it('leaves a table whose TTL is on or being turned on', async () => {
    for (const status of ['ENABLED', 'ENABLING'] as const) {
      mock.on(DescribeTimeToLiveCommand).resolves({
        TimeToLiveDescription: { TimeToLiveStatus: status },
      });
      await ensureTimeToLive(dynamodb, 'herald', 'ttl');
    }
    expect(mock.commandCalls(UpdateTimeToLiveCommand)).toHaveLength(0);
  });

  it('accepts an emulator without TTL, and reports other failures', async () => {
    const unknown = Object.assign(new Error('unknown'), { name: 'UnknownOperationException' });
    mock.on(DescribeTimeToLiveCommand).rejects(unknown);
    await expect(ensureTimeToLive(dynamodb, 'herald', 'ttl')).resolves.toBeUndefined();
    mock.on(DescribeTimeToLiveCommand).rejects(Object.assign(new Error('x'), { name: 'Boom' }));
    await expect(ensureTimeToLive(dynamodb, 'herald', 'ttl')).rejects.toBeInstanceOf(Error);
  });
});
