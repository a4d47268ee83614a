import {
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ensureIndexes } from './table-indexes';
import { BY_CLIENT_INDEX, BY_CLIENT_STATUS_INDEX, tableDefinition } from '../store/table-schema';

const TABLE = 'herald';
const definition = tableDefinition(TABLE);

/** The table as it was set up before byClientStatus: byClient in its place. */
function oldTable(): TableDescription {
  return {
    TableName: TABLE,
    TableStatus: 'ACTIVE',
    GlobalSecondaryIndexes: (definition.GlobalSecondaryIndexes ?? []).map((index) =>
      index.IndexName === BY_CLIENT_STATUS_INDEX
        ? { ...index, IndexName: BY_CLIENT_INDEX, Projection: { ProjectionType: 'KEYS_ONLY' } }
        : { ...index, IndexStatus: 'ACTIVE' },
    ),
  };
}

function upgraded(): TableDescription {
  const table = oldTable();
  const added = definition.GlobalSecondaryIndexes?.find(
    (i) => i.IndexName === BY_CLIENT_STATUS_INDEX,
  );
  return {
    ...table,
    GlobalSecondaryIndexes: [
      ...(table.GlobalSecondaryIndexes ?? []),
      { ...added, IndexStatus: 'ACTIVE' },
    ],
  };
}

describe('ensureIndexes', () => {
  const dynamodb = new DynamoDBClient({ region: 'us-east-1' });
  const mock = mockClient(dynamodb);

  beforeEach(() => mock.reset());

  it('creates a missing index with its key attributes only and no throughput, then waits for it', async () => {
    mock.on(UpdateTableCommand).resolves({});
    const waitActive = jest.fn(() => Promise.resolve(upgraded()));

    const table = await ensureIndexes({ dynamodb, table: oldTable(), definition, waitActive });

    const updates = mock.commandCalls(UpdateTableCommand).map((c) => c.args[0].input);
    expect(updates).toEqual([
      {
        TableName: TABLE,
        AttributeDefinitions: [
          { AttributeName: 'clientId', AttributeType: 'S' },
          { AttributeName: 'createdKey', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: BY_CLIENT_STATUS_INDEX,
              KeySchema: [
                { AttributeName: 'clientId', KeyType: 'HASH' },
                { AttributeName: 'createdKey', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['status'] },
            },
          },
        ],
      },
    ]);
    expect(waitActive).toHaveBeenCalledTimes(1);
    expect(table).toEqual(upgraded());
  });

  it('changes nothing on a table that has every index', async () => {
    const waitActive = jest.fn(() => Promise.resolve(upgraded()));

    await ensureIndexes({ dynamodb, table: upgraded(), definition, waitActive });

    expect(mock.commandCalls(UpdateTableCommand)).toHaveLength(0);
    expect(waitActive).not.toHaveBeenCalled();
  });

  it('waits for an index another setup is creating when its own UpdateTable is refused', async () => {
    const inUse = Object.assign(new Error('Attempting to create an index which already exists'), {
      name: 'ValidationException',
    });
    mock.on(UpdateTableCommand).rejects(inUse);
    mock.on(DescribeTableCommand).resolves({ Table: upgraded() });
    const waitActive = jest.fn(() => Promise.resolve(upgraded()));

    await expect(
      ensureIndexes({ dynamodb, table: oldTable(), definition, waitActive }),
    ).resolves.toEqual(upgraded());
    expect(waitActive).toHaveBeenCalledTimes(1);
  });

  it('fails with the SDK error mapped when the index cannot be created', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    mock.on(UpdateTableCommand).rejects(denied);
    mock.on(DescribeTableCommand).resolves({ Table: oldTable() });

    await expect(
      ensureIndexes({ dynamodb, table: oldTable(), definition, waitActive: jest.fn() }),
    ).rejects.toMatchObject({ code: 'INTERNAL', message: 'DynamoDB UpdateTable failed' });
  });
});
