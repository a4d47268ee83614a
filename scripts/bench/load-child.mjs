#!/usr/bin/env node
/**
 * The load generator process: runs autocannon with the options given as JSON in argv[2] and
 * prints one JSON line with the result. It runs in its own process so the load it makes does
 * not share an event loop with the benchmark runner or the provider sink.
 *
 * Options beyond autocannon's own:
 * - `bodyTemplate`: a request body in which `__SEQ__` is replaced by a unique marker per request;
 * - `paths`: request paths to rotate through (e.g. status GETs over many ids);
 * - `recordAccepted`: print, per marker, when its 2xx response arrived (epoch ms, sub-ms
 *   precision), for the accept → hand-off latency.
 * With `overallRate` the requests are paced evenly by lib/paced-load.mjs instead of autocannon.
 */
import autocannon from 'autocannon';
import { pacedLoad } from './lib/paced-load.mjs';

const opts = JSON.parse(process.argv[2]);
// A fixed rate is paced by lib/paced-load.mjs: autocannon would send it in bursts.
const result = opts.overallRate === undefined ? await autocannonLoad() : await pacedLoad(opts);
process.stdout.write(`${JSON.stringify(result)}\n`);

async function autocannonLoad() {
  const accepted = {};
  let seq = 0;
  let pathIndex = 0;
  const now = () => performance.timeOrigin + performance.now();

  const request = {
    method: opts.method ?? 'GET',
    setupRequest(req, context) {
      if (opts.bodyTemplate !== undefined) {
        context.marker = `m${process.pid}-${++seq}`;
        req.body = opts.bodyTemplate.replace('__SEQ__', context.marker);
      }
      if (opts.paths !== undefined) {
        req.path = opts.paths[pathIndex++ % opts.paths.length];
      }
      return req;
    },
    onResponse(status, _body, context) {
      if (opts.recordAccepted && status >= 200 && status < 300 && context.marker) {
        accepted[context.marker] = now();
      }
    },
  };

  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.duration,
    ...(opts.amount === undefined ? {} : { amount: opts.amount }),
    headers: opts.headers ?? {},
    timeout: opts.timeoutSeconds ?? 10,
    requests: [request],
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
