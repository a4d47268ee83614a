import type { RevocationStore } from '@herald/core';
import { startEmulatorsProcess } from '@herald/emulators';
import { createTestInfrastructure } from '../testing';
import type { EmulatorsProcess } from '@herald/emulators';
import type { TestInfrastructure } from '../testing';
import { createDynamoNotificationStore } from './dynamo-notification-store';
import { createDynamoRevocationStore } from './dynamo-revocation-store';

describe('DynamoRevocationStore (dynalite)', () => {
  let emulators: EmulatorsProcess;
  let infra: TestInfrastructure;
  let store: RevocationStore;

  beforeAll(async () => {
    emulators = await startEmulatorsProcess();
    infra = await createTestInfrastructure(emulators, { prefix: 'revoke' });
    store = createDynamoRevocationStore({ doc: infra.clients.doc, tableName: infra.tableName });
  });

  afterAll(async () => {
    infra?.destroy();
    await emulators?.stop();
  });

  it('lists revocations until they expire', async () => {
    await store.revoke('jti-short', '2026-01-01T00:01:00.000Z');
    await store.revoke('jti-long', '2026-01-02T00:00:00.000Z');

    const early = await store.listRevoked('2026-01-01T00:00:00.000Z');
    const later = await store.listRevoked('2026-01-01T00:01:00.000Z');

    expect(early.sort()).toEqual(['jti-long', 'jti-short']);
    expect(later).toEqual(['jti-long']);
  });

  it('only ever extends a revocation', async () => {
    await store.revoke('jti-x', '2026-03-01T00:00:00.000Z');

    await store.revoke('jti-x', '2026-02-01T00:00:00.000Z');
    const stillThere = await store.listRevoked('2026-02-15T00:00:00.000Z');
    await store.revoke('jti-x', '2026-04-01T00:00:00.000Z');
    const extended = await store.listRevoked('2026-03-15T00:00:00.000Z');

    expect(stillThere).toContain('jti-x');
    expect(extended).toContain('jti-x');
  });

  it('shares the table with notifications without mixing them up', async () => {
    const notifications = createDynamoNotificationStore({
      doc: infra.clients.doc,
      tableName: infra.tableName,
    });

    expect(await notifications.get('jti-long')).toBeUndefined();
    expect(
      (await notifications.findDueForSweep('2099-01-01T00:00:00.000Z', 10)).map((e) => e.id),
    ).toEqual([]);
  });
});
