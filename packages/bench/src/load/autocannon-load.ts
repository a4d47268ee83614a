import autocannon from 'autocannon';
import type { LoadOptions, LoadResult } from './load-options';

/** A peak load run by autocannon: as fast as `connections` connections allow. */
export async function autocannonLoad(opts: LoadOptions): Promise<LoadResult> {
  const accepted: Record<string, number> = {};
  let seq = 0;
  let pathIndex = 0;
  const now = () => performance.timeOrigin + performance.now();
  const { bodyTemplate, paths } = opts;

  const result = await autocannon({
    url: opts.url,
    ...(opts.connections === undefined ? {} : { connections: opts.connections }),
    ...(opts.duration === undefined ? {} : { duration: opts.duration }),
    ...(opts.amount === undefined ? {} : { amount: opts.amount }),
    headers: opts.headers ?? {},
    timeout: opts.timeoutSeconds ?? 10,
    requests: [
      {
        method: opts.method ?? 'GET',
        setupRequest(req, context) {
          if (bodyTemplate !== undefined) {
            context.marker = `m${process.pid}-${++seq}`;
            req.body = bodyTemplate.replace('__SEQ__', context.marker);
          }
          if (paths !== undefined) req.path = paths[pathIndex++ % paths.length];
          return req;
        },
        onResponse(status, _body, context) {
          if (opts.recordAccepted && status >= 200 && status < 300 && context.marker) {
            accepted[context.marker] = now();
          }
        },
      },
    ],
  });

  return {
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    p999: result.latency.p99_9,
    max: result.latency.max,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes: result.statusCodeStats,
    ...(opts.recordAccepted ? { accepted } : {}),
  };
}
