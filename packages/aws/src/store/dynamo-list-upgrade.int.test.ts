/** listByClient on dynalite: a table set up before byClientStatus, upgraded by `herald setup`. */
import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  DescribeTableCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { NotificationRecord, NotificationStore } from '@herald/core';
import { createEmulatorClients } from '../testing';
import { at, useDynalite } from '../testing-dynalite';
import {
  aRecord,
  chunks,
  finish,
  indexEntryAttributes,
  newestFirst,
  oldDefinition,
  pages,
  projectionOf,
  type Table,
} from '../testing-list';
import { createDynamoNotificationStore } from './dynamo-notification-store';
import { ensureInfrastructure } from '../provisioning/provision';
import { BY_CLIENT_INDEX, BY_CLIENT_STATUS_INDEX } from './table-schema';

describe('DynamoNotificationStore listByClient (dynalite)', () => {
  const dynalite = useDynalite();

  describe.each(['KEYS_ONLY', 'ALL'] as const)(
    'on a table set up before byClientStatus (byClient projected %s), upgraded by setup',
    (projection) => {
      let infra: Table;
      let store: NotificationStore;
      const records: NotificationRecord[] = [];

      beforeAll(async () => {
        const clients = createEmulatorClients(dynalite.emulators);
        dynalite.onCleanup(() => {
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
