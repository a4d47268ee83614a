/**
 * BENCHMARKS.md's sections on issue 14's audience phases (the fan-out of a topic send, scheduled
 * sends), each figure beside its baseline from the same run, and the note on a merged report
 * (which phases came from which run).
 */
import { DASH, fmt2, fmtInt, fmtMs, isNum } from './format';
import { mdText, section, table } from './markdown-table';
import type { DeepPartial, QueueWait, ReportInput, WorkerRateBaseline } from './results';

type Results = NonNullable<ReportInput>;

const ratio = (value: unknown, base: unknown) =>
  isNum(value) && isNum(base) && base > 0 ? `${fmt2(value / base)} ×` : DASH;

/** The worker rate a phase is judged against, and where it came from. */
export function workerRateText(w: DeepPartial<WorkerRateBaseline> | undefined): string {
  if (!isNum(w?.perSec)) return DASH;
  const from =
    w.source === 'backlog'
      ? `a backlog of ${fmtInt(w.notifications)} direct notifications drained in the phase`
      : 'the Worker phase of this run';
  return `${fmtInt(w.perSec)}/s (${from})`;
}

function waitRow(label: string, w: DeepPartial<QueueWait> | undefined): string[] {
  return [
    label,
    fmtInt(w?.count),
    isNum(w?.rate) ? `${fmtInt(w.rate)}/s` : DASH,
    fmtMs(w?.p50),
    fmtMs(w?.p99),
    fmtMs(w?.max),
    fmtInt(w?.missing),
  ];
}

/** The Fan-out section; empty when the phase has no figures. */
export function fanOutSection(r: Results): string {
  const f = r.fanOut;
  if (!f) return '';
  const intro =
    `One topic send to ${fmtInt(f.subscribers)} subscribers, each reachable on Slack only, so one` +
    ' child each, delivered by the Herald worker to the bench’s sink through the configured' +
    ' webhook (the provider the Worker phase delivers to, so the two rates compare like with' +
    ' like). Recipients and subscriptions were written straight to the audience table with' +
    ' Herald’s stores (not measured). The send was posted to the api' +
    ' (`POST /v1/topics/:topicId/notifications`). Creation runs from the parent’s `accepted` event to its' +
    ' `fanned_out` event (subscriber pages read, children written and enqueued, pages recorded),' +
    ' while the same worker already delivers the first children; the bare loop makes only the' +
    ' conditional PutItem calls, 16 in flight, on copies of a real child, into a scratch table of' +
    ' the same definition.';
  const rates = table(
    ['Figure', 'Herald', 'Baseline', 'Ratio'],
    [
      [
        'Children created per s (accepted → fanned_out)',
        `${fmtInt(f.createdPerSec)} (${fmtInt(f.children)} in ${fmt2(f.fanOutSeconds)} s)`,
        `bare PutItem loop ${fmtInt(f.bareLoopPerSec)}/s`,
        ratio(f.createdPerSec, f.bareLoopPerSec),
      ],
      [
        'Accept → last child delivered, children/s',
        `${fmtInt(f.deliveredPerSec)} (${fmtInt(f.subscribers)} in ${fmt2(f.deliverySeconds)} s)`,
        `worker ${workerRateText(f.worker)}`,
        ratio(f.deliveredPerSec, f.worker?.perSec),
      ],
    ],
    'lrlr',
  );
  const outcome =
    `The parent ended ${mdText(f.parentStatus ?? DASH)} with ${fmtInt(f.delivered)} children` +
    ` Delivered; the sink saw ${fmtInt(f.duplicates)} duplicate deliveries.`;
  const rss = f.rss;
  const tenths = (rss?.byTenth ?? []).map((p) => `${fmtInt(p?.rssMb)}`).join(', ');
  const memory =
    `Worker RSS through the fan-out (sampled every 250 ms): start ${fmtInt(rss?.startMb)} MB,` +
    ` peak ${fmtInt(rss?.peakMb)} MB, end ${fmtInt(rss?.endMb)} MB` +
    (isNum(rss?.peakMb) && isNum(rss.startMb)
      ? ` (peak − start ${fmtInt(rss.peakMb - rss.startMb)} MB)`
      : '') +
    (tenths ? `; peak per tenth of the children delivered: ${tenths} MB.` : '.') +
    ' The start is the worker just before the accept, nearly idle, so peak − start includes the' +
    ' step from idle to loaded (about 65 MB in the Backlog phase, for any load); flatness is' +
    ' judged from the second tenth on, as for the backlog.';
  const waits = table(
    [
      'Direct notifications, accept → claim',
      'probes',
      'rate',
      'p50 ms',
      'p99 ms',
      'max ms',
      'missing',
    ],
    [
      waitRow('Worker idle (before the fan-out)', f.waitIdle),
      waitRow('During the fan-out', f.waitDuringFanOut),
    ],
    'lrrrrrr',
  );
  const waitNote =
    'Queue wait: direct Slack notifications posted one at a time through the api; accept → claim' +
    ' is the `attempt_started` event’s time minus the `accepted` event’s (both written by Herald' +
    ' on this machine’s clock). Today children and direct sends share one work queue; the bulk' +
    ' queue (a lane of its own for children) changes this figure.';
  return section('Fan-out of a topic send', intro, rates, outcome, memory, waits, waitNote);
}

/** The Scheduled section; empty when the phase has no figures. */
export function scheduledSection(r: Results): string {
  const s = r.scheduled;
  if (!s) return '';
  const intro =
    `${fmtInt(s.notifications)} direct notifications with \`sendAt\` evenly spaced at` +
    ` ${fmtInt(s.rate)}/s (half the worker’s rate, ${workerRateText(s.worker)}) over` +
    ` ${fmt2(s.periodSeconds)} s, all posted before the first \`sendAt\` (${fmt2(s.leadSeconds)} s` +
    ' after the first post). Claim lag: the `attempt_started` event’s time minus the `sendAt`.';
  const lag = s.lag;
  const rows = table(
    [
      'Claim lag',
      'count',
      'p50 ms',
      'p90 ms',
      'p99 ms',
      'max ms',
      'claimed early',
      'never claimed',
    ],
    [
      [
        'Scheduled sends',
        fmtInt(lag?.count),
        fmtMs(lag?.p50),
        fmtMs(lag?.p90),
        fmtMs(lag?.p99),
        fmtMs(lag?.max),
        fmtInt(s.early),
        fmtInt(s.missing),
      ],
    ],
    'lrrrrrrr',
  );
  const path =
    'Every `sendAt` here is under 15 minutes ahead, so each notification travels as an SQS delay' +
    ' (rounded up to the second) and the claim refuses anything not yet due. A notification' +
    ' further than 15 minutes ahead takes the other path, the sweeper’s look-ahead (it is' +
    ' enqueued with its delay when its `sendAt` comes within reach of a sweep), which this phase' +
    ' does not exercise within a bench run.';
  return section('Scheduled sends', intro, rows, path);
}

/** Which phases of a merged report came from an earlier run; empty for a single run. */
export function mergedSection(r: Results): string {
  const merged = (r.mergedFrom ?? []).filter((m) => m?.phases?.length);
  if (merged.length === 0) return '';
  const lines = merged.map(
    (m) =>
      `- ${(m?.phases ?? []).map((p) => mdText(p)).join(', ')}: the run started` +
      ` ${mdText(m?.startedAt ?? DASH)} (\`${mdText(m?.command ?? DASH)}\`` +
      `${m?.herald ? `, Herald \`${mdText(m.herald)}\`` : ''})`,
  );
  return section(
    'Runs merged',
    'This report merges runs (`pnpm bench --merge`): the phases below keep their figures from an' +
      ' earlier run; every other figure, the machine and the versions are from the run started' +
      ` ${mdText(r.startedAt ?? DASH)}.`,
    lines.join('\n'),
  );
}
