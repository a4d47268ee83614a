/** BENCHMARKS.md's closing sections: every run of every figure, the CPU profiles, the notes. */
import { httpFigures, workerFigures } from './figures';
import { fixed, fmtInt, fmtMs, med, runsOf, type FigureLike, type RunLike } from './format';
import { fenced, mdText, section, table } from './markdown-table';
import type { ReportInput } from './results';

type Results = NonNullable<ReportInput>;

/** A column of a runs table: header, field, format. */
type Column = readonly [string, string, (v: unknown) => string];

function runsTable(fig: FigureLike, columns: readonly Column[]): string {
  const runs = runsOf(fig);
  if (runs.length === 0) return 'No runs recorded.';
  const row = (name: string, x: RunLike) => [
    name,
    ...columns.map(([, field, format]) => format(x[field])),
  ];
  const rows = runs.map((run, i) => row(String(i + 1), run));
  const medianRow = row('median', Object.fromEntries(columns.map(([, f]) => [f, med(fig, f)])));
  const headers = ['Run', ...columns.map(([h]) => h)];
  return table(headers, [...rows, medianRow], 'l' + 'r'.repeat(columns.length));
}

const HTTP_COLUMNS: readonly Column[] = [
  ['req/s', 'rps', fmtInt],
  ['p50 ms', 'p50', fmtMs],
  ['p90 ms', 'p90', fmtMs],
  ['p99 ms', 'p99', fmtMs],
  ['p99.9 ms', 'p999', fmtMs],
  ['errors', 'errors', fmtInt],
  ['non-2xx', 'non2xx', fmtInt],
];
const WORKER_COLUMNS: readonly Column[] = [
  ['notifications/s', 'perSec', fmtInt],
  ['delivered', 'delivered', fmtInt],
  ['seconds', 'seconds', (v) => fixed(v, 2)],
];
const HANDOFF_COLUMNS: readonly Column[] = [
  ['p50 ms', 'p50', fmtMs],
  ['p90 ms', 'p90', fmtMs],
  ['p99 ms', 'p99', fmtMs],
  ['max ms', 'max', fmtMs],
  ['count', 'count', fmtInt],
];

/** Every run of every figure, with its median row, so the medians can be checked. */
export function runsSection(r: Results): string {
  const figures: (readonly [string, FigureLike, readonly Column[]])[] = [
    ...httpFigures(r).map(({ fig, label }) => [label, fig, HTTP_COLUMNS] as const),
    ...workerFigures(r).map(({ fig, label }) => [label, fig, WORKER_COLUMNS] as const),
    ...(r.handoff
      ? [['Accept → hand-off, half of the end-to-end peak', r.handoff, HANDOFF_COLUMNS] as const]
      : []),
    ...(r.handoffSoloHalf
      ? [
          [
            'Accept → hand-off, half of min(ingest, worker)',
            r.handoffSoloHalf,
            HANDOFF_COLUMNS,
          ] as const,
        ]
      : []),
  ];
  const blocks = figures.map(
    ([label, fig, columns]) => `### ${mdText(label)}\n\n${runsTable(fig, columns)}`,
  );
  const text = 'Every run of every figure, so the medians above can be checked.';
  return section('Runs', text, ...(blocks.length ? blocks : ['No runs recorded.']));
}

/** The CPU profile summaries, each in its own code fence; '' when there are none. */
export function profilesSection(r: Results): string {
  const profiles = (r.profiles ?? []).filter((p) => p && p.text);
  if (profiles.length === 0) return '';
  return section(
    'Profiles',
    ...profiles.map((p) => `### ${mdText(p?.title ?? 'Profile')}\n\n${fenced(p?.text)}`),
  );
}

/** The run's notes and the explanations of missed targets, one bullet each; '' when none. */
export function notesSection(r: Results): string {
  const notes = (r.notes ?? []).filter((n): n is string => typeof n === 'string' && !!n.trim());
  if (notes.length === 0) return '';
  // Continuation lines are indented so a multi-line note stays one bullet.
  const bullet = (n: string) => `- ${n.trim().split('\n').join('\n  ')}`;
  return section('Notes', notes.map(bullet).join('\n'));
}
