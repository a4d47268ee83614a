/**
 * Number formatting and figure reading shared by the report's parts. Any figure may be missing
 * (its phase failed or was skipped): a missing number formats as '—', never as 'NaN' or
 * 'undefined'.
 */
import { median } from '../lib/stats';

/** What the report shows for a figure that was not measured. */
export const DASH = '—';

/** A finite number (a figure that was measured). */
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function groupThousands(s: string): string {
  const [int = '', frac] = s.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = int.slice(sign.length).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return sign + digits + (frac === undefined ? '' : `.${frac}`);
}

/** `v` with `decimals` decimals and thousands grouped ('1,234.5'); '—' when not a number. */
export function fixed(v: unknown, decimals: number): string {
  if (!isNum(v)) return DASH;
  const s = v.toFixed(decimals);
  // toFixed keeps the sign of tiny negatives ('-0.0'), which would read as a real decrease.
  return groupThousands(/^-0(\.0+)?$/.test(s) ? s.slice(1) : s);
}

export const fmtInt = (v: unknown): string => fixed(v, 0);
export const fmtMs = (v: unknown): string => fixed(v, 1);
export const fmt2 = (v: unknown): string => fixed(v, 2);
export const signed = (v: number, format: (v: number) => string): string =>
  (v > 0 ? '+' : '') + format(v);

/** Prices have up to three decimals ($0.625 per million writes); show them without rounding. */
export function fmtUsd(v: unknown): string {
  if (!isNum(v)) return DASH;
  return `$${fixed(v, 3).replace(/(\.\d\d)0$/, '$1')}`;
}

/** Seconds as '21 min 40 s' (or '40 s'). */
export function fmtDuration(s: unknown): string {
  if (!isNum(s)) return DASH;
  const total = Math.round(s);
  const min = Math.floor(total / 60);
  return min > 0 ? `${min} min ${total % 60} s` : `${total} s`;
}

/** A run of any figure, as the report reads it: named numbers, any of them missing. */
export type RunLike = Readonly<Record<string, unknown>>;

/** A figure as the report reads it: its runs and medians, either possibly missing. */
export interface FigureLike {
  readonly runs?: readonly (RunLike | null | undefined)[] | undefined;
  readonly median?: RunLike | undefined;
}

/** The runs of a figure that are objects (a saved file may hold anything). */
export const runsOf = (fig: FigureLike | null | undefined): RunLike[] =>
  Array.isArray(fig?.runs)
    ? fig.runs.filter((run): run is RunLike => run !== null && typeof run === 'object')
    : [];

/** The runner supplies medians; recompute one from the runs only if that field is missing. */
export function med(fig: FigureLike | null | undefined, field: string): number | undefined {
  const v = fig?.median?.[field];
  return isNum(v) ? v : median(runsOf(fig).map((run) => asNum(run[field])));
}

/** `v` if it is a finite number, else undefined. */
export const asNum = (v: unknown): number | undefined => (isNum(v) ? v : undefined);
