import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHeraldClient } from '@herald/client';
import { heraldEntry, runNode, startNodeProcess, type NodeProcess } from '@herald/local';

jest.setTimeout(120_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface LocalInfo {
  apiUrl: string;
  mailDir: string;
  pids: { worker?: number };
}

let dataDir: string;
let port: number;
let stack: NodeProcess | undefined;

async function startLocal(): Promise<{ proc: NodeProcess; info: LocalInfo }> {
  const proc = startNodeProcess('local', heraldEntry('local'), {
    env: {
      HERALD_DATA_DIR: dataDir,
      PORT: String(port),
      HERALD_SWEEP_AFTER_SECONDS: '2',
      HERALD_SWEEP_INTERVAL_MS: '500',
      HERALD_LOCAL_STOP_GRACE_MS: '1000',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    keepLines: true,
  });
  stack = proc;
  await proc.waitForLine(/Herald is ready at/, 60_000);
  const info = JSON.parse(await readFile(path.join(dataDir, 'local.json'), 'utf8')) as LocalInfo;
  return { proc, info };
}

async function findMail(
  mailDir: string,
  id: string,
  timeoutMs: number,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = await readdir(mailDir).catch(() => [] as string[]);
    const match = files.find((f) => f.includes(id));
    if (match) return readFile(path.join(mailDir, match), 'utf8');
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'herald-local-'));
  port = await freePort();
});

afterAll(async () => {
  await stack?.stop(15_000);
  await rm(dataDir, { recursive: true, force: true });
});

describe('the local stack (the README start command)', () => {
  it('prints a dev token and a curl example, and delivers mail to .eml files', async () => {
    const { proc, info } = await startLocal();
    const token = /export HERALD_TOKEN=(\S+)/.exec(proc.lines.join('\n'))?.[1] ?? '';
    const client = createHeraldClient({ baseUrl: info.apiUrl, token });

    const accepted = await client.sendNotificationAsync({
      channel: 'email',
      to: 'ada@example.com',
      subject: 'Local',
      text: 'Hello from the sink',
    });
    const final = await client.waitForStatus(accepted.id, { timeoutMs: 20_000 });
    const eml = await findMail(info.mailDir, accepted.id, 5_000);

    expect(proc.lines.join('\n')).toContain('curl -s -X POST');
    expect(final.status).toBe('Delivered');
    expect(eml).toContain('Subject: Local');
    expect(eml).toMatch(new RegExp(`^X-Herald-Notification-Id: ${accepted.id}$`, 'im'));
  });

  it('lets the CLI find the running stack by itself', async () => {
    const env = { HERALD_DATA_DIR: dataDir };
    const token = (
      await runNode(heraldEntry('cli'), ['token', 'issue', '--client', 'cli-user'], env)
    ).stdout.trim();

    const sent = JSON.parse(
      (
        await runNode(
          heraldEntry('cli'),
          [
            'send',
            '--channel',
            'email',
            '--to',
            'ada@example.com',
            '--subject',
            'From the CLI',
            '--text',
            'hi',
          ],
          { ...env, HERALD_TOKEN: token },
        )
      ).stdout,
    ) as { id: string };
    const status = JSON.parse(
      (
        await runNode(heraldEntry('cli'), ['status', sent.id, '--wait', '15'], {
          ...env,
          HERALD_TOKEN: token,
        })
      ).stdout,
    ) as { status: string };

    expect(status.status).toBe('Delivered');
  });

  it('still delivers, after a restart, a notification accepted before the stop', async () => {
    await stack?.stop(15_000);
    const first = await startLocal();
    const token = /export HERALD_TOKEN=(\S+)/.exec(first.proc.lines.join('\n'))?.[1] ?? '';
    // Freeze the worker so the notification is accepted and queued but cannot be sent.
    process.kill(first.info.pids.worker ?? 0, 'SIGSTOP');
    const accepted = await createHeraldClient({
      baseUrl: first.info.apiUrl,
      token,
    }).sendNotificationAsync({
      channel: 'email',
      to: 'ada@example.com',
      subject: 'Survives a restart',
      text: 'Accepted before the stop',
    });
    await first.proc.stop(20_000);

    const second = await startLocal();
    const client = createHeraldClient({ baseUrl: second.info.apiUrl, token });
    const final = await client.waitForStatus(accepted.id, { timeoutMs: 30_000 });

    expect(final.status).toBe('Delivered');
    expect(await findMail(second.info.mailDir, accepted.id, 5_000)).toContain(
      'Subject: Survives a restart',
    );
  });
});
