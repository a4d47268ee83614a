/**
 * The shapes of target: a figure at least a multiple of its baseline, a figure at most a limit,
 * peak RSS and flat RSS. Each returns a verdict, not measured (`met: null`) when its figure is
 * missing.
 */
import { DASH, fmtInt, isNum, signed } from './format';
import type { TargetVerdict } from './results';

/** A verdict; `met: null` when a figure it needs was not measured. */
export const verdict = (
  name: string,
  target: string,
  value: string,
  met: boolean | null,
  note = '',
): TargetVerdict => ({ name, target, value, met, note });

/** `value ≥ factor × base`, e.g. Ingest ≥ 0.9 × S. */
export function atLeastTimes(o: {
  name: string;
  target: string;
  value: number | undefined;
  base: number | undefined;
  factor: number;
  unit: string;
  what: string;
  baseName: string;
}): TargetVerdict {
  const { name, target, value, base, factor, unit, what, baseName } = o;
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
export function atMost(o: {
  name: string;
  target: string;
  value: number | undefined;
  limit: number;
  format: (v: number) => string;
  what: string;
  note?: string;
}): TargetVerdict {
  const { name, target, value, limit, format, what, note = '' } = o;
  if (!isNum(value)) return verdict(name, target, DASH, null, `${what} not measured`);
  return verdict(name, target, format(value), value <= limit, note);
}

type RssPoint = { readonly rssMb?: unknown } | null | undefined;

/** Peak RSS: the larger of the peak under load and the highest sample while a backlog stood. */
export function peakRss(o: {
  name: string;
  target: string;
  peak: number | undefined;
  backlog: readonly RssPoint[];
  limit: number;
}): TargetVerdict {
  const { name, target, peak, backlog, limit } = o;
  const backlogMax = Math.max(...backlog.map((p) => p?.rssMb).filter(isNum));
  const sources: [string, number | undefined][] = [
    ['under load', peak],
    ['under backlog', isNum(backlogMax) ? backlogMax : undefined],
  ];
  const measured = sources.flatMap(([, v]) => (isNum(v) ? [v] : []));
  if (measured.length === 0) return verdict(name, target, DASH, null, 'RSS not measured');
  const top = Math.max(...measured);
  // The max of what was measured; the note says if one of the two sources is missing.
  const note = sources.map(([from, v]) => `${from} ${isNum(v) ? `${fmtInt(v)} MB` : DASH}`);
  return verdict(name, target, `${fmtInt(top)} MB`, top <= limit, note.join(', '));
}

/**
 * Flat: from the second tenth of the backlog to the last, RSS grew by at most 20 % or by at most
 * 25 MB. The first tenth is left out because it holds the step from idle to loaded (the heap
 * growing to its working size as load starts), which is not growth with the backlog.
 */
export function flatRss(o: {
  name: string;
  target: string;
  series: readonly (Readonly<Record<string, unknown>> | null | undefined)[] | undefined;
  key: string;
  keyLabel: string;
  /** The note when there is no series (default: the backlog's). */
  notMeasured?: string;
}): TargetVerdict {
  const { name, target, series, key, keyLabel } = o;
  const points = (series ?? []).flatMap((p) =>
    p && isNum(p.rssMb) ? [{ rssMb: p.rssMb, at: p[key] }] : [],
  );
  const first = points.length > 2 ? points[1] : points[0];
  const last = points[points.length - 1];
  if (points.length < 2 || !first || !last) {
    const why =
      points.length === 1
        ? 'only one RSS sample'
        : (o.notMeasured ?? 'RSS under backlog not measured');
    return verdict(name, target, DASH, null, why);
  }
  const growth = last.rssMb - first.rssMb;
  const pct = first.rssMb > 0 ? `, ${signed((growth / first.rssMb) * 100, fmtInt)} %` : '';
  const value = `${fmtInt(first.rssMb)} → ${fmtInt(last.rssMb)} MB (${signed(growth, fmtInt)} MB${pct})`;
  const met = growth <= 25 || (first.rssMb > 0 && growth <= 0.2 * first.rssMb);
  const note = `${keyLabel} ${fmtInt(first.at)} → ${fmtInt(last.at)}`;
  return verdict(name, target, value, met, note);
}
