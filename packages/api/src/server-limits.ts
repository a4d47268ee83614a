import type { Server } from 'node:http';

/** Limits that cut off slow or stalled clients. All times are in milliseconds. */
export interface ServerLimits {
  /** Time to receive the complete request headers (slowloris); answered 408 and closed. */
  headersTimeoutMs: number;
  /** Time to receive the complete request, body included (slow body); answered 408 and closed. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open; above a load balancer's 60 s idle timeout. */
  keepAliveTimeoutMs: number;
  /** Headers beyond this count are dropped. Header bytes are capped by Node at 16 KiB (431). */
  maxHeadersCount: number;
  /**
   * A socket with no traffic either way for this long is destroyed (a client that stops reading
   * its response, say). Must exceed the longest long-poll (20 s), during which the socket is quiet.
   */
  idleSocketTimeoutMs: number;
  /** How often Node checks the headers and request timeouts; Node's default is 30 s. */
  checkIntervalMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  maxHeadersCount: 100,
  idleSocketTimeoutMs: 75_000,
  checkIntervalMs: 1_000,
};

/**
 * Applies {@link ServerLimits} to `server`. Call it before the server emits `listening` (right
 * after `listen()` is fine): Node reads the check interval when listening starts.
 */
export function applyServerLimits(server: Server, opts: Partial<ServerLimits> = {}): ServerLimits {
  const limits = { ...DEFAULT_SERVER_LIMITS, ...opts };
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxHeadersCount = limits.maxHeadersCount;
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    limits.checkIntervalMs;
  server.setTimeout(limits.idleSocketTimeoutMs, (socket) => socket.destroy());
  return limits;
}
