/** The median of the finite numbers among `values`; undefined when there are none. */
export function median(values: readonly (number | undefined)[]): number | undefined {
  const xs = values
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  const mid = xs.length >> 1;
  const at = (i: number) => xs[i] ?? 0;
  return xs.length % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

/** The field-wise median of a list of runs: `{ rps: median(runs.map(r => r.rps)), … }`. */
export function medianOfRuns<K extends string>(
  runs: readonly Partial<Record<K, number | undefined>>[],
): Partial<Record<K, number>> {
  const fields = new Set(runs.flatMap((run) => Object.keys(run) as K[]));
  const out: Partial<Record<K, number>> = {};
  for (const field of fields) {
    const m = median(runs.map((run) => run[field]));
    if (m !== undefined) out[field] = m;
  }
  return out;
}

/** Nearest-rank percentile of unsorted numbers (`p` in 0–100); undefined for none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const xs = [...values].sort((a, b) => a - b);
  const rank = Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1));
  return xs[rank];
}

/** Latency percentiles in ms (undefined: no values). */
export interface Percentiles {
  p50: number | undefined;
  p90: number | undefined;
  p99: number | undefined;
  p999: number | undefined;
  max: number | undefined;
}

export interface LatencySummary extends Percentiles {
  count: number;
}

/** p50/p90/p99/p99.9/max of a list of latencies. */
export function latencySummary(values: readonly number[]): LatencySummary {
  return {
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    p999: percentile(values, 99.9),
    max: values.length ? Math.max(...values) : undefined,
    count: values.length,
  };
}
