import { GetQueueAttributesCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { sleep } from '../lib/processes';
import { runLoad } from '../load/run-load';
import type { BenchContext } from './context';
import { postLoad } from './loads';

/** Messages in Herald's work queue, visible and in flight. */
export async function queueDepth(ctx: BenchContext): Promise<number> {
  const res = await ctx.stack.aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: ctx.stack.resources.queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const a = res.Attributes ?? {};
  return (
    Number(a.ApproximateNumberOfMessages ?? 0) +
    Number(a.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/** Empties Herald's work queue between runs. */
export async function purgeQueue(ctx: BenchContext): Promise<void> {
  await ctx.stack.aws.sqs.send(new PurgeQueueCommand({ QueueUrl: ctx.stack.resources.queueUrl }));
}

/** Fills the queue with `n` notifications through the api (no worker running). */
export async function fillBacklog(ctx: BenchContext, n: number): Promise<void> {
  await purgeQueue(ctx);
  await runLoad(postLoad(ctx, ctx.stack.apiUrl, { amount: n, duration: 600 }));
  const deadline = Date.now() + 30_000;
  while ((await queueDepth(ctx)) < n && Date.now() < deadline) await sleep(200);
}
