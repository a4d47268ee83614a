import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startEmulatorsProcess } from './emulators-process';
import type { EmulatorsProcess } from './emulators-process';
import { createSdkClients, createTestQueue, createTestTable, freshName } from './testing';
import type { SdkClients } from './testing';

describe('emulators process', () => {
  const running: EmulatorsProcess[] = [];
  const clients: SdkClients[] = [];
  let dataDir: string;

  async function start(options: Parameters<typeof startEmulatorsProcess>[0] = {}) {
    const emulators = await startEmulatorsProcess(options);
    running.push(emulators);
    return emulators;
  }

  function clientsOf(emulators: EmulatorsProcess): SdkClients {
    const c = createSdkClients(emulators);
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'herald-emulators-'));
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await Promise.all(running.map((e) => e.stop()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves DynamoDB and SQS on 127.0.0.1 and exits 0 on SIGTERM', async () => {
    const emulators = await start();
    const { dynamodb, sqs } = clientsOf(emulators);
    const queueName = freshName('emu');
    await createTestTable(dynamodb, freshName('emu'));
    const queueUrl = await createTestQueue(sqs, queueName);

    await emulators.stop();

    expect(emulators.dynamodbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulators.sqsEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(queueUrl).toContain(queueName);
    expect(emulators.process.exitCode).toBe(0);
  });

  it('keeps DynamoDB data in the data directory across restarts', async () => {
    const first = await start({ dataDir });
    const tableName = freshName('disk');
    const before = clientsOf(first);
    await createTestTable(before.dynamodb, tableName);
    await before.doc.send(new PutCommand({ TableName: tableName, Item: { pk: 'kept', v: 1 } }));
    await first.stop();

    const second = await start({ dataDir });
    const read = await clientsOf(second).doc.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'kept' } }),
    );

    expect(read.Item).toEqual({ pk: 'kept', v: 1 });
  });

  it('reports why it could not start, with its stderr', async () => {
    const taken = await start();
    const port = Number(new URL(taken.sqsEndpoint).port);

    await expect(start({ sqsPort: port })).rejects.toThrow(/exited before ready[\s\S]*EADDRINUSE/);
  });

  it('can be killed outright, and stopping it afterwards is a no-op', async () => {
    const emulators = await start();

    emulators.kill();
    await emulators.stop();

    expect(emulators.process.signalCode).toBe('SIGKILL');
  });
});
