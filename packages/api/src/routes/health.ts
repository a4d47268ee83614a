import type { RequestHandler } from 'express';

export interface Readiness {
  ok: boolean;
  checks: Record<string, 'ok' | 'unavailable'>;
}

/** `GET /healthz`: the process is up. */
export function healthz(): RequestHandler {
  return (_req, res) => {
    res.json({ status: 'ok' });
  };
}

/**
 * `GET /readyz`: the queue and the table answer. Results are cached for a second so a burst of
 * probes costs one pair of calls.
 */
export function readyz(check: () => Promise<Readiness>): RequestHandler {
  let cached: { at: number; value: Promise<Readiness> } | undefined;
  return async (_req, res) => {
    if (!cached || Date.now() - cached.at > 1_000) cached = { at: Date.now(), value: check() };
    const result = await cached.value;
    res
      .status(result.ok ? 200 : 503)
      .json({ status: result.ok ? 'ready' : 'unavailable', checks: result.checks });
  };
}
