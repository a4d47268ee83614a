/**
 * Renders the results of one `pnpm bench` run: BENCHMARKS.md, the latency chart (SVG) and the
 * verdict on each target. Pure functions of the results object, so a saved results JSON can be
 * re-rendered without re-running the benchmark.
 *
 * Any figure may be missing (its phase failed or was skipped). It then renders as '—' and the
 * targets that need it come out as not measured (`met: null`), never as met or failed: a
 * benchmark that did not run proves nothing either way.
 */
import { median } from './stats.mjs';

const DASH = '—';

// ---------------------------------------------------------------------------------------------
// Numbers

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

function groupThousands(s) {
  const [int, frac] = s.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = int.slice(sign.length).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return sign + digits + (frac === undefined ? '' : `.${frac}`);
}

function fixed(v, decimals) {
  if (!isNum(v)) return DASH;
  const s = v.toFixed(decimals);
  // toFixed keeps the sign of tiny negatives ('-0.0'), which would read as a real decrease.
  return groupThousands(/^-0(\.0+)?$/.test(s) ? s.slice(1) : s);
}

const fmtInt = (v) => fixed(v, 0);
const fmtMs = (v) => fixed(v, 1);
const fmt2 = (v) => fixed(v, 2);
const signed = (v, format) => (v > 0 ? '+' : '') + format(v);

/** Prices have up to three decimals ($0.625 per million writes); show them without rounding. */
function fmtUsd(v) {
  if (!isNum(v)) return DASH;
  return `$${fixed(v, 3).replace(/(\.\d\d)0$/, '$1')}`;
}

function fmtDuration(s) {
  if (!isNum(s)) return DASH;
  const total = Math.round(s);
  const min = Math.floor(total / 60);
  return min > 0 ? `${min} min ${total % 60} s` : `${total} s`;
}

// ---------------------------------------------------------------------------------------------
// Reading the results

const runsOf = (fig) =>
  Array.isArray(fig?.runs) ? fig.runs.filter((run) => run && typeof run === 'object') : [];

/** The runner supplies medians; recompute one from the runs only if that field is missing. */
function med(fig, field) {
  const v = fig?.median?.[field];
  return isNum(v) ? v : median(runsOf(fig).map((run) => run[field]));
}

/** The HTTP figures in report order, S in its place among them; unknown extra keys go last. */
const HTTP_ORDER = [
  'B',
  'ingest',
  'naive',
  'S',
  'statusGet',
  'longPoll',
  'ingestHalf',
  'statusHalf',
];

const DEFAULT_LABELS = {
  B: 'B — bare node:http hello world',
  ingest: 'Ingest — POST /v1/notifications',
  naive: 'Naive — express + PutItem + SendMessage',
  S: 'S — bare AWS SDK loop',
  statusGet: 'Status GET',
  longPoll: 'Long-poll GET',
  ingestHalf: 'Ingest at half of peak',
  statusHalf: 'Status GET at half of peak',
};

function httpFigures(r) {
  const http = r.http ?? {};
  const extra = Object.keys(http).filter((k) => !HTTP_ORDER.includes(k));
  return [...HTTP_ORDER, ...extra]
    .map((key) => ({ key, fig: key === 'S' ? r.S : http[key] }))
    .filter(({ fig }) => fig && typeof fig === 'object')
    .map(({ key, fig }) => ({ key, fig, label: figureLabel(key, fig) }));
}

function figureLabel(key, fig) {
  const label = fig.label ?? DEFAULT_LABELS[key] ?? key;
  // A fixed-rate run's req/s is the offered rate, so say what was offered.
  return isNum(fig.rate) ? `${label} (${fmtInt(fig.rate)} req/s offered)` : label;
}

const WORKER_ORDER = ['herald', 'bare', 'sqsConsumer'];
const WORKER_LABELS = {
  herald: 'Herald worker',
  bare: 'Bare ReceiveMessage(10) + DeleteMessageBatch loop',
  sqsConsumer: 'sqs-consumer version',
};

function workerFigures(r) {
  const worker = r.worker ?? {};
  const extra = Object.keys(worker).filter((k) => !WORKER_ORDER.includes(k));
  return [...WORKER_ORDER, ...extra]
    .filter((key) => worker[key] && typeof worker[key] === 'object')
    .map((key) => ({
      key,
      fig: worker[key],
      label: worker[key].label ?? WORKER_LABELS[key] ?? key,
    }));
}

// ---------------------------------------------------------------------------------------------
// Targets

const verdict = (name, target, value, met, note = '') => ({ name, target, value, met, note });

/** `value ≥ factor × base`, e.g. Ingest ≥ 0.9 × S. */
function atLeastTimes({ name, target, value, base, factor, unit, what, baseName }) {
  if (!isNum(value)) return verdict(name, target, DASH, null, `${what} not measured`);
  const shown = `${fmtInt(value)} ${unit}`;
  if (!isNum(base) || base <= 0) {
    return verdict(name, target, shown, null, `${baseName} not measured`);
  }
  const ratio = `${(value / base).toFixed(2)} × ${baseName} (${fmtInt(base)})`;
  // The ratio is rounded for display, so say the exact bar to clear.
  const note = `needs ≥ ${fmtInt(factor * base)} ${unit}`;
  return verdict(name, target, `${shown} = ${ratio}`, value >= factor * base, note);
}

/** `value ≤ limit`, e.g. p99 ≤ 25 ms. */
function atMost({ name, target, value, limit, format, what, note = '' }) {
  if (!isNum(value)) return verdict(name, target, DASH, null, `${what} not measured`);
  return verdict(name, target, format(value), value <= limit, note);
}

const ms = (v) => `${fmtMs(v)} ms`;
const perNotification = (v) => `${fmt2(v)} per notification`;
const atRate = (rate, unit) => (isNum(rate) ? ` at ${fmtInt(rate)} ${unit}` : '');

function ingestErrors(http) {
  const name = 'Ingest errors';
  const target = 'Ingest errors = 0 (errors + non-2xx, full load and half of peak)';
  const phases = [
    ['Ingest', http.ingest],
    ['Ingest at half of peak', http.ingestHalf],
  ];
  let errors = 0;
  let non2xx = 0;
  let runs = 0;
  const missing = [];
  const counted = (x) => isNum(x.errors) || isNum(x.non2xx);
  for (const [what, fig] of phases) {
    let samples = runsOf(fig).filter(counted);
    // Without per-run figures a median is the best evidence there is; better than nothing.
    if (samples.length === 0 && fig?.median && counted(fig.median)) samples = [fig.median];
    if (samples.length === 0) missing.push(what);
    for (const s of samples) {
      errors += isNum(s.errors) ? s.errors : 0;
      non2xx += isNum(s.non2xx) ? s.non2xx : 0;
    }
    runs += samples.length;
  }
  if (runs === 0) return verdict(name, target, DASH, null, 'ingest not measured');
  const value = `${fmtInt(errors)} errors + ${fmtInt(non2xx)} non-2xx over ${runs} runs`;
  const note = missing.length ? `${missing.join(', ')} not measured` : '';
  // Any error fails the target; zero errors in only some phases says nothing about the others.
  const met = errors + non2xx > 0 ? false : missing.length ? null : true;
  return verdict(name, target, value, met, note);
}

function statusP99(http) {
  const half = med(http.statusHalf, 'p99');
  const useHalf = isNum(half);
  return atMost({
    name: 'Status GET p99',
    target: 'Status GET p99 ≤ 15 ms',
    value: useHalf ? half : med(http.statusGet, 'p99'),
    limit: 15,
    format: (v) => `${ms(v)}${useHalf ? atRate(http.statusHalf?.rate, 'req/s') : ''}`,
    what: 'Status GET',
    note: useHalf ? 'Status GET at half of peak' : 'Status GET at full load (no half-of-peak run)',
  });
}

function dynamoWrites(cost) {
  const per = cost?.perNotification ?? {};
  const total = isNum(per.dynamoWcuTotal)
    ? per.dynamoWcuTotal
    : isNum(per.dynamoWcuTable) && isNum(per.dynamoWcuIndexes)
      ? per.dynamoWcuTable + per.dynamoWcuIndexes
      : undefined;
  return atMost({
    name: 'DynamoDB writes',
    target: '≤ 3 DynamoDB write units per delivered notification',
    value: total,
    limit: 3,
    format: (v) => `${fmt2(v)} WCU per notification`,
    what: 'DynamoDB write units',
    note: `table ${fmt2(per.dynamoWcuTable)} + indexes ${fmt2(per.dynamoWcuIndexes)}`,
  });
}

/** Peak RSS: the larger of the peak under load and the highest sample while a backlog stood. */
function peakRss({ name, target, peak, backlog, limit }) {
  const backlogMax = Math.max(...backlog.map((p) => p?.rssMb).filter(isNum));
  const sources = [
    ['under load', peak],
    ['under backlog', isNum(backlogMax) ? backlogMax : undefined],
  ];
  const measured = sources.filter(([, v]) => isNum(v));
  if (measured.length === 0) return verdict(name, target, DASH, null, 'RSS not measured');
  const top = Math.max(...measured.map(([, v]) => v));
  // The max of what was measured; the note says if one of the two sources is missing.
  const note = sources.map(([from, v]) => `${from} ${isNum(v) ? `${fmtInt(v)} MB` : DASH}`);
  return verdict(name, target, `${fmtInt(top)} MB`, top <= limit, note.join(', '));
}

/**
 * Flat: from the second tenth of the backlog to the last, RSS grew by at most 20 % or by at most
 * 25 MB. The first tenth is left out because it holds the step from idle to loaded (the heap
 * growing to its working size as load starts), which is not growth with the backlog.
 */
function flatRss({ name, target, series, key, keyLabel }) {
  const points = (series ?? []).filter((p) => isNum(p?.rssMb));
  if (points.length < 2) {
    const why = points.length === 1 ? 'only one RSS sample' : 'RSS under backlog not measured';
    return verdict(name, target, DASH, null, why);
  }
  const first = points.length > 2 ? points[1] : points[0];
  const last = points[points.length - 1];
  const growth = last.rssMb - first.rssMb;
  const pct = first.rssMb > 0 ? `, ${signed((growth / first.rssMb) * 100, fmtInt)} %` : '';
  const value = `${fmtInt(first.rssMb)} → ${fmtInt(last.rssMb)} MB (${signed(growth, fmtInt)} MB${pct})`;
  const met = growth <= 25 || (first.rssMb > 0 && growth <= 0.2 * first.rssMb);
  const note = `${keyLabel} ${fmtInt(first[key])} → ${fmtInt(last[key])}`;
  return verdict(name, target, value, met, note);
}

export function evaluateTargets(results) {
  const r = results ?? {};
  const http = r.http ?? {};
  const worker = r.worker ?? {};
  const handoff = r.handoff;
  const memory = r.memory ?? {};
  const rps = (fig) => med(fig, 'rps');
  const perSec = (fig) => med(fig, 'perSec');
  return [
    atLeastTimes({
      name: 'Ingest vs bare SDK loop',
      target: 'Ingest ≥ 0.9 × S (req/s)',
      value: rps(http.ingest),
      base: rps(r.S),
      factor: 0.9,
      unit: 'req/s',
      what: 'Ingest',
      baseName: 'S',
    }),
    atLeastTimes({
      name: 'Ingest vs naive',
      target: 'Ingest ≥ 1.5 × Naive (req/s)',
      value: rps(http.ingest),
      base: rps(http.naive),
      factor: 1.5,
      unit: 'req/s',
      what: 'Ingest',
      baseName: 'Naive',
    }),
    ingestErrors(http),
    atMost({
      name: 'Ingest p99 at half of peak',
      target: 'Ingest p99 ≤ 25 ms at half of peak',
      value: med(http.ingestHalf, 'p99'),
      limit: 25,
      format: (v) => `${ms(v)}${atRate(http.ingestHalf?.rate, 'req/s')}`,
      what: 'Ingest at half of peak',
    }),
    atLeastTimes({
      name: 'Status GET vs bare HTTP',
      target: 'Status GET ≥ 0.4 × B (req/s)',
      value: rps(http.statusGet),
      base: rps(http.B),
      factor: 0.4,
      unit: 'req/s',
      what: 'Status GET',
      baseName: 'B',
    }),
    statusP99(http),
    atLeastTimes({
      name: 'Worker vs bare loop',
      target: 'Worker ≥ 0.9 × bare loop (notifications/s)',
      value: perSec(worker.herald),
      base: perSec(worker.bare),
      factor: 0.9,
      unit: 'notifications/s',
      what: 'Herald worker',
      baseName: 'bare loop',
    }),
    atLeastTimes({
      name: 'Worker vs sqs-consumer',
      target: 'Worker ≥ 1.5 × sqs-consumer (notifications/s)',
      value: perSec(worker.herald),
      base: perSec(worker.sqsConsumer),
      factor: 1.5,
      unit: 'notifications/s',
      what: 'Herald worker',
      baseName: 'sqs-consumer',
    }),
    atMost({
      name: 'Hand-off p50',
      target: 'Accept → hand-off p50 ≤ 50 ms',
      value: med(handoff, 'p50'),
      limit: 50,
      format: (v) => `${ms(v)}${atRate(handoff?.rate, 'notifications/s')}`,
      what: 'Hand-off',
    }),
    atMost({
      name: 'Hand-off p99',
      target: 'Accept → hand-off p99 ≤ 250 ms',
      value: med(handoff, 'p99'),
      limit: 250,
      format: (v) => `${ms(v)}${atRate(handoff?.rate, 'notifications/s')}`,
      what: 'Hand-off',
    }),
    dynamoWrites(r.cost),
    atMost({
      name: 'SQS requests',
      target: '≤ 0.5 SQS requests per delivered notification',
      value: r.cost?.perNotification?.sqsRequests,
      limit: 0.5,
      format: perNotification,
      what: 'SQS requests',
    }),
    peakRss({
      name: 'api memory',
      target: 'api ≤ 200 MB RSS at peak',
      peak: memory.apiPeakMb,
      backlog: memory.apiBacklog ?? [],
      limit: 200,
    }),
    peakRss({
      name: 'worker memory',
      target: 'worker ≤ 200 MB RSS at peak',
      peak: memory.workerPeakMb,
      backlog: memory.workerBacklog ?? [],
      limit: 200,
    }),
    flatRss({
      name: 'api memory under backlog',
      target: 'api RSS flat while the backlog grows (from its 2nd tenth: growth ≤ 20 % or ≤ 25 MB)',
      series: memory.apiBacklog,
      key: 'backlog',
      keyLabel: 'backlog',
    }),
    flatRss({
      name: 'worker memory under backlog',
      target:
        'worker RSS flat while it drains the backlog (from its 2nd tenth: growth ≤ 20 % or ≤ 25 MB)',
      series: memory.workerBacklog,
      key: 'remaining',
      keyLabel: 'remaining',
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** Labels come from the runner; a '<' in one must not start an HTML tag on GitHub. */
const mdText = (v) => String(v).replace(/</g, '\\<');

const mdCell = (v) =>
  mdText(v ?? DASH)
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');

/** Terminal columns: the check marks are wide characters. */
const displayWidth = (s) => [...s].length + (s.match(/[\u2705\u274C]/g) ?? []).length;

function pad(s, width, align) {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return align === 'r' ? fill + s : s + fill;
}

/**
 * A markdown table padded to aligned columns, so the file also reads well in a terminal.
 * `align` is one letter per column: 'l' or 'r' (numbers).
 */
function table(headers, rows, align = '') {
  const cells = [headers, ...rows].map((row) => row.map(mdCell));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((row) => displayWidth(row[i]))));
  const line = (row) => `| ${row.map((c, i) => pad(c, widths[i], align[i])).join(' | ')} |`;
  const rule = widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)));
  return [line(cells[0]), `| ${rule.join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

const section = (title, ...blocks) => [`## ${title}`, ...blocks.filter(Boolean)].join('\n\n');

function intro(r) {
  const repeats = r.settings?.repeats;
  const runs = isNum(repeats) ? `the median of ${repeats} runs` : 'the median of its runs';
  const when = r.startedAt ? ` started ${r.startedAt}` : '';
  const versions = r.versions ?? {};
  const emulated =
    versions.dynalite || versions.fauxqs
      ? ' AWS is emulated locally (dynalite for DynamoDB, fauxqs for SQS and SNS), so the' +
        ' figures compare implementations on this machine; they are not AWS latencies.'
      : '';
  return (
    'What was measured: the api’s ingest (POST /v1/notifications) and status reads, against a' +
    ' bare node:http server (B), a bare AWS SDK loop without HTTP (S) and a naive express' +
    ' implementation; the worker’s delivery rate against a bare ReceiveMessage /' +
    ' DeleteMessageBatch loop and sqs-consumer; the accept → hand-off latency; the AWS calls and' +
    ` cost per notification; and memory under load and under a backlog.${emulated}` +
    ` Every figure is ${runs} in one run of \`${r.command ?? 'pnpm bench'}\`${when}.` +
    ' This file is generated by that command; do not edit it by hand.'
  );
}

const VERSION_NAMES = {
  herald: 'Herald',
  autocannon: 'autocannon',
  dynalite: 'dynalite',
  fauxqs: 'fauxqs',
  awsSdk: 'AWS SDK',
  express: 'express',
  sqsConsumer: 'sqs-consumer',
};

function machineSection(r) {
  const m = r.machine ?? {};
  const s = r.settings ?? {};
  const cpus = isNum(m.cpus) ? `${m.cpus} × ${m.cpuModel ?? 'unknown CPU'}` : (m.cpuModel ?? DASH);
  const versions = Object.entries(r.versions ?? {}).map(
    ([k, v]) => `${VERSION_NAMES[k] ?? k} ${k === 'herald' ? `\`${v}\`` : v}`,
  );
  const load =
    `${fmtInt(s.connections)} connections, ${fmtInt(s.durationS)} s per run after a` +
    ` ${fmtInt(s.warmupS)} s warm-up, ${fmtInt(s.repeats)} runs per figure`;
  const bullets = [
    `CPU: ${cpus}` +
      (isNum(m.cpuStealPercent)
        ? ` — during the run ${fmt2(m.cpuStealPercent)} % of CPU time was stolen by the` +
          ` hypervisor and ${fmt2(m.cpuIdlePercent)} % was idle`
        : ''),
    `Memory: ${isNum(m.memGiB) ? `${fmt2(m.memGiB).replace(/\.00$/, '')} GiB` : DASH}`,
    `OS: ${m.os ?? DASH}`,
    `Node: ${m.node ?? DASH}`,
    `Versions: ${versions.length ? versions.join(', ') : DASH}`,
    `HTTP load: ${load}`,
    `Worker: ${fmtInt(s.workerMessages)} messages per run; backlog: ${fmtInt(s.backlog)} messages`,
    `Started: ${r.startedAt ?? DASH}; the whole run took ${fmtDuration(r.durationS)}`,
  ];
  return section('Machine', bullets.map((b) => `- ${b}`).join('\n'));
}

function howToRunSection(r) {
  const cmd = r.command ?? 'pnpm bench';
  return section('How to run', ['```sh', cmd, '```'].join('\n'));
}

const MET = { true: '✅', false: '❌', null: DASH };

/** Value and note; a bare note when there is no value, since '—; S not measured' reads badly. */
function measuredCell(t) {
  if (!t.note) return t.value;
  return t.value === DASH ? t.note : `${t.value}; ${t.note}`;
}

function targetsSection(r) {
  const targets = evaluateTargets(r);
  const rows = targets.map((t) => [t.target, measuredCell(t), MET[String(t.met)]]);
  const count = (met) => targets.filter((t) => t.met === met).length;
  const summary =
    `${count(true)} of ${targets.length} targets met, ${count(false)} missed,` +
    ` ${count(null)} not measured.`;
  return section('Targets', table(['Target', 'Measured', 'Met'], rows, 'lll'), summary);
}

/** Errors over all runs, not a median: a median would hide one bad run. */
function errorTotal(fig) {
  const runs = runsOf(fig).filter((run) => isNum(run.errors) || isNum(run.non2xx));
  if (runs.length === 0) {
    const m = fig?.median ?? {};
    return isNum(m.errors) || isNum(m.non2xx) ? (m.errors ?? 0) + (m.non2xx ?? 0) : undefined;
  }
  return runs.reduce((sum, run) => sum + (run.errors ?? 0) + (run.non2xx ?? 0), 0);
}

function throughputSection(r) {
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
    ' (lib/paced-load.mjs, since autocannon’s `overallRate` sends each second’s quota in one' +
    ' burst) and each latency runs from when its request was due, so a stall in the server' +
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
function floorTable(r) {
  const f = r.floor;
  if (!f) return '';
  const row = (label, x) => [label, fmtMs(x?.p50), fmtMs(x?.p90), fmtMs(x?.p99)];
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

function workerSection(r) {
  const figures = workerFigures(r);
  const rows = figures.map(({ fig, label }) => [label, fmtInt(med(fig, 'perSec'))]);
  const body = rows.length
    ? table(['Figure', 'notifications/s'], rows, 'lr')
    : 'No worker figures were measured.';
  return section('Worker', body);
}

function handoffSection(r) {
  const row = (h, basis) => [
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
    ' requests paced evenly at a fixed offered rate (lib/paced-load.mjs; autocannon’s' +
    ' `overallRate` sends each second’s requests in one burst).' +
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

function costSection(r) {
  const c = r.cost;
  if (!c) return section('Cost per notification', 'Not measured.');
  const b = r.costBurst;
  const t = r.costTuned;
  const runs = [c, ...(b ? [b] : []), ...(t ? [t] : [])];
  const n = c.notifications;
  const perRows = [
    ['DynamoDB write units, table', 'dynamoWcuTable'],
    ['DynamoDB write units, indexes', 'dynamoWcuIndexes'],
    ['DynamoDB write units, total', 'dynamoWcuTotal'],
    ['DynamoDB read units', 'dynamoRcu'],
    ['SQS requests', 'sqsRequests'],
    ['SNS publishes', 'snsPublishes'],
  ].map(([what, field]) => [what, ...runs.map((run) => fmt2(run.perNotification?.[field]))]);
  if (runs.length > 1) {
    perRows.push([
      'USD per million notifications',
      ...runs.map((run) => fmtUsd(run.usdPerMillion?.total)),
    ]);
    for (const [what, field] of [
      ['Accept → hand-off p50, ms', 'p50'],
      ['Accept → hand-off p99, ms', 'p99'],
    ]) {
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
    .sort(([a], [b]) => a.localeCompare(b))
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

function usdTable(c) {
  const p = c.pricesUsd ?? {};
  const usd = c.usdPerMillion ?? {};
  const rows = [
    ['DynamoDB writes', fmtUsd(p.perMillionWrites), 'write request units', usd.dynamoWrites],
    ['DynamoDB reads', fmtUsd(p.perMillionReads), 'read request units', usd.dynamoReads],
    ['SQS', fmtUsd(p.perMillionSqs), 'requests', usd.sqs],
    ['SNS', fmtUsd(p.perMillionSnsPublishes), 'publishes', usd.sns],
  ].map(([what, price, per, v]) => [
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

function memorySection(r) {
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

function chartSection() {
  return section('Latency chart', '![Latency percentiles](benchmarks-latency.svg)');
}

function runsTable(fig, columns) {
  const runs = runsOf(fig);
  if (runs.length === 0) return 'No runs recorded.';
  const row = (name, x) => [name, ...columns.map(([, field, format]) => format(x?.[field]))];
  const rows = runs.map((run, i) => row(String(i + 1), run));
  const medianRow = row('median', Object.fromEntries(columns.map(([, f]) => [f, med(fig, f)])));
  const headers = ['Run', ...columns.map(([h]) => h)];
  return table(headers, [...rows, medianRow], 'l' + 'r'.repeat(columns.length));
}

const HTTP_COLUMNS = [
  ['req/s', 'rps', fmtInt],
  ['p50 ms', 'p50', fmtMs],
  ['p90 ms', 'p90', fmtMs],
  ['p99 ms', 'p99', fmtMs],
  ['p99.9 ms', 'p999', fmtMs],
  ['errors', 'errors', fmtInt],
  ['non-2xx', 'non2xx', fmtInt],
];
const WORKER_COLUMNS = [
  ['notifications/s', 'perSec', fmtInt],
  ['delivered', 'delivered', fmtInt],
  ['seconds', 'seconds', (v) => fixed(v, 2)],
];
const HANDOFF_COLUMNS = [
  ['p50 ms', 'p50', fmtMs],
  ['p90 ms', 'p90', fmtMs],
  ['p99 ms', 'p99', fmtMs],
  ['max ms', 'max', fmtMs],
  ['count', 'count', fmtInt],
];

function runsSection(r) {
  const blocks = [
    ...httpFigures(r).map(({ fig, label }) => [label, fig, HTTP_COLUMNS]),
    ...workerFigures(r).map(({ fig, label }) => [label, fig, WORKER_COLUMNS]),
    ...(r.handoff
      ? [['Accept → hand-off, half of the end-to-end peak', r.handoff, HANDOFF_COLUMNS]]
      : []),
    ...(r.handoffSoloHalf
      ? [['Accept → hand-off, half of min(ingest, worker)', r.handoffSoloHalf, HANDOFF_COLUMNS]]
      : []),
  ].map(([label, fig, columns]) => `### ${mdText(label)}\n\n${runsTable(fig, columns)}`);
  const text = 'Every run of every figure, so the medians above can be checked.';
  return section('Runs', text, ...(blocks.length ? blocks : ['No runs recorded.']));
}

/** A code fence longer than any backtick run in the text, so profile output cannot break it. */
function fenced(text) {
  const longest = Math.max(0, ...(String(text).match(/`+/g) ?? []).map((s) => s.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${String(text).replace(/\n+$/, '')}\n${fence}`;
}

function profilesSection(r) {
  const profiles = (r.profiles ?? []).filter((p) => p && p.text);
  if (profiles.length === 0) return '';
  return section(
    'Profiles',
    ...profiles.map((p) => `### ${mdText(p.title ?? 'Profile')}\n\n${fenced(p.text)}`),
  );
}

function notesSection(r) {
  const notes = (r.notes ?? []).filter((n) => typeof n === 'string' && n.trim());
  if (notes.length === 0) return '';
  // Continuation lines are indented so a multi-line note stays one bullet.
  const bullet = (n) => `- ${n.trim().split('\n').join('\n  ')}`;
  return section('Notes', notes.map(bullet).join('\n'));
}

export function renderMarkdown(results) {
  const r = results ?? {};
  const blocks = [
    '# Herald benchmarks',
    intro(r),
    machineSection(r),
    howToRunSection(r),
    targetsSection(r),
    throughputSection(r),
    workerSection(r),
    handoffSection(r),
    costSection(r),
    memorySection(r),
    chartSection(),
    runsSection(r),
    profilesSection(r),
    notesSection(r),
  ];
  return `${blocks.filter(Boolean).join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// SVG chart

const esc = (s) =>
  String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** Coordinates to 0.1 px: enough for a chart, and keeps the file small and diffable. */
const px = (v) => String(Math.round(v * 10) / 10);

const PERCENTILES = [
  { field: 'p50', label: 'p50', color: '#9ecae1' },
  { field: 'p90', label: 'p90', color: '#4292c6' },
  { field: 'p99', label: 'p99', color: '#08519c' },
  { field: 'p999', label: 'p99.9', color: '#e6550d' },
];

/** Short x-axis labels: nine groups share ~800 px, so each label has room for ~13 characters. */
const CHART_FIGURES = [
  ['B', (r) => r.http?.B],
  ['Ingest', (r) => r.http?.ingest],
  ['Naive', (r) => r.http?.naive],
  ['S', (r) => r.S],
  ['Status GET', (r) => r.http?.statusGet],
  ['Long-poll', (r) => r.http?.longPoll],
  ['Ingest ½ peak', (r) => r.http?.ingestHalf],
  ['Status ½ peak', (r) => r.http?.statusHalf],
  ['Hand-off', (r) => r.handoff],
];

function chartFigures(r) {
  return CHART_FIGURES.map(([short, pick]) => {
    const fig = pick(r);
    const values = PERCENTILES.map((p) => med(fig, p.field));
    return { short, label: fig?.label ?? short, values };
  }).filter((f) => f.values.some(isNum));
}

/** Whole decades around the data; clamped so one odd value cannot stretch the axis absurdly. */
function logRange(figures) {
  const positive = figures.flatMap((f) => f.values).filter((v) => isNum(v) && v > 0);
  if (positive.length === 0) return { lo: -1, hi: 3 };
  // Start a little below the smallest value so its bar is still visible.
  const lo = Math.max(-3, Math.floor(Math.log10(Math.min(...positive)) - 0.05));
  const hi = Math.min(7, Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...positive)))));
  return { lo, hi };
}

const decadeLabel = (k) => (k < 0 ? (10 ** k).toFixed(-k) : fmtInt(10 ** k));

const CHART = { width: 900, height: 470, left: 72, right: 20, top: 78, bottom: 96 };
const FONT = 'font-family="system-ui, -apple-system, \'Segoe UI\', Helvetica, Arial, sans-serif"';

function yAxis(plot, { lo, hi }, y) {
  const out = [];
  for (let k = lo; k <= hi; k++) {
    for (let m = 2; m <= 9 && k < hi; m++) {
      const yy = px(y(m * 10 ** k));
      out.push(`<line x1="${plot.x0}" x2="${plot.x1}" y1="${yy}" y2="${yy}" stroke="#f0f0f0"/>`);
    }
    const yy = px(y(10 ** k));
    out.push(`<line x1="${plot.x0}" x2="${plot.x1}" y1="${yy}" y2="${yy}" stroke="#d0d0d0"/>`);
    out.push(
      `<text x="${plot.x0 - 8}" y="${yy}" text-anchor="end" dominant-baseline="middle">` +
        `${esc(decadeLabel(k))}</text>`,
    );
  }
  const midY = px((plot.y0 + plot.y1) / 2);
  out.push(
    `<text x="18" y="${midY}" text-anchor="middle" transform="rotate(-90 18 ${midY})">` +
      'latency, ms (log scale)</text>',
  );
  return out;
}

function bars(plot, figures, { lo }, y) {
  const groupW = (plot.x1 - plot.x0) / figures.length;
  const barW = Math.min(18, (groupW * 0.8) / PERCENTILES.length);
  const out = [];
  figures.forEach((f, g) => {
    const cx = plot.x0 + groupW * (g + 0.5);
    const start = cx - (barW * PERCENTILES.length) / 2;
    PERCENTILES.forEach((p, i) => {
      const v = f.values[i];
      if (!isNum(v)) return;
      // Values at or below the axis floor (a 0 ms percentile) still get a 2 px stub to show up.
      const top = Math.min(y(Math.max(v, 10 ** lo)), plot.y1 - 2);
      const tip = `${f.label} ${p.label}: ${fmtMs(v)} ms`;
      out.push(
        `<rect x="${px(start + i * barW)}" y="${px(top)}" width="${px(barW - 1)}"` +
          ` height="${px(plot.y1 - top)}" fill="${p.color}"><title>${esc(tip)}</title></rect>`,
      );
    });
    out.push(xLabel(f.short, cx, plot.y1 + 20, groupW - 6));
  });
  return out;
}

/** Rough width of 13 px sans-serif text: good enough to decide whether a label must wrap. */
const textWidth = (s) => [...s].length * 13 * 0.6;

/** An x-axis label, on two lines if it is wider than its group (e.g. 'Status ½ peak'). */
function xLabel(label, cx, y, room) {
  const words = label.split(' ');
  if (textWidth(label) <= room || words.length < 2) {
    return `<text x="${px(cx)}" y="${y}" text-anchor="middle">${esc(label)}</text>`;
  }
  // Break at the space that leaves the longer line shortest.
  let best = 1;
  const longer = (i) =>
    Math.max(words.slice(0, i).join(' ').length, words.slice(i).join(' ').length);
  for (let i = 2; i < words.length; i++) if (longer(i) < longer(best)) best = i;
  const lines = [words.slice(0, best).join(' '), words.slice(best).join(' ')];
  const tspans = lines.map(
    (line, i) => `<tspan x="${px(cx)}" dy="${i === 0 ? 0 : 15}">${esc(line)}</tspan>`,
  );
  return `<text x="${px(cx)}" y="${y}" text-anchor="middle">${tspans.join('')}</text>`;
}

function legend(plot) {
  return PERCENTILES.map((p, i) => {
    const x = plot.x0 + i * 90;
    return (
      `<rect x="${x}" y="44" width="14" height="14" fill="${p.color}"/>` +
      `<text x="${x + 20}" y="51" dominant-baseline="middle">${esc(p.label)}</text>`
    );
  });
}

export function renderChartSvg(results) {
  const r = results ?? {};
  const { width, height } = CHART;
  const plot = {
    x0: CHART.left,
    x1: width - CHART.right,
    y0: CHART.top,
    y1: height - CHART.bottom,
  };
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"` +
      ` viewBox="0 0 ${width} ${height}" ${FONT} font-size="13" fill="#222">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${plot.x0}" y="28" font-size="17" font-weight="bold">` +
      'Latency percentiles (median of runs), ms</text>',
  ];
  const figures = chartFigures(r);
  if (figures.length === 0) {
    out.push(`<text x="${plot.x0}" y="${plot.y0 + 40}">No latency figures were measured.</text>`);
  } else {
    const range = logRange(figures);
    const y = (v) =>
      plot.y1 - ((Math.log10(v) - range.lo) / (range.hi - range.lo)) * (plot.y1 - plot.y0);
    out.push(
      ...legend(plot),
      ...yAxis(plot, range, y),
      ...bars(plot, figures, range, y),
      `<line x1="${plot.x0}" x2="${plot.x1}" y1="${plot.y1}" y2="${plot.y1}" stroke="#888"/>`,
      `<line x1="${plot.x0}" x2="${plot.x0}" y1="${plot.y0}" y2="${plot.y1}" stroke="#888"/>`,
      `<text x="${px((plot.x0 + plot.x1) / 2)}" y="${plot.y1 + 58}" text-anchor="middle">` +
        'figure</text>',
      `<text x="${plot.x0}" y="${height - 14}" font-size="11" fill="#555">` +
        esc(
          '½ peak: fixed rate at half of the measured peak. S: per SDK-loop iteration.' +
            ' Hand-off: 202 → provider sink. Missing bars were not measured.',
        ) +
        '</text>',
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
