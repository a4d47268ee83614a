import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { NotificationRecord } from '@herald/core';
import { aPendingRecord } from '@herald/core/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { createBatchedReader } from './dynamo-batch-get';
import { listByClient } from './dynamo-list';
import { encodeCursor } from './list-cursor';
import { toItem } from './notification-item';
import { createdKey, notificationPk } from './table-schema';

const TABLE = 'herald';

function aRecord(n: number, status: NotificationRecord['status'] = 'Pending'): NotificationRecord {
  return aPendingRecord({
    id: `ntf_${String(n).padStart(3, '0')}`,
    clientId: 'me',
    status,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  });
}

/** The byClientStatus entry of a record as the index returns it for `pk, createdKey`. */
const entry = (r: NotificationRecord) => ({
  pk: notificationPk(r.id),
  createdKey: createdKey(r.createdAt, r.id),
});
const item = (r: NotificationRecord) => toItem(r, { shard: '0', at: r.createdAt });

describe('listByClient', () => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const mock = mockClient(doc);
  const ctx = { doc, tableName: TABLE };
  const list = (query: Parameters<typeof listByClient>[3]) =>
    listByClient(ctx, createBatchedReader(ctx), 'me', query);

  beforeEach(() => mock.reset());

  it('queries byClientStatus for keys, then reads the items of the page consistently, in index order', async () => {
    const [a, b, c] = [aRecord(3), aRecord(2), aRecord(1)] as const;
    mock.on(QueryCommand).resolves({ Items: [a, b, c].map(entry), LastEvaluatedKey: entry(c) });
    // BatchGetItem answers in any order.
    mock.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [c, a, b].map(item) } });

    const page = await list({ limit: 2 });

    expect(page).toEqual({ items: [a, b], nextCursor: encodeCursor(entry(b)) });
    const query = mock.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query).toMatchObject({
      IndexName: 'byClientStatus',
      ProjectionExpression: '#pk, #createdKey',
      ExpressionAttributeNames: { '#pk': 'pk', '#createdKey': 'createdKey' },
      ScanIndexForward: false,
      Limit: 3,
    });
    expect(query?.FilterExpression).toBeUndefined();
    const batch = mock.commandCalls(BatchGetCommand);
    expect(batch).toHaveLength(1);
    expect(batch[0]?.args[0].input.RequestItems?.[TABLE]).toEqual({
      // c only tells that more exist: its item is not read.
      Keys: [a, b].map((r) => ({ pk: notificationPk(r.id) })),
      ConsistentRead: true,
    });
  });

  it('skips an item the index lists but the table no longer has', async () => {
    const [a, gone, c] = [aRecord(3), aRecord(2), aRecord(1)] as const;
    mock.on(QueryCommand).resolves({ Items: [a, gone, c].map(entry) });
    mock.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [a, c].map(item) } });

    expect(await list({ limit: 5 })).toEqual({ items: [a, c] });
  });

  it('filters by status on the index entries, and drops an item whose status moved on', async () => {
    // The entries DynamoDB kept for Delivered; the second one's item has since become Refused.
    const [a, b] = [aRecord(4, 'Delivered'), aRecord(2, 'Refused')] as const;
    mock.on(QueryCommand).resolves({ Items: [a, b].map(entry) });
    mock.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [a, b].map(item) } });

    const page = await list({ limit: 5, status: 'Delivered' });

    expect(page).toEqual({ items: [a] });
    const query = mock.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query).toMatchObject({
      IndexName: 'byClientStatus',
      FilterExpression: '#status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':clientId': 'me', ':status': 'Delivered' },
      Limit: 100,
    });
  });

  it('reads only the items of the page it returns when filtering by status', async () => {
    const records = Array.from({ length: 40 }, (_, i) =>
      aRecord(40 - i, i % 4 === 0 ? 'Delivered' : 'Pending'),
    );
    const delivered = records.filter((r) => r.status === 'Delivered');
    mock.on(QueryCommand).callsFake((input: { FilterExpression?: string }) => ({
      // The index entries carry the status, so DynamoDB filters them before they are returned.
      Items: (input.FilterExpression === undefined ? records : delivered).map((r) => ({
        ...entry(r),
        status: r.status,
      })),
    }));
    mock
      .on(BatchGetCommand)
      .callsFake((input: { RequestItems: Record<string, { Keys: { pk: string }[] }> }) => ({
        Responses: {
          [TABLE]: (input.RequestItems[TABLE]?.Keys ?? []).flatMap(({ pk }) =>
            records.filter((r) => notificationPk(r.id) === pk).map(item),
          ),
        },
      }));

    const page = await list({ limit: 3, status: 'Delivered' });

    const keysRead = mock
      .commandCalls(BatchGetCommand)
      .flatMap((call) => call.args[0].input.RequestItems?.[TABLE]?.Keys ?? []);
    expect(page.items).toEqual(delivered.slice(0, 3));
    expect(page.nextCursor).toBe(encodeCursor(entry(delivered[2]!)));
    expect(keysRead).toHaveLength(3);
    expect(mock.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('asks again for keys BatchGetItem leaves unprocessed', async () => {
    const [a, b] = [aRecord(2), aRecord(1)] as const;
    mock.on(QueryCommand).resolves({ Items: [a, b].map(entry) });
    mock
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [item(a)] },
        UnprocessedKeys: { [TABLE]: { Keys: [{ pk: notificationPk(b.id) }] } },
      })
      .resolves({ Responses: { [TABLE]: [item(b)] } });

    expect(await list({ limit: 5 })).toEqual({ items: [a, b] });
    expect(mock.commandCalls(BatchGetCommand)).toHaveLength(2);
  });

  it('stops a filtered read after ten index pages, with a cursor where the index read stopped', async () => {
    const stop = entry(aRecord(0));
    // Every entry looked at is of another status: DynamoDB returns none, and where it stopped.
    mock.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: stop });

    const page = await list({ limit: 5, status: 'Refused' });

    expect(page).toEqual({ items: [], nextCursor: encodeCursor(stop) });
    expect(mock.commandCalls(QueryCommand)).toHaveLength(10);
    expect(mock.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('fails the page with an AppError when the index lists a key that is not a notification', async () => {
    mock.on(QueryCommand).resolves({ Items: [{ pk: 'REVOKED#x', createdKey: 'k' }] });

    await expect(list({ limit: 5 })).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
