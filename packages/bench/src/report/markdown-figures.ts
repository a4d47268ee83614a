/**
 * BENCHMARKS.md's sections on the measured figures: targets, throughput and latency, the
 * emulator floor, the worker and the accept → hand-off latency.
 */
import { httpFigures, workerFigures } from './figures';
import { DASH, fmtInt, fmtMs, isNum, med, runsOf, type FigureLike, type RunLike } from './format';
import { section, table } from './markdown-table';
import type { DeepPartial, HandoffFigure, ReportInput, TargetVerdict } from './results';
import { evaluateTargets } from './targets';

type Results = NonNullable<ReportInput>;

const MET: Readonly<Record<string, string>> = { true: '✅', false: '❌', null: DASH };

/** Value and note; a bare note when there is no value, since '—; S not measured' reads badly. */
function measuredCell(t: TargetVerdict): string {
  if (!t.note) return t.value;
  return t.value === DASH ? t.note : `${t.value}; ${t.note}`;
}

/** The targets table and how many were met, missed and not measured. */
export function targetsSection(r: Results): string {
  const targets = evaluateTargets(r);
  const rows = targets.map((t) => [t.target, measuredCell(t), MET[String(t.met)]]);
  const count = (met: boolean | null) => targets.filter((t) => t.met === met).length;
  const summary =
    `${count(true)} of ${targets.length} targets met, ${count(false)} missed,` +
    ` ${count(null)} not measured.`;
  return section('Targets', table(['Target', 'Measured', 'Met'], rows, 'lll'), summary);
}

/** Errors over all runs, not a median: a median would hide one bad run. */
function errorTotal(fig: FigureLike): number | undefined {
  const runs = runsOf(fig).filter((run) => isNum(run.errors) || isNum(run.non2xx));
  const count = (x: unknown) => (isNum(x) ? x : 0);
  if (runs.length === 0) {
    const m: RunLike = fig.median ?? {};
    return isNum(m.errors) || isNum(m.non2xx) ? count(m.errors) + count(m.non2xx) : undefined;
  }
  return runs.reduce((sum, run) => sum + count(run.errors) + count(run.non2xx), 0);
}

/** Every HTTP figure's medians, and the emulator floor under them. */
export function throughputSection(r: Results): string {
  const rows = httpFigures(r).map(({ fig, label }) => [
    label,
    fmtInt(med(fig, 'rps')),
    fmtMs(med(fig, 'p50')),
    fmtMs(med(fig, 'p90')),
    fmtMs(med(fig, 'p99')),
    fmtMs(med(fig, 'p999')),
    fmtInt(errorTotal(fig)),
  ]);
  const headers = ['Figure', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'errors'];
  const notes =
    'Latencies in ms. S makes the same AWS calls as ingest in a loop without HTTP: its req/s' +
    ' are loop iterations per second and its latencies are per iteration. The figures at half' +
    ' of peak are open-loop: requests go out evenly spaced at the offered rate' +
    ' (packages/bench/src/load/paced-load.ts, since autocannon’s `overallRate` sends each' +
    ' second’s quota in one burst) and each latency runs from when its request was due, so a stall in the server' +
    ' counts against every request it delays. The others are autocannon’s closed loop of 50' +
    ' connections. `errors` counts errors and non-2xx responses summed over all runs, not a' +
    ' median.';
  return section(
    'Throughput and latency',
    rows.length ? table(headers, rows, 'lrrrrrr') : 'No HTTP figures were measured.',
    rows.length ? notes : '',
    floorTable(r),
  );
}

/** The emulators' latency for the same calls made one at a time: what no load can go under. */
function floorTable(r: Results): string {
  const f = r.floor;
  if (!f) return '';
  const row = (label: string, x: RunLike | undefined) => [
    label,
    fmtMs(x?.p50),
    fmtMs(x?.p90),
    fmtMs(x?.p99),
  ];
  return (
    'Emulator latency floor — the same AWS calls made one at a time (concurrency 1, no HTTP):\n\n' +
    table(
      ['Calls', 'p50 ms', 'p90 ms', 'p99 ms'],
      [
        row('ingest: BatchWriteItem (its SendMessageBatch follows the answer)', f.ingest),
        row('status: consistent BatchGetItem', f.statusRead),
      ],
      'lrrr',
    )
  );
}

/** Each worker variant's median delivery rate. */
export function workerSection(r: Results): string {
  const figures = workerFigures(r);
  const rows = figures.map(({ fig, label }) => [label, fmtInt(med(fig, 'perSec'))]);
  const body = rows.length
    ? table(['Figure', 'notifications/s'], rows, 'lr')
    : 'No worker figures were measured.';
  return section('Worker', body);
}

/** The accept → hand-off latency at half of the end-to-end peak and at the comparison rate. */
export function handoffSection(r: Results): string {
  const row = (h: DeepPartial<HandoffFigure>, basis: string) => [
    isNum(h.rate) ? `${fmtInt(h.rate)}/s` : DASH,
    basis,
    ...['p50', 'p90', 'p99', 'max'].map((f) => fmtMs(med(h, f))),
    fmtInt(med(h, 'count')),
  ];
  const rows = [
    ...(r.handoff ? [row(r.handoff, 'half of the end-to-end peak (the target)')] : []),
    ...(r.handoffSoloHalf
      ? [row(r.handoffSoloHalf, 'half of min(ingest alone, worker alone)')]
      : []),
  ];
  const headers = [
    'Offered rate',
    'Rate is',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'max ms',
    'notifications',
  ];
  const peaks = r.handoff?.peaks;
  const text =
    'Milliseconds from the api’s 202 to the provider sink receiving the notification, with' +
    ' requests paced evenly at a fixed offered rate (packages/bench/src/load/paced-load.ts;' +
    ' autocannon’s `overallRate` sends each second’s requests in one burst).' +
    (peaks && isNum(peaks.endToEnd)
      ? ` The end-to-end peak is the delivery rate while ingest offers more than the stack can` +
        ` carry (${fmtInt(peaks.worker)}/s, the worker’s solo peak), so the api, the worker and` +
        ` the emulators share the two cores: ${fmtInt(peaks.endToEnd)} notifications/s.`
      : '');
  return section(
    'Accept → hand-off',
    text,
    rows.length ? table(headers, rows, 'rlrrrrr') : 'Not measured.',
  );
}
