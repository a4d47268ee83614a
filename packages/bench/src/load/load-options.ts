import type { Percentiles } from '../lib/stats';

/**
 * One load run, as the runner hands it to the load child (load-child.ts) as JSON. Beyond
 * autocannon's own options:
 * - `bodyTemplate`: a request body in which `__SEQ__` is replaced by a unique marker per request;
 * - `paths`: request paths to rotate through (e.g. status GETs over many ids);
 * - `overallRate`: requests/s, sent evenly paced (paced-load.ts), not by autocannon;
 * - `recordAccepted`: report, per marker, when its 2xx response arrived (epoch ms, sub-ms
 *   precision), for the accept → hand-off latency.
 */
export interface LoadOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  bodyTemplate?: string;
  paths?: string[];
  overallRate?: number;
  /** Seconds; a paced run sends `overallRate × duration` requests unless `amount` is set. */
  duration?: number;
  amount?: number;
  connections?: number;
  timeoutSeconds?: number;
  recordAccepted?: boolean;
}

/** A load run's summary; latencies in ms. */
export interface LoadResult extends Percentiles {
  rps: number;
  total: number;
  errors: number;
  non2xx: number;
  /** Responses by status code (autocannon's `statusCodeStats` shape for its runs). */
  statusCodes: Record<string, unknown>;
  /** With `recordAccepted`: marker → when its 2xx arrived (epoch ms). */
  accepted?: Record<string, number>;
}
