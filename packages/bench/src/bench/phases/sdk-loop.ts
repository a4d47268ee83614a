import { runNode } from '@herald/local';
import type { SdkLoopOptions } from '../../baselines/sdk-loop';
import type { SdkLoopRun } from '../../report/results';
import type { BenchContext } from '../context';
import { runDuration } from '../loads';
import { repeated } from '../repeated';
import { baseline } from '../worker-variants';

/**
 * Baseline S: the bare SDK loop making ingest's calls (batched, as Herald does), the same
 * without batching, and the emulators' latency floor (concurrency 1) for ingest and a status read.
 */
export async function benchSdkLoop(ctx: BenchContext): Promise<void> {
  const base = {
    dynamodbEndpoint: ctx.stack.dynamodbEndpoint,
    sqsEndpoint: ctx.stack.sqsEndpoint,
    tableName: ctx.baseTable.tableName,
    queueUrl: ctx.baseTable.queueUrl,
    // Herald's api default (HERALD_ENQUEUE_LINGER_MS): its sends linger this long for company.
    lingerMs: 20,
  };
  const run = async (
    durationS: number,
    mode: SdkLoopOptions['mode'],
    concurrency = ctx.settings.connections,
  ): Promise<SdkLoopRun> => {
    const options: SdkLoopOptions = { ...base, durationS, mode, concurrency };
    const { stdout } = await runNode(baseline('sdk-loop'), [JSON.stringify(options)], {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    return JSON.parse(stdout.trim()) as SdkLoopRun;
  };
  ctx.results.S = {
    label: 'S — bare AWS SDK loop, same calls as ingest',
    ...(await repeated(ctx, 'S (bare SDK loop)', ({ warmup }) =>
      run(runDuration(ctx, warmup), 'batched'),
    )),
  };
  // The same loop without batching: what one PutItem + one SendMessage per notification allows.
  ctx.results.Sunbatched = {
    label: 'S without batching (PutItem + SendMessage each)',
    ...(await repeated(ctx, 'S without batching', () => run(ctx.settings.durationS, 'single'), {
      warmup: false,
    })),
  };
  // The emulators' latency floor: the same calls one at a time (concurrency 1).
  const floor = async (mode: SdkLoopOptions['mode']) =>
    (
      await repeated(ctx, `Latency floor (${mode})`, () => run(ctx.settings.warmupS, mode, 1), {
        warmup: false,
      })
    ).median;
  ctx.results.floor = { ingest: await floor('batched'), statusRead: await floor('get') };
}
