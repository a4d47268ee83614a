/**
 * Retries and pacing deferrals never use up a message's SQS receives: with maxReceiveCount 2,
 * one notification fails transiently on every attempt but the last (HERALD_MAX_ATTEMPTS − 1
 * SMTP 451s) while 30 others share a 2/s pacing rule, so most are deferred several times. Every
 * notification ends Delivered, and nothing reaches the DLQ.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { RecordedMail } from '@herald/providers/testing';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import { clientFor, duplicates, email, figure, finalViews } from './support/faults';

jest.setTimeout(120_000);

const MAX_RECEIVES = 2;
const MAX_ATTEMPTS = 5;
const OTHERS = 30;
const FLAKY = 'flaky@example.com';

let stack: HeraldStack;
let failedSoFar = 0;

beforeAll(async () => {
  stack = await startHeraldStack({
    maxReceiveCount: MAX_RECEIVES,
    smtp: {
      fail: (mail: RecordedMail) =>
        mail.envelope.to.includes(FLAKY) && failedSoFar++ < MAX_ATTEMPTS - 1 ? 451 : undefined,
    },
    apiEnv: { HERALD_RATE_LIMIT_PER_SECOND: '0' },
    workerEnv: {
      HERALD_MAX_RECEIVE_COUNT: String(MAX_RECEIVES),
      HERALD_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      HERALD_RETRY_BASE_MS: '100',
      HERALD_RETRY_MAX_MS: '1000',
      HERALD_PACING: 'smtp=2',
      // Only the receive budget is under test: no circuit opening on the flaky recipient's 451s.
      HERALD_CIRCUIT_FAILURES: '1000',
    },
  });
});

afterAll(async () => {
  await stack?.stop();
});

async function dlqDepth(): Promise<number> {
  const res = await stack.infra.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.infra.dlqUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(res.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

describe('the receive budget', () => {
  it('is not used up by retries and pacing deferrals: all Delivered, none in the DLQ', async () => {
    const client = await clientFor(stack, 'budget');
    const t0 = Date.now();
    const flaky = await client.sendNotificationAsync(email('flaky', { to: FLAKY }) as never);
    const others = await Promise.all(
      Array.from({ length: OTHERS }, (_, i) => client.sendNotificationAsync(email(i) as never)),
    );
    const ids = [flaky.id, ...others.map((o) => o.id)];

    const finals = await finalViews(client, ids, 60_000);
    const views = await Promise.all(ids.map((id) => client.getNotificationStatus(id)));
    const paced = views.map(
      (v) =>
        v.events.filter((e) => e.type === 'attempt_failed' && e.detail?.code === 'paced').length,
    );
    const flakyView = views[0];
    const delivered = finals.filter((f) => f.status === 'Delivered').length;
    const dead = await dlqDepth();
    const dlqListed = (await stack.cli(['dlq', 'list'])).trim();
    figure(
      `receive budget (maxReceiveCount ${MAX_RECEIVES}, smtp=2/s): ${ids.length} accepted, ` +
        `${delivered} delivered in ${Date.now() - t0} ms; flaky one: ${stack.smtp.rejected.length} × 451 then ` +
        `${flakyView?.status} at attempt ${flakyView?.attempts}; ${paced.reduce((a, b) => a + b, 0)} ` +
        `pacing deferrals (up to ${Math.max(...paced)} per notification); DLQ ${dead}; ` +
        `${duplicates(stack.smtp)} duplicates`,
    );

    expect(delivered).toBe(ids.length);
    expect(flakyView?.status).toBe('Delivered');
    expect(flakyView?.attempts).toBe(MAX_ATTEMPTS);
    expect(Math.max(...paced)).toBeGreaterThan(MAX_RECEIVES);
    expect(dead).toBe(0);
    expect(dlqListed).toBe('');
    expect(duplicates(stack.smtp)).toBe(0);
  });
});
