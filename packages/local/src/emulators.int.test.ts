import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDynamoRevocationStore } from '@herald/aws';
import { createTestInfrastructure, startEmulatorsProcess } from './testing';
import type { EmulatorsProcess, TestInfrastructure } from './testing';

describe('emulators process', () => {
  const running: EmulatorsProcess[] = [];
  const infras: TestInfrastructure[] = [];
  let dataDir: string;

  async function start(options: Parameters<typeof startEmulatorsProcess>[0] = {}) {
    const emulators = await startEmulatorsProcess(options);
    running.push(emulators);
    return emulators;
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'herald-emulators-'));
  });

  afterAll(async () => {
    for (const infra of infras) infra.destroy();
    await Promise.all(running.map((e) => e.stop()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves DynamoDB and SQS on 127.0.0.1 and exits 0 on SIGTERM', async () => {
    const emulators = await start();
    const infra = await createTestInfrastructure(emulators, { prefix: 'emu' });
    infras.push(infra);

    await emulators.stop();

    expect(emulators.dynamodbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulators.sqsEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(infra.queueUrl).toContain(infra.queueName);
    expect(emulators.process.exitCode).toBe(0);
  });

  it('keeps DynamoDB data in the data directory across restarts', async () => {
    const first = await start({ dataDir });
    const infra = await createTestInfrastructure(first, { prefix: 'disk' });
    infras.push(infra);
    const tableName = infra.tableName;
    await createDynamoRevocationStore({ doc: infra.clients.doc, tableName }).revoke('kept', 'z');
    await first.stop();

    const second = await start({ dataDir });
    const again = await createTestInfrastructure(second, { prefix: 'disk' });
    infras.push(again);
    const revoked = await createDynamoRevocationStore({
      doc: again.clients.doc,
      tableName,
    }).listRevoked('a');

    expect(revoked).toEqual(['kept']);
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
