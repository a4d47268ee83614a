import { startCostProxy } from '../../cost-proxy';
import { runLoad } from '../../load/run-load';
import type { BenchContext } from '../context';
import { countCost } from '../cost-count';
import { postLoad } from '../loads';
import { purgeQueue } from '../queue';
import { stopWorkerAndSettle } from '../worker-variants';

/** Lingers for the cost-tuned steady run: batches fill at a trickle, at this much more latency. */
const TUNED_LINGER_MS = 100;

/**
 * Runs `fn(apiUrl)` with one more api and a Herald worker of the stack, started with `env` laid
 * over the stack's, then stops both.
 */
async function withCountedStack(
  ctx: BenchContext,
  env: NodeJS.ProcessEnv,
  fn: (apiUrl: string) => Promise<void>,
): Promise<void> {
  const counted = await ctx.stack.startApi(env);
  await purgeQueue(ctx);
  try {
    const countedWorker = await ctx.stack.startWorker({
      ...env,
      HERALD_WORKER_CONCURRENCY: String(ctx.settings.workerConcurrency),
    });
    try {
      await fn(counted.url);
    } finally {
      await stopWorkerAndSettle(ctx, countedWorker);
    }
  } finally {
    await counted.process.stop();
  }
}

/**
 * Cost: api and worker restarted behind a counting proxy (src/cost-proxy) that sees every AWS
 * call they make and prices DynamoDB writes by item size, including index writes. Three runs:
 * steady with the default lingers (the target's), a burst, and steady again with both lingers
 * (HERALD_ENQUEUE_LINGER_MS, HERALD_RECEIVE_LINGER_MS) at TUNED_LINGER_MS, which shows what the
 * steady cost comes down to and what it costs in hand-off latency.
 */
export async function benchCost(ctx: BenchContext): Promise<void> {
  const proxy = await startCostProxy(ctx.stack);
  // The counted api and worker reach the emulators through the proxy.
  const env: NodeJS.ProcessEnv = {
    HERALD_DYNAMODB_ENDPOINT: proxy.dynamodbUrl,
    HERALD_SQS_ENDPOINT: proxy.sqsUrl,
    HERALD_SNS_ENDPOINT: proxy.sqsUrl,
  };
  const n = ctx.settings.costNotifications;
  // Steady: paced at the hand-off rate (half of the end-to-end peak). Requests arrive one at a
  // time, so few share a batch call: the dearest case per notification, and the target's.
  const rate = ctx.results.handoff?.rate ?? 100;
  const steady = (url: string) =>
    runLoad(
      postLoad(ctx, url, { overallRate: rate, amount: n, duration: 600, recordAccepted: true }),
    );
  try {
    await withCountedStack(ctx, env, async (url) => {
      ctx.progress.update(`Cost: ${n} notifications at ${rate}/s through the counting proxy`);
      ctx.results.cost = { rate, ...(await countCost(ctx, proxy, () => steady(url))) };
      // Burst: the same number posted by 50 connections as fast as the api takes them (a
      // campaign), so concurrent requests share batch calls.
      ctx.progress.update(`Cost: a burst of ${n} notifications through the counting proxy`);
      ctx.results.costBurst = await countCost(ctx, proxy, () =>
        runLoad(postLoad(ctx, url, { amount: n, duration: 600 })),
      );
    });
    const tuned = {
      HERALD_ENQUEUE_LINGER_MS: String(TUNED_LINGER_MS),
      HERALD_RECEIVE_LINGER_MS: String(TUNED_LINGER_MS),
    };
    await withCountedStack(ctx, { ...env, ...tuned }, async (url) => {
      ctx.progress.update(
        `Cost: ${n} notifications at ${rate}/s with ${TUNED_LINGER_MS} ms lingers`,
      );
      ctx.results.costTuned = {
        rate,
        lingerMs: TUNED_LINGER_MS,
        ...(await countCost(ctx, proxy, () => steady(url))),
      };
    });
  } finally {
    await proxy.close();
  }
}
