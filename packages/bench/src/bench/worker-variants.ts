import path from 'node:path';
import type { NodeProcess } from '@herald/local';
import type { WorkerBaselineOptions } from '../baselines/herald-shapes';
import { sleep, startTracked } from '../lib/processes';
import type { BenchContext } from './context';

/** A worker the Worker phase compares: Herald's, or a baseline made of the same store calls. */
export interface WorkerVariant {
  label: string;
  start(ctx: BenchContext): Promise<NodeProcess>;
}

/** The key of a worker variant in the results (`results.worker[key]`). */
export type WorkerVariantKey = 'herald' | 'bare' | 'sqsConsumer';

/** A built baseline entry point (packages/bench/dist/baselines/<name>.js). */
export const baseline = (name: string): string =>
  path.join(__dirname, '..', 'baselines', `${name}.js`);

/** The Herald worker with the run's concurrency, delivering to the sink (see startBenchStack). */
export const startHeraldWorker = (ctx: BenchContext, execArgv: readonly string[] = []) =>
  ctx.stack.startWorker(
    { HERALD_WORKER_CONCURRENCY: String(ctx.settings.workerConcurrency) },
    { execArgv },
  );

async function startBaselineWorker(ctx: BenchContext, name: string): Promise<NodeProcess> {
  const { tableName, queueUrl, statusTopicArn } = ctx.stack.resources;
  if (statusTopicArn === undefined) throw new Error('the bench stack has no status topic');
  const options: WorkerBaselineOptions = {
    dynamodbEndpoint: ctx.stack.dynamodbEndpoint,
    sqsEndpoint: ctx.stack.sqsEndpoint,
    tableName,
    queueUrl,
    topicArn: statusTopicArn,
    sinkUrl: ctx.sink.url,
    pollers: ctx.settings.workerConcurrency / 10,
  };
  const proc = startTracked(name, baseline(name), {
    args: [JSON.stringify(options)],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  await proc.waitForLine(/"started":true/);
  return proc;
}

/** The three workers, in the order the first round runs them. */
export function workerVariants(ctx: BenchContext): [WorkerVariantKey, WorkerVariant][] {
  return [
    [
      'herald',
      {
        label: `Herald worker (concurrency ${ctx.settings.workerConcurrency})`,
        start: startHeraldWorker,
      },
    ],
    [
      'bare',
      {
        label: 'Bare ReceiveMessage(10) + DeleteMessageBatch loop (4 pollers)',
        start: (c) => startBaselineWorker(c, 'worker-bare'),
      },
    ],
    [
      'sqsConsumer',
      {
        label: 'sqs-consumer version (4 consumers, batchSize 10)',
        start: (c) => startBaselineWorker(c, 'worker-sqs-consumer'),
      },
    ],
  ];
}

/**
 * Stops a worker, then waits out the long poll it abandoned. fauxqs (like SQS) does not notice a
 * closed long poll and may hand the next message sent to it; that message then stays invisible
 * for the visibility timeout and would show up 30 s late in the next phase's figures. Herald's
 * worker long-polls 20 s, the baselines 1 s.
 */
export async function stopWorkerAndSettle(ctx: BenchContext, proc: NodeProcess): Promise<void> {
  await proc.stop();
  if (proc === ctx.worker) ctx.worker = undefined;
  ctx.progress.update('waiting out the stopped worker’s abandoned long poll');
  await sleep(proc.name === 'worker' ? 21_000 : 2_000);
}
