/**
 * An open-loop load at a fixed rate, requests spread evenly over time. autocannon's `overallRate`
 * cannot do this: each connection sends its quota for the second as fast as it can at the start
 * of the second and then pauses (autocannon lib/httpClient.js, `reqsMadeThisSecond`), so "100/s"
 * is a burst of 100 requests every second, and latencies at a "fixed rate" measure how long the
 * burst takes to drain. Here request i is due at start + i / rate; it goes out on a keep-alive
 * connection (at most `connections` of them, like autocannon), and its latency runs from when it
 * was due, not when a connection was free, so a stalled server is not hidden by the sender
 * waiting for it (coordinated omission).
 */
import http from 'node:http';
import { latencySummary } from '../lib/stats';
import type { LoadOptions, LoadResult } from './load-options';

const now = () => performance.now();

/** A paced load run: `overallRate` requests/s, `amount` of them or `overallRate × duration`. */
export async function pacedLoad(opts: LoadOptions & { overallRate: number }): Promise<LoadResult> {
  const url = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections ?? 50 });
  const rate = opts.overallRate;
  const total = opts.amount ?? Math.round(rate * (opts.duration ?? 10));
  const timeoutMs = (opts.timeoutSeconds ?? 10) * 1000;
  const latencies: number[] = [];
  const accepted: Record<string, number> = {};
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  let finished = 0;
  let pathIndex = 0;
  let done: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (done = resolve));
  const start = now();

  function send(i: number) {
    const dueAt = start + (i * 1000) / rate;
    const marker = `m${process.pid}-${i + 1}`;
    const body = opts.bodyTemplate?.replace('__SEQ__', marker);
    const path =
      opts.paths === undefined ? url.pathname : opts.paths[pathIndex++ % opts.paths.length];
    const headers: http.OutgoingHttpHeaders = { ...opts.headers };
    if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
    const req = http.request({
      agent,
      host: url.hostname,
      port: url.port,
      path,
      method: opts.method ?? 'GET',
      headers,
    });
    let settled = false;
    const settle = (status: number | undefined) => {
      if (settled) return;
      settled = true;
      if (status === undefined) errors++;
      else {
        statusCodes[status] = (statusCodes[status] ?? 0) + 1;
        if (status < 200 || status >= 300) non2xx++;
        else if (opts.recordAccepted && body !== undefined) {
          accepted[marker] = performance.timeOrigin + now();
        }
        latencies.push(now() - dueAt);
      }
      if (++finished === total) done();
    };
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', () => settle(undefined));
    req.on('response', (res) => {
      res.on('error', () => settle(undefined));
      res.on('end', () => settle(res.statusCode));
      res.resume();
    });
    req.end(body);
  }

  // A 1 ms tick sends every request that has come due; at a few hundred requests/s that keeps
  // each within about a millisecond of its slot.
  const tick = setInterval(() => {
    const due = Math.min(total, Math.floor(((now() - start) * rate) / 1000) + 1);
    while (sent < due) send(sent++);
    if (sent === total) clearInterval(tick);
  }, 1);
  if (total === 0) done();
  await allDone;
  const seconds = (now() - start) / 1000;
  agent.destroy();
  const { p50, p90, p99, p999, max } = latencySummary(latencies);
  return {
    // Responses per second until the last one arrived: the offered rate unless the server fell
    // behind or requests failed.
    rps: (total - errors) / seconds,
    total,
    p50,
    p90,
    p99,
    p999,
    max,
    errors,
    non2xx,
    statusCodes,
    ...(opts.recordAccepted ? { accepted } : {}),
  };
}
