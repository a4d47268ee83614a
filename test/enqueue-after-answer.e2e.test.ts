/**
 * The api answers 202 once a notification is stored and enqueues it behind the answer, lingering
 * for company (HERALD_ENQUEUE_LINGER_MS). Both ways out of that window keep the promise that
 * accepted means durable (docs/architecture.md, the flow): a SIGTERM sends what is buffered
 * before the api exits, and a crash leaves it to the sweeper. The linger is set to its maximum
 * (1 s) so the window is wide open when the api stops.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import { clientFor, figure, sendsPerId, until } from './support/faults';

jest.setTimeout(90_000);

const N = 25;
const LINGER = { HERALD_ENQUEUE_LINGER_MS: '1000' };
let stack: HeraldStack;

beforeAll(async () => {
  // The api writes sweepAt an hour ahead, so only the api's own sends can enqueue (test 2
  // restarts it with a short sweep instead).
  stack = await startHeraldStack({ apiEnv: { ...LINGER, HERALD_SWEEP_AFTER_SECONDS: '3600' } });
});

afterAll(async () => {
  await stack?.stop();
});

async function queued(): Promise<number> {
  const res = await stack.infra.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.infra.queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(res.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/** Posts N emails at once with the worker stopped; resolves with their ids once all got 202. */
async function acceptWithoutWorker(tag: string): Promise<string[]> {
  const client = await clientFor(stack, tag);
  const views = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      client.sendNotificationAsync({
        channel: 'email',
        to: `${tag}-${i}@example.com`,
        subject: tag,
        text: 'hi',
      }),
    ),
  );
  expect(views.every((v) => v.status === 'Pending')).toBe(true);
  return views.map((v) => v.id);
}

async function deliveredAll(ids: string[]): Promise<void> {
  await until(
    () => Promise.resolve(ids.every((id) => sendsPerId(stack.smtp).has(id))),
    `all ${ids.length} delivered`,
    45_000,
  );
}

describe('the enqueue that follows the 202', () => {
  it('is sent before the api exits on SIGTERM', async () => {
    await stack.worker.stop();
    const ids = await acceptWithoutWorker('drain');

    await stack.api.stop();
    const afterStop = await queued();
    stack.worker = await stack.startWorker();
    await deliveredAll(ids);

    figure(
      `enqueue drain: ${N} accepted, api stopped (SIGTERM), ${afterStop} in the queue after it exited, ${N} delivered`,
    );
    expect(afterStop).toBe(N);
  });

  it('is left to the sweeper when the api is killed before it is sent', async () => {
    await stack.restartApi({ ...LINGER, HERALD_SWEEP_AFTER_SECONDS: '2' });
    await stack.worker.stop();
    const ids = await acceptWithoutWorker('crash');

    await stack.api.kill();
    const afterKill = await queued();
    stack.worker = await stack.startWorker(); // its sweeper finds them 2 s after they were stored
    await deliveredAll(ids);

    figure(
      `enqueue crash: ${N} accepted, api SIGKILLed with ${afterKill} sent, ${N} delivered by the sweeper`,
    );
    expect(afterKill).toBe(0);
    await stack.restartApi();
  });
});
