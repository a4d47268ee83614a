import type { LoadOptions, LoadResult } from '../load/load-options';
import type { HttpRun } from '../report/results';
import type { BenchContext } from './context';

/** A Slack notification with a unique text (`__SEQ__` becomes a marker the sink reads back). */
export const SLACK_BODY = JSON.stringify({
  channel: 'slack',
  to: { webhook: 'bench' },
  text: 'bench __SEQ__',
});

/** Headers of a JSON request with the run's bearer token. */
export const authHeaders = (ctx: BenchContext): Record<string, string> => ({
  authorization: `Bearer ${ctx.token}`,
  'content-type': 'application/json',
});

/** The HTTP figure of one load run. */
export const httpRun = (r: LoadResult): HttpRun => ({
  rps: r.rps,
  p50: r.p50,
  p90: r.p90,
  p99: r.p99,
  p999: r.p999,
  errors: r.errors,
  non2xx: r.non2xx,
});

/** Seconds a run lasts: the warm-up's or a measured run's. */
export const runDuration = (ctx: BenchContext, warmup: boolean): number =>
  warmup ? ctx.settings.warmupS : ctx.settings.durationS;

/** A load on `url` with the run's connections and duration. */
export function loadOptions(
  ctx: BenchContext,
  url: string,
  extra: Partial<LoadOptions> = {},
): LoadOptions {
  return { url, connections: ctx.settings.connections, duration: ctx.settings.durationS, ...extra };
}

/** A load that posts Slack notifications (a unique text each) to the api at `baseUrl`. */
export function postLoad(
  ctx: BenchContext,
  baseUrl: string,
  extra: Partial<LoadOptions> = {},
): LoadOptions {
  return loadOptions(ctx, `${baseUrl}/v1/notifications`, {
    method: 'POST',
    headers: authHeaders(ctx),
    bodyTemplate: SLACK_BODY,
    ...extra,
  });
}

/** A load that reads the statuses of `ids` in turn. */
export function statusLoad(
  ctx: BenchContext,
  ids: readonly string[],
  extra: Partial<LoadOptions> = {},
): LoadOptions {
  return loadOptions(ctx, `${ctx.stack.apiUrl}/v1/notifications/${ids[0]}`, {
    headers: { authorization: `Bearer ${ctx.token}` },
    paths: ids.map((id) => `/v1/notifications/${id}`),
    ...extra,
  });
}
