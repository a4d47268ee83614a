/** Fault 9, two workers on one queue: 300 notifications, nothing sent twice, all Delivered. */
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import type { NodeProcess } from '@herald/local';
import { clientFor, duplicates, email, figure, finalViews } from './support/faults';

jest.setTimeout(60_000);

const N = 300;
let stack: HeraldStack;
let second: NodeProcess | undefined;

beforeAll(async () => {
  stack = await startHeraldStack({
    smtp: { delayMs: 10 },
    workerEnv: { HERALD_SEND_TIMEOUT_MS: '10000' },
  });
  second = await stack.startWorker();
});

afterAll(async () => {
  await second?.stop();
  await stack?.stop();
});

describe('fault 9: two workers consume one queue', () => {
  it('sends every notification exactly once', async () => {
    const client = await clientFor(stack, 'two-workers');
    const ids: string[] = [];
    const queue = Array.from({ length: N }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift())
          ids.push((await client.sendNotificationAsync(email(i) as never)).id);
      }),
    );
    const finals = await finalViews(client, ids, 45_000);
    const perWorker = [stack.worker, second!].map(
      (w) => w.lines.filter((l) => /notification delivered/.test(l)).length,
    );
    const delivered = finals.filter((f) => f.status === 'Delivered').length;
    const dup = duplicates(stack.smtp);
    figure(
      `fault 9 two workers: ${N} accepted, ${delivered} delivered (${perWorker.join(' + ')} per worker), ` +
        `${stack.smtp.messages.length} SMTP sends, ${dup} duplicates`,
    );
    expect(delivered).toBe(N);
    expect(dup).toBe(0);
    expect(stack.smtp.messages).toHaveLength(N);
    expect(perWorker.every((n) => n > 0)).toBe(true);
  });
});
