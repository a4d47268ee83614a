/** listByClient on dynalite: pages, cursors and the status filter on a table set up now. */
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@herald/core';
import type { NotificationRecord, NotificationStatus, NotificationStore } from '@herald/core';
import { InMemoryNotificationStore } from '@herald/core/testing';
import { at, useDynalite } from '../testing-dynalite';
import {
  aRecord,
  chunks,
  finish,
  indexEntryAttributes,
  newestFirst,
  pages,
  projectionOf,
  type Table,
} from '../testing-list';
import { BY_CLIENT_INDEX, BY_CLIENT_STATUS_INDEX } from './table-schema';

describe('DynamoNotificationStore listByClient (dynalite)', () => {
  const dynalite = useDynalite();

  describe('on a table set up now', () => {
    let infra: Table;
    let store: NotificationStore;
    const mine: NotificationRecord[] = [];
    const theirs: NotificationRecord[] = [];

    beforeAll(async () => {
      ({ infra, store } = await dynalite.freshTable('list'));
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
      const { store } = await dynalite.freshTable('list');
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
      const { infra, store } = await dynalite.freshTable('list');
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
});
