/**
 * Test support for the listByClient suites (`store/dynamo-list-*.int.test.ts`): records of a
 * client, paging to the end, and reads of the table's indexes as DynamoDB holds them.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationRecord, NotificationStatus, NotificationStore } from '@herald/core';
import { aPendingRecord, anEmailRequest } from '@herald/core/testing';
import type { AwsClients } from './aws-clients';
import { BY_CLIENT_INDEX, BY_CLIENT_STATUS_INDEX, tableDefinition } from './store/table-schema';
import { at } from './testing-dynalite';

/** A Pending email record of `clientId` created `createdAtSecond` after T0. */
export function aRecord(clientId: string, createdAtSecond: number): NotificationRecord {
  return aPendingRecord({
    clientId,
    createdAt: at(createdAtSecond),
    request: anEmailRequest({ to: ['ada@example.com'], metadata: { k: 'é ✓' } }),
  });
}

/** Claims and completes the notification: its item is written three times, as in service. */
export async function finish(
  store: NotificationStore,
  id: string,
  status: 'Delivered' | 'Refused',
) {
  await store.claim(id, {
    owner: 'w',
    now: at(1000),
    leaseUntil: at(1060),
    event: { at: at(1000), type: 'attempt_started' },
  });
  await store.complete(id, {
    owner: 'w',
    now: at(1001),
    outcome:
      status === 'Delivered'
        ? { status, provider: 'smtp', providerMessageId: '<w@x>' }
        : { status, reason: { code: 'provider_rejected', message: 'no' } },
    event: { at: at(1001), type: status === 'Delivered' ? 'provider_accepted' : 'refused' },
  });
}

/** The ids of every page, following `nextCursor` to the end. */
export async function pages(
  store: NotificationStore,
  clientId: string,
  query: { limit: number; status?: NotificationStatus },
): Promise<string[][]> {
  const ids: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listByClient(clientId, { ...query, ...(cursor ? { cursor } : {}) });
    ids.push(page.items.map((r) => r.id));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return ids;
}

/** The records' ids, newest first (`records` in creation order). */
export const newestFirst = (records: NotificationRecord[]) =>
  [...records].reverse().map((r) => r.id);

/** `ids` cut into pages of `size`. */
export const chunks = (ids: string[], size: number) =>
  Array.from({ length: Math.ceil(ids.length / size) }, (_, i) =>
    ids.slice(i * size, (i + 1) * size),
  );

/** A table and the clients that reach it. */
export interface Table {
  clients: AwsClients;
  tableName: string;
}

/** The attribute names of a client's byClientStatus entries, read straight from the index. */
export async function indexEntryAttributes(infra: Table, clientId: string) {
  const res = await infra.clients.doc.send(
    new QueryCommand({
      TableName: infra.tableName,
      IndexName: BY_CLIENT_STATUS_INDEX,
      KeyConditionExpression: 'clientId = :c',
      ExpressionAttributeValues: { ':c': clientId },
    }),
  );
  return (res.Items ?? []).map((item) => Object.keys(item).sort());
}

/** The projection type of the table's index `indexName`. */
export async function projectionOf(infra: Table, indexName: string) {
  const res = await infra.clients.dynamodb.send(
    new DescribeTableCommand({ TableName: infra.tableName }),
  );
  const index = res.Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === indexName);
  return index?.Projection?.ProjectionType;
}

/** The table as set up before byClientStatus: byClient lists a client's notifications. */
export function oldDefinition(tableName: string, projection: 'KEYS_ONLY' | 'ALL') {
  const now = tableDefinition(tableName);
  return {
    ...now,
    GlobalSecondaryIndexes: (now.GlobalSecondaryIndexes ?? []).map((index) =>
      index.IndexName === BY_CLIENT_STATUS_INDEX
        ? { ...index, IndexName: BY_CLIENT_INDEX, Projection: { ProjectionType: projection } }
        : index,
    ),
  };
}
