/**
 * The Fan-out phase's audience, written straight to the audience table with Herald's own stores
 * (not measured): one topic and N recipients, each reachable on Slack only through the configured
 * webhook `bench` (the sink) and subscribed with the default channels, so every subscriber gets
 * exactly one child.
 */
import { randomUUID } from 'node:crypto';
import { createDynamoRecipientStore, createDynamoTopicStore } from '@herald/aws';
import type { BenchContext } from '../context';

/** Writes in flight while seeding. */
const SEED_CONCURRENCY = 16;

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight. */
export async function pool(
  n: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
}

/** Creates a topic with `subscribers` recipients of client `bench`; returns the topic's id. */
export async function seedTopic(ctx: BenchContext, subscribers: number): Promise<string> {
  const table = { doc: ctx.stack.aws.doc, tableName: ctx.stack.resources.audienceTableName };
  const topics = createDynamoTopicStore(table);
  const recipients = createDynamoRecipientStore(table);
  const topicId = randomUUID();
  const now = () => new Date().toISOString();
  await topics.createTopic({ clientId: 'bench', topicId, name: 'bench fan-out', now: now() });
  let done = 0;
  await pool(subscribers, SEED_CONCURRENCY, async (i) => {
    const recipientId = `bench-${topicId.slice(0, 8)}-${i}`;
    await recipients.putProfile({
      clientId: 'bench',
      recipientId,
      profile: { slack: { webhook: 'bench' } },
      precondition: { kind: 'none' },
      now: now(),
    });
    await topics.subscribe({ clientId: 'bench', topicId, recipientId, now: now() });
    if (++done % 500 === 0) ctx.progress.update(`Fan-out: seeding ${done}/${subscribers}`);
  });
  return topicId;
}
