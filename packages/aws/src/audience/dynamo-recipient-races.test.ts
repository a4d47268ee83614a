import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { deviceIdOf, type DeviceTarget } from '@herald/core';
import { mockClient } from 'aws-sdk-client-mock';
import { addDevice } from './dynamo-recipient-devices';
import { purgePartition } from './dynamo-recipient-purge';
import { deviceEntry } from './recipient-item';

const T1 = '2026-01-01T00:00:00.000Z';
const target: DeviceTarget = { fcm: { token: 'fcm-token-0123456789abcdef' } };
const deviceId = deviceIdOf(target);
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

function setup() {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  return { mock: mockClient(doc), ctx: { doc, tableName: 't' } };
}

describe('addDevice races', () => {
  const add = { clientId: 'c', recipientId: 'r', deviceId, target, now: T1 };

  it('tries again when the device it saw was removed before the refresh', async () => {
    const { mock, ctx } = setup();
    mock
      .on(UpdateCommand)
      .rejectsOnce(conditionFailed()) // the create: the device was there
      .rejectsOnce(conditionFailed()) // the refresh: it is gone again
      .resolves({}); // the second create
    mock
      .on(GetCommand)
      .resolves({ Item: { pk: 'p', devices: { [deviceId]: deviceEntry(target, T1, T1) } } });

    const result = await addDevice(ctx, add);

    expect(result.created).toBe(true);
    expect(mock.commandCalls(UpdateCommand)).toHaveLength(3);
  });

  it('gives up with CONFLICT after five lost races in a row', async () => {
    const { mock, ctx } = setup();
    mock.on(UpdateCommand).rejects(conditionFailed());
    mock.on(GetCommand).resolves({ Item: { pk: 'p', devices: {} } });

    await expect(addDevice(ctx, add)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(mock.commandCalls(GetCommand)).toHaveLength(5);
  });
});

describe('purgePartition', () => {
  const owner = { clientId: 'c', recipientId: 'r' };
  it('pages through the partition, keeps the profile, deletes each subscription topic side first and retries unprocessed deletes', async () => {
    const { mock, ctx } = setup();
    const key = (sk: string) => ({ pk: 'p', sk });
    mock
      .on(QueryCommand)
      .resolvesOnce({ Items: [key('PROFILE'), key('SUB#1')], LastEvaluatedKey: key('SUB#1') })
      .resolvesOnce({ Items: [key('SUB#2')] });
    mock
      .on(BatchWriteCommand)
      .resolvesOnce({})
      .resolvesOnce({ UnprocessedItems: { t: [{ DeleteRequest: { Key: key('SUB#1') } }] } })
      .resolves({});

    const deleted = await purgePartition(ctx, 'p', owner);

    const batches = mock.commandCalls(BatchWriteCommand).map((c) =>
      c.args[0].input.RequestItems?.t?.map((r) => {
        const k = r.DeleteRequest?.Key;
        return `${String(k?.pk)} ${String(k?.sk)}`;
      }),
    );
    expect(deleted).toBe(2);
    expect(batches).toEqual([
      ['C#c#T#1 S#r'],
      ['p SUB#1'],
      ['p SUB#1'],
      ['C#c#T#2 S#r'],
      ['p SUB#2'],
    ]);
    expect(mock.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual(
      key('SUB#1'),
    );
  });

  it('fails UNAVAILABLE when deletes stay unprocessed, so the erase can be retried', async () => {
    const { mock, ctx } = setup();
    mock.on(QueryCommand).resolves({ Items: [{ pk: 'p', sk: 'SUB#1' }] });
    mock.on(BatchWriteCommand).resolves({
      UnprocessedItems: { t: [{ DeleteRequest: { Key: { pk: 'p', sk: 'SUB#1' } } }] },
    });

    await expect(purgePartition(ctx, 'p', owner)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
