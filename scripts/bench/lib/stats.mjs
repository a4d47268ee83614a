/** The median of numbers (undefined ones ignored); undefined for none. */
export function median(values) {
  const xs = values
    .filter((v) => typeof v === 'number' && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** The field-wise median of a list of runs: `{ rps: median(runs.map(r => r.rps)), … }`. */
export function medianOfRuns(runs) {
  const fields = new Set(runs.flatMap((r) => Object.keys(r)));
  const out = {};
  for (const f of fields) {
    const m = median(runs.map((r) => r[f]));
    if (m !== undefined) out[f] = m;
  }
  return out;
}

/** Nearest-rank percentile of unsorted numbers (p in 0–100). */
export function percentile(values, p) {
  if (values.length === 0) return undefined;
  const xs = [...values].sort((a, b) => a - b);
  const rank = Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1));
  return xs[rank];
}

/** p50/p90/p99/p99.9/max of a list of latencies. */
export function latencySummary(values) {
  return {
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    p999: percentile(values, 99.9),
    max: values.length ? Math.max(...values) : undefined,
    count: values.length,
  };
}
