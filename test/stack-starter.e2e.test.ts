import { existsSync } from 'node:fs';
import { heraldEntry, randomStackNames, runNode, startStack, type Stack } from '@herald/local';

jest.setTimeout(60_000);

// What bench and soak ask of the starter: one process per emulator, what `herald setup` makes,
// no output kept, workers and extra apis started on demand with their own env and Node flags.
let stack: Stack | undefined;

beforeAll(async () => {
  stack = await startStack({
    emulators: 'process-each',
    names: randomStackNames('starter'),
    statusEvents: true,
    output: 'none',
    worker: false,
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe('startStack', () => {
  it('provisions what herald setup makes, and the api accepts the tokens it issues', async () => {
    const { resources, apiUrl } = stack!;
    const token = await stack!.issueToken('starter');

    const found = await fetch(`${apiUrl}/v1/notifications/ntf_00000000000000000000000000`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const forged = await fetch(`${apiUrl}/v1/notifications/ntf_00000000000000000000000000`, {
      headers: { authorization: `Bearer ${token}x` },
    });

    expect(resources.statusTopicArn).toMatch(/^arn:aws:sns:.*:starter-[0-9a-f]{8}-status$/);
    expect(resources.callbackQueueUrl).toContain(`${resources.queueName}-callbacks`);
    expect(found.status).toBe(404);
    expect(forged.status).toBe(401);
  });

  it('changes a client setting that the CLI, run with the shared env, then shows', async () => {
    await stack!.setClientSettings('bench', { allowedSlackWebhooks: ['bench'] });

    const shown = await runNode(heraldEntry('cli'), ['client', 'show', 'bench'], stack!.env);

    expect(JSON.parse(shown.stdout)).toMatchObject({ allowedSlackWebhooks: ['bench'] });
  });

  it('provisions a second set of resources beside the first', async () => {
    const names = randomStackNames('base');

    const base = await stack!.provision(names);

    expect(base.tableName).toBe(names.tableName);
    expect(base.queueUrl).toContain(names.queueName);
    expect(base.queueUrl).not.toBe(stack!.resources.queueUrl);
  });

  it('starts workers and more apis on demand, each with its own env and Node flags', async () => {
    const lines: string[] = [];
    const worker = await stack!.startWorker(
      { HERALD_WORKER_CONCURRENCY: '2' },
      { execArgv: ['--max-old-space-size=256'], onLine: (line) => lines.push(line), name: 'w1' },
    );
    const extra = await stack!.startApi();
    const ready = await fetch(`${extra.url}/readyz`);
    await Promise.all([worker.stop(), extra.process.stop()]);

    expect(lines.some((line) => line.includes('herald worker started'))).toBe(true);
    expect(worker.lines).toEqual([]);
    expect(extra.url).not.toBe(stack!.apiUrl);
    expect(ready.status).toBe(200);
  });

  it('runs one process per emulator and removes its temporary data dir at stop', async () => {
    const procs = stack!.emulatorProcesses();
    const { dataDir } = stack!;

    await stack!.stop();
    stack = undefined;

    expect(procs?.dynamodb).not.toBe(procs?.sqs);
    expect(existsSync(dataDir)).toBe(false);
  });
});
