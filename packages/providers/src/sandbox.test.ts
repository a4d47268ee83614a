import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSandboxProvider } from './sandbox';

describe('sandbox provider', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'herald-sandbox-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends one JSON line per message to the channel outbox and reports sandbox ids', async () => {
    const provider = createSandboxProvider({
      channel: 'sms',
      outboxDir: path.join(dir, 'outbox'),
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
    const request = { channel: 'sms' as const, to: '+447400123456', body: 'Code 123456' };

    const results = await Promise.all([
      provider.send({ notificationId: 'ntf_a', request }, AbortSignal.timeout(1_000)),
      provider.send({ notificationId: 'ntf_b', request }, AbortSignal.timeout(1_000)),
    ]);

    const lines = (await readFile(path.join(dir, 'outbox', 'sms.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { notificationId: string; request: unknown });
    expect(results).toEqual([
      { providerMessageId: 'sandbox:ntf_a' },
      { providerMessageId: 'sandbox:ntf_b' },
    ]);
    expect(lines.map((l) => l.notificationId).sort()).toEqual(['ntf_a', 'ntf_b']);
    expect(lines[0]?.request).toEqual(request);
    expect(provider.name).toBe('sandbox');
  });
});
