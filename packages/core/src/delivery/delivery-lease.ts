/** The lease outlives the send timeout by this much (at most), so the outcome write fits in it. */
const MAX_LEASE_MARGIN_MS = 30_000;

/**
 * How long a claim is held. A lease that ran out during an attempt would let a second worker
 * claim and send the same notification, so it covers the longest attempt: every provider of the
 * longest route (failover tries them in turn), each with its pacing wait and up to twice the send
 * timeout (a provider with a connection pool, SMTP, may queue for a connection for up to the send
 * timeout and then gives the held connection the full send timeout), plus a margin for the
 * outcome write.
 */
export function deliveryLeaseMs(opts: {
  /** The number of providers on the longest channel route (at least 1 is assumed). */
  longestRoute: number;
  maxPacingWaitMs: number;
  sendTimeoutMs: number;
}): number {
  const route = Math.max(1, opts.longestRoute);
  return (
    route * (opts.maxPacingWaitMs + 2 * opts.sendTimeoutMs) +
    Math.min(MAX_LEASE_MARGIN_MS, opts.sendTimeoutMs)
  );
}
