import type { startCostProxy } from '../cost-proxy';
import { sleep } from '../lib/processes';
import type { LoadResult } from '../load/load-options';
import type { CostRun, Prices } from '../report/results';
import type { BenchContext } from './context';
import { handoffLatencies } from './handoff-latency';

/** A running counting proxy (src/cost-proxy). */
export type CostProxy = Awaited<ReturnType<typeof startCostProxy>>;

/** AWS on-demand prices, us-east-1 (standard queue, standard table class). */
export const PRICES: Prices = {
  perMillionWrites: 0.625,
  perMillionReads: 0.125,
  perMillionSqs: 0.4,
  perMillionSnsPublishes: 0.5,
  region: 'us-east-1',
  asOf: 'AWS price pages, 2026-11',
};

/** Runs `load` against the counted api and prices the AWS calls it and its deliveries made. */
export async function countCost(
  ctx: BenchContext,
  proxy: CostProxy,
  load: () => Promise<LoadResult>,
): Promise<CostRun> {
  const { sink } = ctx;
  sink.reset();
  await sleep(1000);
  proxy.reset();
  const n = ctx.settings.costNotifications;
  const loaded = await load();
  await sink.waitFor(n, 120_000);
  await sleep(3000); // the final writes and status events follow the sink's 200
  const snap = proxy.snapshot();
  const delivered = sink.arrivals.size;
  const handoff =
    loaded.accepted === undefined ? undefined : handoffLatencies(sink, loaded.accepted);
  const per = (v: number) => v / delivered;
  const perNotification = {
    dynamoWcuTable: per(snap.dynamodb.wcuTable),
    dynamoWcuIndexes: per(snap.dynamodb.wcuIndexTotal),
    dynamoWcuTotal: per(snap.dynamodb.wcuTotal),
    dynamoRcu: per(snap.dynamodb.rcu),
    sqsRequests: per(snap.sqs.requests),
    snsPublishes: per(snap.sns.publishes),
  };
  const parts = {
    dynamoWrites: perNotification.dynamoWcuTotal * PRICES.perMillionWrites,
    dynamoReads: perNotification.dynamoRcu * PRICES.perMillionReads,
    sqs: perNotification.sqsRequests * PRICES.perMillionSqs,
    sns: perNotification.snsPublishes * PRICES.perMillionSnsPublishes,
  };
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  return {
    notifications: delivered,
    ...(handoff === undefined ? {} : { handoff }),
    perNotification,
    wcuByIndex: snap.dynamodb.wcuIndexes,
    calls: snap.calls,
    sqs: snap.sqs,
    pricesUsd: PRICES,
    usdPerMillion: { ...parts, total },
  };
}
