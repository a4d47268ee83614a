import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { startEmulatorsProcess } from '@herald/emulators';
import { createEmulatorClients, createTestInfrastructure } from '../testing';
import type { EmulatorsProcess } from '@herald/emulators';
import type { TestInfrastructure } from '../testing';
import { ensureInfrastructure } from './provision';
import { resolveQueueUrl } from './provision-queues';
import { checkReadiness } from '../readiness';
import { BY_CLIENT_STATUS_INDEX, tableDefinition } from '../store/table-schema';
import { createSqsNotificationQueue } from '../queues/sqs-notification-queue';
import { createSqsWorkQueue } from '../queues/sqs-work-queue';

describe('ensureInfrastructure and checkReadiness (dynalite + fauxqs)', () => {
  let emulators: EmulatorsProcess;
  const infras: TestInfrastructure[] = [];

  async function infrastructure(options: { maxReceiveCount?: number } = {}) {
    const infra = await createTestInfrastructure(emulators, { prefix: 'prov', ...options });
    infras.push(infra);
    return infra;
  }

  beforeAll(async () => {
    emulators = await startEmulatorsProcess();
  });

  afterAll(async () => {
    for (const infra of infras) infra.destroy();
    await emulators?.stop();
  });

  it('creates an ACTIVE table with its indexes, and is idempotent', async () => {
    const infra = await infrastructure();
    const { dynamodb, sqs } = infra.clients;
    const names = {
      tableName: infra.tableName,
      queueName: infra.queueName,
      dlqName: infra.dlqName,
    };

    const again = await ensureInfrastructure({ dynamodb, sqs, ...names });
    const table = await dynamodb.send(new DescribeTableCommand({ TableName: infra.tableName }));

    expect(again).toEqual({ queueUrl: infra.queueUrl, dlqUrl: infra.dlqUrl });
    expect(table.Table?.TableStatus).toBe('ACTIVE');
    expect(
      Object.fromEntries(
        (table.Table?.GlobalSecondaryIndexes ?? []).map((i) => [
          i.IndexName,
          i.Projection?.ProjectionType,
        ]),
      ),
    ).toEqual({
      byClientStatus: 'INCLUDE',
      byRevocation: 'KEYS_ONLY',
      bySweep: 'INCLUDE',
      byParent: 'INCLUDE',
      byTopic: 'KEYS_ONLY',
    });
    expect(await resolveQueueUrl(sqs, infra.queueName)).toBe(infra.queueUrl);
  });

  it('refuses a table whose byClientStatus index does not project status', async () => {
    const infra = await infrastructure();
    const { dynamodb, sqs } = infra.clients;
    const tableName = `${infra.tableName}-narrow`;
    const now = tableDefinition(tableName);
    await dynamodb.send(
      new CreateTableCommand({
        ...now,
        GlobalSecondaryIndexes: (now.GlobalSecondaryIndexes ?? []).map((index) =>
          index.IndexName === BY_CLIENT_STATUS_INDEX
            ? { ...index, Projection: { ProjectionType: 'KEYS_ONLY' } }
            : index,
        ),
      }),
    );

    const setup = ensureInfrastructure({
      dynamodb,
      sqs,
      tableName,
      queueName: infra.queueName,
      dlqName: infra.dlqName,
    });

    await expect(setup).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining(BY_CLIENT_STATUS_INDEX) as unknown,
    });
  });

  it('applies changed queue attributes to an existing queue', async () => {
    const infra = await infrastructure();
    const { dynamodb, sqs } = infra.clients;

    await ensureInfrastructure({
      dynamodb,
      sqs,
      tableName: infra.tableName,
      queueName: infra.queueName,
      dlqName: infra.dlqName,
      visibilityTimeoutSeconds: 45,
    });
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: infra.queueUrl, AttributeNames: ['All'] }),
    );

    expect(attributes.Attributes?.VisibilityTimeout).toBe('45');
    expect(attributes.Attributes?.ReceiveMessageWaitTimeSeconds).toBe('20');
  });

  it('moves a message to the DLQ after maxReceiveCount receives', async () => {
    const infra = await infrastructure({ maxReceiveCount: 2 });
    const { sqs } = infra.clients;
    await createSqsNotificationQueue({ sqs, queueUrl: infra.queueUrl }).enqueue(['ntf_poison']);
    const work = createSqsWorkQueue({ sqs, queueUrl: infra.queueUrl });
    const counts: number[] = [];

    for (let receive = 0; receive < 3; receive++) {
      for (const message of await work.receive(1, 0)) {
        counts.push(message.receiveCount);
        await work.setVisibility(message.receiptHandle, 0);
      }
    }
    const dead = await createSqsWorkQueue({ sqs, queueUrl: infra.dlqUrl }).receive(10, 0);

    expect(counts).toEqual([1, 2]);
    expect(dead.map((m) => m.notificationId)).toEqual(['ntf_poison']);
  });

  it('reports ready when the table and queue answer', async () => {
    const infra = await infrastructure();
    const { dynamodb, sqs } = infra.clients;

    const readiness = await checkReadiness({
      dynamodb,
      sqs,
      tableName: infra.tableName,
      queueUrl: infra.queueUrl,
    });

    expect(readiness).toEqual({ ok: true, checks: { table: 'ok', queue: 'ok' } });
  });

  it('checks the audience table when given one: missing, the api is not ready', async () => {
    const infra = await infrastructure();
    const { dynamodb, sqs } = infra.clients;
    const base = { dynamodb, sqs, tableName: infra.tableName, queueUrl: infra.queueUrl };

    const present = await checkReadiness({ ...base, audienceTableName: infra.tableName });
    const missing = await checkReadiness({ ...base, audienceTableName: 'no-such-audience' });

    expect(present).toEqual({
      ok: true,
      checks: { table: 'ok', queue: 'ok', audienceTable: 'ok' },
    });
    expect(missing).toEqual({
      ok: false,
      checks: { table: 'ok', queue: 'ok', audienceTable: 'unavailable' },
    });
  });

  it('reports each missing or unreachable dependency without throwing', async () => {
    const infra = await infrastructure();
    const unreachable = createEmulatorClients({
      dynamodbEndpoint: 'http://127.0.0.1:1',
      sqsEndpoint: 'http://127.0.0.1:1',
    });

    const missing = await checkReadiness({
      dynamodb: infra.clients.dynamodb,
      sqs: infra.clients.sqs,
      tableName: 'no-such-table',
      queueUrl: `${infra.queueUrl}-nope`,
    });
    const down = await checkReadiness({
      dynamodb: unreachable.dynamodb,
      sqs: unreachable.sqs,
      tableName: infra.tableName,
      queueUrl: infra.queueUrl,
      timeoutMs: 500,
    });
    unreachable.dynamodb.destroy();
    unreachable.sqs.destroy();

    expect(missing).toEqual({ ok: false, checks: { table: 'unavailable', queue: 'unavailable' } });
    expect(down).toEqual({ ok: false, checks: { table: 'unavailable', queue: 'unavailable' } });
  });
});
