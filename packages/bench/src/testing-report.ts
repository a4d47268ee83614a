/** Results objects for the report's tests (a full run, and figures to build partial ones). */
import type { BenchResults, DeepPartial, TargetVerdict } from './report/results';
import { audienceResults } from './testing-report-audience';

export const httpRuns = (
  rps: number,
  p50: number,
  p90: number,
  p99: number,
  p999: number,
  extra: object = {},
) => {
  const runs = [0.98, 1, 1.02].map((k) => ({
    rps: rps * k,
    p50: p50 * k,
    p90: p90 * k,
    p99: p99 * k,
    p999: p999 * k,
    errors: 0,
    non2xx: 0,
  }));
  return { runs, median: { ...runs[1] }, ...extra };
};

const workerRuns = (perSec: number) => {
  const runs = [0.95, 1, 1.05].map((k) => ({
    perSec: perSec * k,
    delivered: 3000,
    seconds: 3000 / (perSec * k),
  }));
  return { runs, median: { perSec } };
};

/** Every figure present; targets chosen so some are met and some are not. */
export function fullResults(): DeepPartial<BenchResults> {
  return {
    startedAt: '2026-11-22T03:00:00.000Z',
    durationS: 812,
    command: 'pnpm bench',
    machine: {
      cpus: 2,
      cpuModel: 'Test CPU @ 3 GHz',
      memGiB: 24,
      os: 'Linux 6.1 x64',
      node: 'v20.20.2',
    },
    versions: {
      herald: 'abc1234',
      autocannon: '8.0.0',
      dynalite: '4.0.0',
      fauxqs: '1.9.2',
      awsSdk: '3.x',
      express: '5.x',
      sqsConsumer: '14.2.8',
    },
    settings: {
      connections: 50,
      durationS: 10,
      warmupS: 3,
      repeats: 3,
      workerMessages: 3000,
      backlog: 100000,
    },
    http: {
      B: { label: 'B — bare node:http hello world', ...httpRuns(20000, 2, 3, 5, 9) },
      ingest: { label: 'Ingest — POST /v1/notifications', ...httpRuns(1200, 35, 50, 80, 120) },
      naive: {
        label: 'Naive — express + PutItem + SendMessage',
        ...httpRuns(700, 60, 90, 140, 200),
      },
      statusGet: { label: 'Status GET', ...httpRuns(3000, 14, 20, 30, 45) },
      longPoll: {
        label: 'Long-poll GET ?waitSeconds=<2>&x',
        ...httpRuns(25, 1900, 2000, 2050, 2100),
      },
      ingestHalf: { label: 'Ingest at half of peak', rate: 600, ...httpRuns(600, 4, 8, 18, 30) },
      statusHalf: {
        label: 'Status GET at half of peak',
        rate: 1500,
        ...httpRuns(1500, 3, 6, 16, 22),
      },
    },
    S: { label: 'S — bare AWS SDK loop', ...httpRuns(1300, 0.8, 1.2, 2.5, 4) },
    worker: {
      herald: { label: 'Herald worker', ...workerRuns(900) },
      bare: { label: 'Bare ReceiveMessage(10) + DeleteMessageBatch loop', ...workerRuns(950) },
      sqsConsumer: { label: 'sqs-consumer version', ...workerRuns(700) },
    },
    handoff: {
      rate: 600,
      runs: [
        { p50: 20, p90: 40, p99: 200, max: 400, count: 6000 },
        { p50: 22, p90: 45, p99: 300, max: 500, count: 6000 },
        { p50: 25, p90: 50, p99: 320, max: 700, count: 6000 },
      ],
      median: { p50: 22, p90: 45, p99: 300, max: 500, count: 6000 },
      peaks: { endToEnd: 1200, ingest: 1300, worker: 900 },
    },
    handoffSoloHalf: {
      rate: 450,
      runs: [{ p50: 80, p90: 160, p99: 400, max: 600, count: 4500 }],
      median: { p50: 80, p90: 160, p99: 400, max: 600, count: 4500 },
    },
    cost: {
      rate: 600,
      notifications: 2000,
      perNotification: {
        dynamoWcuTable: 2,
        dynamoWcuIndexes: 0.5,
        dynamoWcuTotal: 2.5,
        dynamoRcu: 1,
        sqsRequests: 0.375,
        snsPublishes: 0,
      },
      calls: { 'DynamoDB.PutItem': 2000, 'SQS.SendMessageBatch': 250, 'SQS.ReceiveMessage': 250 },
      pricesUsd: {
        perMillionWrites: 0.625,
        perMillionReads: 0.125,
        perMillionSqs: 0.4,
        perMillionSnsPublishes: 0.5,
        region: 'us-east-1',
        asOf: '2026-11-01',
      },
      usdPerMillion: { dynamoWrites: 1.5625, dynamoReads: 0.125, sqs: 0.15, sns: 0, total: 1.8375 },
    },
    costBurst: {
      notifications: 2000,
      perNotification: {
        dynamoWcuTable: 2,
        dynamoWcuIndexes: 0.5,
        dynamoWcuTotal: 2.5,
        dynamoRcu: 1,
        sqsRequests: 0.125,
        snsPublishes: 0,
      },
      calls: { 'DynamoDB.PutItem': 2000, 'SQS.SendMessageBatch': 250, 'SQS.ReceiveMessage': 250 },
      pricesUsd: {
        perMillionWrites: 0.625,
        perMillionReads: 0.125,
        perMillionSqs: 0.4,
        perMillionSnsPublishes: 0.5,
        region: 'us-east-1',
        asOf: '2026-11-01',
      },
      usdPerMillion: { dynamoWrites: 1.5625, dynamoReads: 0.125, sqs: 0.15, sns: 0, total: 1.8375 },
    },
    memory: {
      apiPeakMb: 150,
      workerPeakMb: 120,
      apiBacklog: [
        { backlog: 25000, rssMb: 140 },
        { backlog: 50000, rssMb: 160 },
        { backlog: 100000, rssMb: 210 },
      ],
      workerBacklog: [
        { remaining: 100000, rssMb: 110 },
        { remaining: 50000, rssMb: 118 },
        { remaining: 0, rssMb: 125 },
      ],
    },
    profiles: [
      {
        title: 'Ingest: where the api CPU goes',
        text: 'self  total  name\n 40%   60%  ```tricky```\n',
      },
    ],
    notes: ['First note.', 'A note | with a pipe\nand a second line.'],
    ...audienceResults(),
  };
}

/** The names of the 22 targets. */
export type TargetName =
  | 'Ingest vs bare SDK loop'
  | 'Ingest vs naive'
  | 'Ingest errors'
  | 'Ingest p99 at half of peak'
  | 'Status GET vs bare HTTP'
  | 'Status GET p99'
  | 'Worker vs bare loop'
  | 'Worker vs sqs-consumer'
  | 'Hand-off p50'
  | 'Hand-off p99'
  | 'DynamoDB writes'
  | 'SQS requests'
  | 'api memory'
  | 'worker memory'
  | 'api memory under backlog'
  | 'worker memory under backlog'
  | 'Fan-out creation vs bare loop'
  | 'Fan-out vs worker'
  | 'worker memory during fan-out'
  | 'Queue wait during fan-out'
  | 'Scheduled claim lag'
  | 'Scheduled early claims';

/** The verdicts by target name (every target is always judged, measured or not). */
export const byName = (targets: readonly TargetVerdict[]): Record<TargetName, TargetVerdict> =>
  Object.fromEntries(targets.map((t) => [t.name, t])) as Record<TargetName, TargetVerdict>;
