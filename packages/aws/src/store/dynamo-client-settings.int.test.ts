import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { startEmulatorsProcess } from '@herald/emulators';
import { createTestInfrastructure } from '../testing';
import type { EmulatorsProcess } from '@herald/emulators';
import type { TestInfrastructure } from '../testing';
import {
  createDynamoClientSettingsStore,
  type ClientSettingsStore,
} from './dynamo-client-settings';
import { createDynamoNotificationStore } from './dynamo-notification-store';

describe('DynamoClientSettingsStore (dynalite)', () => {
  let emulators: EmulatorsProcess;
  let infra: TestInfrastructure;
  let store: ClientSettingsStore;
  const now = () => new Date('2026-01-01T00:00:00.000Z');

  beforeAll(async () => {
    emulators = await startEmulatorsProcess();
    infra = await createTestInfrastructure(emulators, { prefix: 'clients' });
    store = createDynamoClientSettingsStore({
      doc: infra.clients.doc,
      tableName: infra.tableName,
      now,
    });
  });

  afterAll(async () => {
    infra?.destroy();
    await emulators?.stop();
  });

  it('has no settings for a client nobody configured', async () => {
    expect(await store.get('nobody')).toBeUndefined();
  });

  it('creates settings, then changes only the fields given, counting versions', async () => {
    const created = await store.set('shop', {
      allowedSlackWebhooks: ['ops', 'alerts'],
      limits: { sendPerSecond: 50, recipientCap: 3 },
    });

    const changed = await store.set('shop', { limits: { recipientCap: 5, readPerSecond: 20 } });
    const read = await store.get('shop');

    expect(created).toEqual({
      clientId: 'shop',
      allowedSlackWebhooks: ['ops', 'alerts'],
      limits: { sendPerSecond: 50, recipientCap: 3 },
      version: 1,
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(changed).toEqual({
      ...created,
      limits: { sendPerSecond: 50, recipientCap: 5, readPerSecond: 20 },
      version: 2,
    });
    expect(read).toEqual(changed);
  });

  it('drops an override set to undefined (back to the default) and empties the webhook list', async () => {
    await store.set('tidy', { allowedSlackWebhooks: ['ops'], limits: { longPolls: 4 } });

    const reset = await store.set('tidy', {
      allowedSlackWebhooks: [],
      limits: { longPolls: undefined },
    });

    expect(reset.allowedSlackWebhooks).toEqual([]);
    expect(reset.limits).toEqual({});
    expect(await store.get('tidy')).toEqual(reset);
  });

  it('keeps every one of concurrent changes (conditional writes on the version)', async () => {
    await Promise.all([
      store.set('busy', { limits: { sendPerSecond: 1 } }),
      store.set('busy', { limits: { readPerSecond: 2 } }),
      store.set('busy', { limits: { longPolls: 3 } }),
      store.set('busy', { allowedSlackWebhooks: ['ops'] }),
    ]);

    const read = await store.get('busy');

    expect(read?.limits).toEqual({ sendPerSecond: 1, readPerSecond: 2, longPolls: 3 });
    expect(read?.allowedSlackWebhooks).toEqual(['ops']);
    expect(read?.version).toBe(4);
  });

  it('refuses to read a malformed item rather than guess', async () => {
    await infra.clients.doc.send(
      new PutCommand({
        TableName: infra.tableName,
        Item: { pk: 'CLIENT#broken', kind: 'client', allowedSlackWebhooks: 'ops', version: 1 },
      }),
    );

    await expect(store.get('broken')).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('shares the table with notifications without mixing them up', async () => {
    const notifications = createDynamoNotificationStore({
      doc: infra.clients.doc,
      tableName: infra.tableName,
    });

    expect(await notifications.get('shop')).toBeUndefined();
    expect(await notifications.listByClient('shop', { limit: 10 })).toEqual(
      expect.objectContaining({ items: [] }),
    );
  });
});
