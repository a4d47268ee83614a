/** BENCHMARKS.md's sections on cost per notification and on memory. */
import { DASH, fmt2, fmtInt, fmtMs, fmtUsd, isNum } from './format';
import { section, table } from './markdown-table';
import type { CostRun, DeepPartial, ReportInput } from './results';

type Results = NonNullable<ReportInput>;
type Cost = DeepPartial<CostRun>;

const PER_NOTIFICATION_ROWS: [string, keyof CostRun['perNotification']][] = [
  ['DynamoDB write units, table', 'dynamoWcuTable'],
  ['DynamoDB write units, indexes', 'dynamoWcuIndexes'],
  ['DynamoDB write units, total', 'dynamoWcuTotal'],
  ['DynamoDB read units', 'dynamoRcu'],
  ['SQS requests', 'sqsRequests'],
  ['SNS publishes', 'snsPublishes'],
];

/** The cost runs side by side (steady, burst, tuned), then the steady run's calls and prices. */
export function costSection(r: Results): string {
  const c = r.cost;
  if (!c) return section('Cost per notification', 'Not measured.');
  const b = r.costBurst;
  const t = r.costTuned;
  const runs: Cost[] = [c, ...(b ? [b] : []), ...(t ? [t] : [])];
  const n = c.notifications;
  const perRows = PER_NOTIFICATION_ROWS.map(([what, field]) => [
    what,
    ...runs.map((run) => fmt2(run.perNotification?.[field])),
  ]);
  if (runs.length > 1) {
    perRows.push([
      'USD per million notifications',
      ...runs.map((run) => fmtUsd(run.usdPerMillion?.total)),
    ]);
    for (const [what, field] of [
      ['Accept → hand-off p50, ms', 'p50'],
      ['Accept → hand-off p99, ms', 'p99'],
    ] as const) {
      perRows.push([what, ...runs.map((run) => fmtMs(run.handoff?.[field]))]);
    }
  }
  const steadyHead = isNum(c.rate) ? `steady, ${fmtInt(c.rate)}/s paced` : 'steady';
  const perHeaders = [
    'Per delivered notification',
    ...(runs.length > 1 ? [steadyHead] : ['count']),
    ...(b ? ['burst, 50 connections'] : []),
    ...(t ? [`steady, ${fmtInt(t.lingerMs)} ms lingers`] : []),
  ];
  const callRows = Object.entries(c.calls ?? {})
    .sort(([a], [z]) => a.localeCompare(z))
    .map(([call, total]) => [
      call,
      fmtInt(total),
      isNum(total) && isNum(n) && n > 0 ? fmt2(total / n) : DASH,
    ]);
  const text =
    `Counted over ${fmtInt(n)} delivered notifications` +
    (b
      ? `: steady (requests evenly paced at the hand-off rate, so they rarely share a batch` +
        ` call; the targets are judged on this one, with Herald's defaults: sends linger 20 ms, receives do not) and` +
        ` as a burst (the same number posted by 50 connections as fast as the api accepts them,` +
        ` so concurrent requests share BatchWriteItem, SendMessageBatch and PublishBatch calls)` +
        (t
          ? `, and steady again with \`HERALD_ENQUEUE_LINGER_MS\` and` +
            ` \`HERALD_RECEIVE_LINGER_MS\` at ${fmtInt(t.lingerMs)} ms, so that sends and receives` +
            ` wait for company: what the steady cost comes down to, and what it costs in hand-off` +
            ` latency`
          : '') +
        `. The call and price tables are for the first, steady run.`
      : '.');
  return section(
    'Cost per notification',
    text,
    table(perHeaders, perRows, 'l' + 'r'.repeat(perHeaders.length - 1)),
    callRows.length
      ? table(['AWS call', 'calls in the phase', 'per notification'], callRows, 'lrr')
      : '',
    usdTable(c),
  );
}

function usdTable(c: Cost): string {
  const p = c.pricesUsd ?? {};
  const usd = c.usdPerMillion ?? {};
  const prices: [string, string, string, number | undefined][] = [
    ['DynamoDB writes', fmtUsd(p.perMillionWrites), 'write request units', usd.dynamoWrites],
    ['DynamoDB reads', fmtUsd(p.perMillionReads), 'read request units', usd.dynamoReads],
    ['SQS', fmtUsd(p.perMillionSqs), 'requests', usd.sqs],
    ['SNS', fmtUsd(p.perMillionSnsPublishes), 'publishes', usd.sns],
  ];
  const rows = prices.map(([what, price, per, v]) => [
    what,
    price === DASH ? DASH : `${price} / M ${per}`,
    fmtUsd(v),
  ]);
  rows.push(['Total', '', fmtUsd(usd.total)]);
  const source =
    `Prices: ${p.region ?? 'region unknown'} on-demand list prices` +
    `${p.asOf ? ` as of ${p.asOf}` : ''}; storage, data transfer and free tiers are not included.`;
  return [table(['USD per million notifications', 'price', 'USD'], rows, 'lrr'), '', source].join(
    '\n',
  );
}

/** Idle and peak RSS, and RSS per tenth of the backlog as it grows and drains. */
export function memorySection(r: Results): string {
  const m = r.memory;
  if (!m) return section('Memory', 'Not measured.');
  const peak = table(
    ['Process', 'idle RSS, MB', 'peak RSS under load, MB'],
    [
      ['api', fmtInt(m.apiIdleMb), fmtInt(m.apiPeakMb)],
      ['worker', fmtInt(m.workerIdleMb), fmtInt(m.workerPeakMb)],
    ],
    'lrr',
  );
  const api = (m.apiBacklog ?? []).map((p) => [fmtInt(p?.backlog), fmtInt(p?.rssMb)]);
  const worker = (m.workerBacklog ?? []).map((p) => [fmtInt(p?.remaining), fmtInt(p?.rssMb)]);
  return section(
    'Memory',
    peak,
    api.length
      ? `api RSS while the backlog grows:\n\n${table(['backlog', 'api RSS, MB'], api, 'rr')}`
      : '',
    worker.length
      ? `worker RSS while it drains the backlog:\n\n${table(['remaining', 'worker RSS, MB'], worker, 'rr')}`
      : '',
    isNum(m.backlogDrainPerSec)
      ? `The worker drained the backlog at ${fmtInt(m.backlogDrainPerSec)} notifications/s.`
      : '',
  );
}
