/**
 * Which figures the report shows, in which order, under which labels. The runner labels its
 * figures; the defaults here label a saved file that lacks them.
 */
import { fmtInt, isNum, type FigureLike } from './format';
import type { ReportInput } from './results';

/** A figure with its key in the results and the label the report shows. */
export interface LabelledFigure {
  key: string;
  fig: FigureLike & { readonly label?: unknown; readonly rate?: unknown };
  label: string;
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

const DEFAULT_LABELS: Readonly<Record<string, string>> = {
  B: 'B — bare node:http hello world',
  ingest: 'Ingest — POST /v1/notifications',
  naive: 'Naive — express + PutItem + SendMessage',
  S: 'S — bare AWS SDK loop',
  statusGet: 'Status GET',
  longPoll: 'Long-poll GET',
  ingestHalf: 'Ingest at half of peak',
  statusHalf: 'Status GET at half of peak',
};

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;
const labelOf = (fig: { readonly label?: unknown }): string | undefined =>
  typeof fig.label === 'string' ? fig.label : undefined;

/** The HTTP figures present in `r` (S among them), in report order. */
export function httpFigures(r: NonNullable<ReportInput>): LabelledFigure[] {
  const http: Readonly<Record<string, unknown>> = r.http ?? {};
  const extra = Object.keys(http).filter((k) => !HTTP_ORDER.includes(k));
  return [...HTTP_ORDER, ...extra].flatMap((key) => {
    const fig: unknown = key === 'S' ? r.S : http[key];
    if (!isObject(fig)) return [];
    const figure = fig as LabelledFigure['fig'];
    return [{ key, fig: figure, label: figureLabel(key, figure) }];
  });
}

function figureLabel(key: string, fig: LabelledFigure['fig']): string {
  const label = labelOf(fig) ?? DEFAULT_LABELS[key] ?? key;
  // A fixed-rate run's req/s is the offered rate, so say what was offered.
  return isNum(fig.rate) ? `${label} (${fmtInt(fig.rate)} req/s offered)` : label;
}

const WORKER_ORDER = ['herald', 'bare', 'sqsConsumer'];
const WORKER_LABELS: Readonly<Record<string, string>> = {
  herald: 'Herald worker',
  bare: 'Bare ReceiveMessage(10) + DeleteMessageBatch loop',
  sqsConsumer: 'sqs-consumer version',
};

/** The worker figures present in `r`, in report order. */
export function workerFigures(r: NonNullable<ReportInput>): LabelledFigure[] {
  const worker: Readonly<Record<string, unknown>> = r.worker ?? {};
  const extra = Object.keys(worker).filter((k) => !WORKER_ORDER.includes(k));
  return [...WORKER_ORDER, ...extra].flatMap((key) => {
    const fig = worker[key];
    if (!isObject(fig)) return [];
    const figure = fig as LabelledFigure['fig'];
    return [{ key, fig: figure, label: labelOf(figure) ?? WORKER_LABELS[key] ?? key }];
  });
}
