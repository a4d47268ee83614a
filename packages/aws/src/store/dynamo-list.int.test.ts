import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  DescribeTableCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@herald/core';
import type { NotificationRecord, NotificationStatus, NotificationStore } from '@herald/core';
import { InMemoryNotificationStore, aPendingRecord, anEmailRequest } from '@herald/core/testing';
import { startEmulatorsProcess } from '@herald/emulators';
import { createEmulatorClients, createTestInfrastructure } from '../testing';
import type { EmulatorsProcess } from '@herald/emulators';
import type { AwsClients } from '../aws-clients';
import { createDynamoNotificationStore } from './dynamo-notification-store';
import { ensureInfrastructure } from '../provisioning/provision';
import { BY_CLIENT_INDEX, BY_CLIENT_STATUS_INDEX, tableDefinition } from './table-schema';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

function aRecord(clientId: string, createdAtSecond: number): NotificationRecord {
  return aPendingRecord({
    clientId,
    createdAt: at(createdAtSecond),
    request: anEmailRequest({ to: ['ada@example.com'], metadata: { k: 'é ✓' } }),
  });
}

/** Claims and completes the notification: its item is written three times, as in service. */
async function finish(store: NotificationStore, id: string, status: 'Delivered' | 'Refused') {
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
async function pages(
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

const newestFirst = (records: NotificationRecord[]) => [...records].reverse().map((r) => r.id);

/** `ids` cut into pages of `size`. */
const chunks = (ids: string[], size: number) =>
  Array.from({ length: Math.ceil(ids.length / size) }, (_, i) =>
    ids.slice(i * size, (i + 1) * size),
  );

interface Table {
  clients: AwsClients;
  tableName: string;
}

/** The attribute names of a client's byClientStatus entries, read straight from the index. */
async function indexEntryAttributes(infra: Table, clientId: string) {
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

async function projectionOf(infra: Table, indexName: string) {
  const res = await infra.clients.dynamodb.send(
    new DescribeTableCommand({ TableName: infra.tableName }),
  );
  const index = res.Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === indexName);
  return index?.Projection?.ProjectionType;
}

/** The table as set up before byClientStatus: byClient lists a client's notifications. */
function oldDefinition(tableName: string, projection: 'KEYS_ONLY' | 'ALL') {
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

describe('DynamoNotificationStore listByClient (dynalite)', () => {
  let emulators: EmulatorsProcess;
  const cleanups: (() => void)[] = [];

  async function freshTable() {
    const infra = await createTestInfrastructure(emulators, { prefix: 'list' });
    cleanups.push(() => infra.destroy());
    const store = createDynamoNotificationStore({
      doc: infra.clients.doc,
      tableName: infra.tableName,
    });
    return { infra, store };
  }

  beforeAll(async () => {
    emulators = await startEmulatorsProcess();
  });

  afterAll(async () => {
    for (const cleanup of cleanups) cleanup();
    await emulators?.stop();
  });

  describe('on a table set up now', () => {
    let infra: Table;
    let store: NotificationStore;
    const mine: NotificationRecord[] = [];
    const theirs: NotificationRecord[] = [];

    beforeAll(async () => {
      ({ infra, store } = await freshTable());
      for (let i = 0; i < 7; i++) mine.push(aRecord('me', i));
      for (let i = 0; i < 3; i++) theirs.push(aRecord('them', i));
      for (const r of [...mine, ...theirs]) await store.create(r, at(100));
      // Deliver every other one of mine, so a status filter has gaps to skip.
      for (const r of mine.filter((_, i) => i % 2 === 0)) await finish(store, r.id, 'Delivered');
    });

    it('projects status alone into byClientStatus, and has no byClient', async () => {
      expect(await projectionOf(infra, BY_CLIENT_STATUS_INDEX)).toBe('INCLUDE');
      expect(await projectionOf(infra, BY_CLIENT_INDEX)).toBeUndefined();
      expect(await indexEntryAttributes(infra, 'me')).toEqual(
        mine.map(() => ['clientId', 'createdKey', 'pk', 'status']),
      );
    });

    it('pages through a client newest first, with a cursor only while more remain', async () => {
      expect(await pages(store, 'me', { limit: 3 })).toEqual(chunks(newestFirst(mine), 3));
      expect(await pages(store, 'them', { limit: 3 })).toEqual([newestFirst(theirs)]);
    });

    it('returns the items as stored, with their current status', async () => {
      const page = await store.listByClient('me', { limit: 10 });

      const stored = await Promise.all(newestFirst(mine).map((id) => store.get(id)));
      expect(page.items).toStrictEqual(stored);
      expect(page.items.map((r) => r.status)).toEqual(
        newestFirst(mine).map((_, i) => (i % 2 === 0 ? 'Delivered' : 'Pending')),
      );
      expect(page.nextCursor).toBeUndefined();
    });

    it('filters by status across pages', async () => {
      const delivered = mine.filter((_, i) => i % 2 === 0);

      expect(await pages(store, 'me', { limit: 2, status: 'Delivered' })).toEqual(
        chunks(newestFirst(delivered), 2),
      );
    });

    it('returns the same pages as the in-memory store', async () => {
      const memory = new InMemoryNotificationStore();
      for (const r of [...mine, ...theirs]) {
        const stored = await store.get(r.id);
        if (stored) memory.records.set(r.id, stored);
      }

      for (const query of [{ limit: 4 }, { limit: 2, status: 'Pending' as const }]) {
        const fromDynamo = await store.listByClient('me', query);
        const fromMemory = await memory.listByClient('me', query);

        expect(fromDynamo.items).toStrictEqual(fromMemory.items);
        expect(fromDynamo.nextCursor !== undefined).toBe(fromMemory.nextCursor !== undefined);
      }
    });

    it('returns an empty page for a client with no notifications', async () => {
      expect(await store.listByClient('nobody', { limit: 5 })).toEqual({ items: [] });
      expect(await store.listByClient('me', { limit: 5, status: 'Refused' })).toEqual({
        items: [],
      });
    });

    it('never lets a cursor reach another client', async () => {
      const first = await store.listByClient('me', { limit: 2 });

      const crossed = await store.listByClient('them', { limit: 10, cursor: first.nextCursor });

      expect(crossed.items.every((r) => r.clientId === 'them')).toBe(true);
    });

    it.each(['not-base64-json!', Buffer.from('{"pk":1}').toString('base64url'), ''])(
      'rejects the malformed cursor %j',
      async (cursor) => {
        await expect(store.listByClient('me', { limit: 2, cursor })).rejects.toMatchObject({
          code: 'VALIDATION_FAILED',
        });
      },
    );

    it('throws an AppError, not an SDK error, for a bad cursor', async () => {
      await expect(store.listByClient('me', { limit: 2, cursor: 'x' })).rejects.toBeInstanceOf(
        AppError,
      );
    });
  });

  describe('status filter', () => {
    it('keeps each status apart when a client has all three, page after page', async () => {
      const { store } = await freshTable();
      const records = Array.from({ length: 9 }, (_, i) => aRecord('mixed', i));
      await Promise.all(records.map((r) => store.create(r, at(100))));
      const statusOf = (i: number): NotificationStatus =>
        (['Pending', 'Delivered', 'Refused'] as const)[i % 3] ?? 'Pending';
      for (const [i, r] of records.entries()) {
        const status = statusOf(i);
        if (status !== 'Pending') await finish(store, r.id, status);
      }

      for (const status of ['Pending', 'Delivered', 'Refused'] as const) {
        const matching = records.filter((_, i) => statusOf(i) === status);
        expect(await pages(store, 'mixed', { limit: 2, status })).toEqual(
          chunks(newestFirst(matching), 2),
        );
      }
    });

    it('looks at several index pages to fill a page when few match, reading only its items', async () => {
      const { infra, store } = await freshTable();
      // 250 entries: more than two filtered index pages of 100. Three are Delivered.
      const records = Array.from({ length: 250 }, (_, i) => aRecord('sparse', i));
      await Promise.all(records.map((r) => store.create(r, at(1000))));
      const rare = [10, 120, 240].map((i) => records[i]!);
      for (const r of rare) await finish(store, r.id, 'Delivered');
      const send = jest.spyOn(infra.clients.doc, 'send');

      const first = await store.listByClient('sparse', { limit: 2, status: 'Delivered' });
      const queries = send.mock.calls.filter(([command]) => command instanceof QueryCommand);
      const itemsRead = send.mock.calls.flatMap(([command]) =>
        command instanceof BatchGetCommand
          ? (command.input.RequestItems?.[infra.tableName]?.Keys ?? [])
          : [],
      );
      const second = await store.listByClient('sparse', {
        limit: 2,
        status: 'Delivered',
        ...(first.nextCursor ? { cursor: first.nextCursor } : {}),
      });
      send.mockRestore();

      const expected = newestFirst(rare);
      expect(queries).toHaveLength(3);
      // The filter ran on the index entries: only the two items returned were read.
      expect(itemsRead).toHaveLength(2);
      expect(first.items.map((r) => r.id)).toEqual(expected.slice(0, 2));
      expect(first.nextCursor).toBeDefined();
      expect(second.items.map((r) => r.id)).toEqual(expected.slice(2));
      expect(second.nextCursor).toBeUndefined();
    });
  });

  describe.each(['KEYS_ONLY', 'ALL'] as const)(
    'on a table set up before byClientStatus (byClient projected %s), upgraded by setup',
    (projection) => {
      let infra: Table;
      let store: NotificationStore;
      const records: NotificationRecord[] = [];

      beforeAll(async () => {
        const clients = createEmulatorClients(emulators);
        cleanups.push(() => {
          clients.dynamodb.destroy();
          clients.sqs.destroy();
          clients.sns.destroy();
        });
        const tableName = `list-old-${randomBytes(4).toString('hex')}`;
        await clients.dynamodb.send(new CreateTableCommand(oldDefinition(tableName, projection)));
        await waitUntilTableExists(
          { client: clients.dynamodb, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
          { TableName: tableName },
        );
        infra = { clients, tableName };
        store = createDynamoNotificationStore({ doc: clients.doc, tableName });
        for (let i = 0; i < 5; i++) records.push(aRecord('old', i));
        for (const r of records) await store.create(r, at(100));
        await finish(store, records[1]!.id, 'Delivered');
        await finish(store, records[3]!.id, 'Delivered');
        // `herald setup` on the existing table, its items written before the index existed.
        await ensureInfrastructure({
          dynamodb: clients.dynamodb,
          sqs: clients.sqs,
          tableName,
          queueName: `${tableName}-queue`,
          dlqName: `${tableName}-dlq`,
        });
      });

      it('adds byClientStatus, ACTIVE, and leaves byClient as it was', async () => {
        const res = await infra.clients.dynamodb.send(
          new DescribeTableCommand({ TableName: infra.tableName }),
        );
        const indexes = res.Table?.GlobalSecondaryIndexes ?? [];

        expect(indexes.find((i) => i.IndexName === BY_CLIENT_STATUS_INDEX)).toMatchObject({
          IndexStatus: 'ACTIVE',
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['status'] },
        });
        expect(await projectionOf(infra, BY_CLIENT_INDEX)).toBe(projection);
      });

      it('lists the items written before the upgrade, by status, through the new index', async () => {
        const delivered = [records[1]!, records[3]!];
        const pending = [records[0]!, records[2]!, records[4]!];

        expect(await indexEntryAttributes(infra, 'old')).toEqual(
          records.map(() => ['clientId', 'createdKey', 'pk', 'status']),
        );
        expect(await pages(store, 'old', { limit: 1, status: 'Delivered' })).toEqual(
          chunks(newestFirst(delivered), 1),
        );
        expect(await pages(store, 'old', { limit: 2, status: 'Pending' })).toEqual(
          chunks(newestFirst(pending), 2),
        );
        expect(await pages(store, 'old', { limit: 2 })).toEqual(chunks(newestFirst(records), 2));
      });

      it('keeps the new index current for writes after the upgrade', async () => {
        await finish(store, records[0]!.id, 'Refused');

        expect(await pages(store, 'old', { limit: 5, status: 'Refused' })).toEqual([
          [records[0]!.id],
        ]);
      });
    },
  );
});
