import { startEmulatorsProcess } from '@herald/emulators';
import { createTestInfrastructure } from '../testing';
import type { EmulatorsProcess } from '@herald/emulators';
import type { TestInfrastructure } from '../testing';
import { createDynamoDeadTargetStore } from './dynamo-dead-target-store';

describe('DynamoDeadTargetStore (dynalite)', () => {
  let emulators: EmulatorsProcess;
  let infra: TestInfrastructure;

  beforeAll(async () => {
    emulators = await startEmulatorsProcess();
    infra = await createTestInfrastructure(emulators, { prefix: 'dead' });
  });

  afterAll(async () => {
    infra?.destroy();
    await emulators?.stop();
  });

  it('remembers a dead target across store instances', async () => {
    const writer = createDynamoDeadTargetStore({
      doc: infra.clients.doc,
      tableName: infra.tableName,
    });
    const reader = createDynamoDeadTargetStore({
      doc: infra.clients.doc,
      tableName: infra.tableName,
    });

    const before = await reader.isDead('k1');
    await writer.markDead('k1', { reason: 'subscription_gone', at: '2026-01-01T00:00:00.000Z' });

    expect(before).toBe(false);
    expect(await reader.isDead('k1')).toBe(true);
    expect(await reader.isDead('k2')).toBe(false);
  });
});
