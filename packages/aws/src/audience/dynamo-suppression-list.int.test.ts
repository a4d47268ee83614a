import { AppError, type SuppressionList } from '@herald/core';
import { useAudienceTable } from '../testing-audience';
import { createDynamoSuppressionList } from './dynamo-suppression-list';

const table = useAudienceTable('supp');
let list: SuppressionList;

beforeAll(() => {
  list = createDynamoSuppressionList({ doc: table.clients.doc, tableName: table.tableName });
});

const at = '2026-01-01T00:00:00.000Z';

describe('DynamoSuppressionList (dynalite)', () => {
  it('finds exactly the suppressed addresses of a send, per client', async () => {
    await list.add('c1', {
      address: 'email:ada@example.com',
      reason: 'hard_bounce',
      notificationId: 'ntf_1',
      createdAt: at,
    });
    await list.add('c1', { address: 'sms:+447400123456', reason: 'opted_out', createdAt: at });

    const hit = await list.isSuppressed('c1', [
      'email:ada@example.com',
      'email:bob@example.com',
      'sms:+447400123456',
      'whatsapp:+447400123456',
    ]);
    expect([...hit].sort()).toEqual(['email:ada@example.com', 'sms:+447400123456']);
    expect((await list.isSuppressed('c2', ['email:ada@example.com'])).size).toBe(0);
    expect((await list.list('c2')).items).toEqual([]);
  });

  it('pages through a long list in address order and lifts entries', async () => {
    const addresses = Array.from(
      { length: 130 },
      (_, i) => `email:u${String(i).padStart(3, '0')}@example.com`,
    );
    await Promise.all(
      addresses.map((address) => list.add('c3', { address, reason: 'hard_bounce', createdAt: at })),
    );
    const first = await list.list('c3');
    expect(first.items).toHaveLength(100);
    expect(first.nextCursor).toBeDefined();
    const second = await list.list('c3', first.nextCursor);
    expect([...first.items, ...second.items].map((e) => e.address)).toEqual(addresses);
    expect(second.nextCursor).toBeUndefined();

    expect(await list.remove('c3', 'email:u000@example.com')).toBe(true);
    expect(await list.remove('c3', 'email:u000@example.com')).toBe(false);
    expect(await list.remove('c1', 'email:u001@example.com')).toBe(false);
    expect((await list.isSuppressed('c3', ['email:u000@example.com'])).size).toBe(0);
  });

  it('looks up an email of 50 addresses in one call', async () => {
    const many = Array.from({ length: 50 }, (_, i) => `email:m${i}@example.com`);
    await list.add('c4', {
      address: 'email:m49@example.com',
      reason: 'hard_bounce',
      createdAt: at,
    });
    expect([...(await list.isSuppressed('c4', many))]).toEqual(['email:m49@example.com']);
  });

  it('refuses a cursor it did not make', async () => {
    for (const cursor of ['!!', Buffer.from('C#c2#SUPP').toString('base64url'), 'x'.repeat(700)]) {
      await expect(list.list('c1', cursor)).rejects.toMatchObject(
        new AppError('VALIDATION_FAILED', 'cursor is not valid'),
      );
    }
  });
});
