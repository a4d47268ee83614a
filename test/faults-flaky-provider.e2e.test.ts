/**
 * Fault 7, flaky provider: the SMTP server answers 451 after DATA to 20 % of messages at random
 * (per message, not per recipient). With fast retries, ≥ 99.9 % of 500 notifications end
 * Delivered; a permanent 550 ends Refused after one attempt. The circuit breaker's cooldown is
 * shortened (500 ms): at a 20 % failure rate five failures in a row happen now and then, and a
 * 30 s cooldown would only slow the test, not change the outcome.
 */
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import { clientFor, countBy, email, figure, finalViews, sendsPerId } from './support/faults';

jest.setTimeout(60_000);

const N = 500;
let stack: HeraldStack;

beforeAll(async () => {
  stack = await startHeraldStack({
    smtp: { failRate: 0.2, rejectPermanently: (rcpt) => rcpt.startsWith('bounce@') },
    // The fault is the provider: the client's rate limit (100/s, burst 200) must not refuse the
    // 500 posts, which the batched ingest now accepts in well under two seconds.
    apiEnv: { HERALD_RATE_LIMIT_PER_SECOND: '0' },
    workerEnv: {
      HERALD_RETRY_BASE_MS: '50',
      HERALD_RETRY_MAX_MS: '500',
      HERALD_MAX_ATTEMPTS: '10',
      HERALD_CIRCUIT_COOLDOWN_MS: '500',
      HERALD_SEND_TIMEOUT_MS: '10000',
    },
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe('fault 7: a provider that fails 20 % of the time', () => {
  it('delivers ≥ 99.9 % with retries, and refuses a permanent failure at once', async () => {
    const client = await clientFor(stack, 'flaky');
    const ids: string[] = [];
    const t0 = Date.now();
    const queue = Array.from({ length: N }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift())
          ids.push((await client.sendNotificationAsync(email(i) as never)).id);
      }),
    );
    figure(`fault 7 posted ${N} in ${Date.now() - t0} ms`);
    const bounce = await client.sendNotificationAsync({
      channel: 'email',
      to: 'bounce@example.com',
      subject: 'x',
      text: 'y',
    });
    const finals = await finalViews(client, ids, 45_000);
    figure(`fault 7 finals after ${Date.now() - t0} ms`);
    const bounced = await client.waitForStatus(bounce.id, { timeoutMs: 10_000 });
    const delivered = finals.filter((f) => f.status === 'Delivered').length;
    const attempts = countBy(finals, (f) => String(f.attempts));
    const sends = sendsPerId(stack.smtp);
    const dup = [...sends.values()].filter((n) => n > 1).length;
    figure(
      `fault 7 flaky provider (20 % 451): ${N} accepted, ${delivered} delivered (${((100 * delivered) / N).toFixed(1)} %), ` +
        `${finals.length - delivered} not, ${stack.smtp.rejected.length} 451s answered, attempts ${JSON.stringify(attempts)}, ` +
        `${dup} duplicates; 550 → ${bounced.status} ${bounced.reason?.code} after ${bounced.attempts} attempt(s)`,
    );
    expect(delivered / N).toBeGreaterThanOrEqual(0.999);
    expect(stack.smtp.rejected.length).toBeGreaterThan(N * 0.1);
    expect(dup).toBe(0);
    expect(bounced.status).toBe('Refused');
    expect(bounced.attempts).toBe(1);
  });
});
