/**
 * Fault 6, slow provider: the SMTP server takes 8 s per message, longer than the queue's 5 s
 * visibility timeout. The worker's heartbeat must keep each message invisible while it sends
 * (two workers, so a message that reappeared would be taken by the other one), and nothing may be
 * sent twice. The worker is told the queue's visibility timeout (HERALD_VISIBILITY_TIMEOUT_SECONDS)
 * since its heartbeat interval is derived from it.
 */
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import type { NodeProcess } from '@herald/local';
import { clientFor, duplicates, email, figure, finalViews } from './support/faults';

jest.setTimeout(60_000);

const N = 20;
let stack: HeraldStack;
let second: NodeProcess | undefined;

beforeAll(async () => {
  stack = await startHeraldStack({
    visibilityTimeoutSeconds: 5,
    smtp: { delayMs: 8_000 },
    workerEnv: {
      HERALD_VISIBILITY_TIMEOUT_SECONDS: '5',
      HERALD_SEND_TIMEOUT_MS: '20000',
      SMTP_MAX_CONNECTIONS: '10',
      // The sweeper must not be what saves the day (nor re-enqueue what is being sent).
      HERALD_SWEEP_AFTER_SECONDS: '60',
    },
  });
  second = await stack.startWorker();
});

afterAll(async () => {
  await second?.stop();
  await stack?.stop();
});

describe('fault 6: a provider slower than the visibility timeout', () => {
  it('keeps messages invisible while sending and sends each notification once', async () => {
    const client = await clientFor(stack, 'slow');
    const ids = await Promise.all(
      Array.from(
        { length: N },
        async (_, i) => (await client.sendNotificationAsync(email(i) as never)).id,
      ),
    );
    const finals = await finalViews(client, ids, 45_000);
    const workers = [stack.worker, second!];
    const heartbeatFailures = workers
      .flatMap((w) => w.lines)
      .filter((l) => /heartbeat failed/.test(l)).length;
    const leaseWaits = workers
      .flatMap((w) => w.lines)
      .filter((l) => /lease lost|already leased/.test(l)).length;
    const delivered = finals.filter((f) => f.status === 'Delivered').length;
    const dup = duplicates(stack.smtp);
    figure(
      `fault 6 slow provider (8 s SMTP, 5 s visibility, 2 workers): ${N} accepted, ${delivered} delivered, ` +
        `${stack.smtp.messages.length} SMTP sends, ${dup} duplicates, ${heartbeatFailures} heartbeat failures, ${leaseWaits} lease conflicts`,
    );
    expect(delivered).toBe(N);
    expect(dup).toBe(0);
    expect(stack.smtp.messages).toHaveLength(N);
    expect(finals.every((f) => f.attempts === 1)).toBe(true);
  });
});
