import http from 'node:http';
import type { ClientRequestArgs } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import { AppError } from '@herald/core';
import type { UrlGuard } from './url-guard';

/**
 * HTTP(S) agents that connect only where `guard` allows. Every outbound call to a URL a client
 * named (web push endpoints, Slack webhooks, callbacks) goes through one of these.
 */
export interface GuardedAgent {
  /** For `https:` URLs; web-push takes it as its `agent` option. */
  readonly https: https.Agent;
  /** For `http:` URLs: it refuses every connection unless the guard allows http (local mode). */
  readonly http: http.Agent;
  readonly guard: UrlGuard;
  /** Closes pooled connections. */
  destroy(): void;
}

export interface GuardedAgentOptions {
  /** Extra CA certificates to trust (PEM): only for a local test push service. */
  ca?: string;
  /** Keep connections open for reuse. Default `true`. */
  keepAlive?: boolean;
}

/** Names the destination in refusals: the agent does not know which field the URL came from. */
const FIELD = 'destination';

/**
 * Builds the agents. Their name lookup resolves the host through the guard, checks every address
 * and hands the socket only checked addresses, so the address checked is the address connected
 * to: nothing resolves the name a second time (DNS rebinding). IP literals, which sockets connect
 * to without a lookup, and ports are checked before the socket is made. A refused connection
 * fails the request with the guard's AppError (`VALIDATION_FAILED`, or `UNAVAILABLE` when the
 * host does not resolve) before a byte is sent. Agent options win over request options, so a
 * caller cannot pass its own `lookup`.
 */
export function createGuardedAgent(guard: UrlGuard, opts: GuardedAgentOptions = {}): GuardedAgent {
  const common = { keepAlive: opts.keepAlive ?? true, lookup: guardedLookup(guard) };
  const httpsAgent = new https.Agent({ ...common, ...(opts.ca ? { ca: opts.ca } : {}) });
  const httpAgent = new http.Agent(common);
  checkBeforeConnecting(httpsAgent, guard, 'https:');
  checkBeforeConnecting(httpAgent, guard, 'http:');
  return {
    https: httpsAgent,
    http: httpAgent,
    guard,
    destroy() {
      httpsAgent.destroy();
      httpAgent.destroy();
    },
  };
}

function guardedLookup(guard: UrlGuard): LookupFunction {
  return (hostname, options, callback) => {
    guard.checkHost(hostname, FIELD).then(
      (addresses) => {
        // Happy Eyeballs asks for all; every one of them passed the guard.
        if (options.all === true) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (err: Error) => callback(err, '', 0),
    );
  };
}

type ConnectCallback = (err: Error | null, socket?: Duplex) => void;
type CreateConnection = (
  options: ClientRequestArgs,
  callback: ConnectCallback,
) => Duplex | undefined;

function checkBeforeConnecting(agent: http.Agent, guard: UrlGuard, protocol: string): void {
  const agentWithConnect = agent as unknown as { createConnection: CreateConnection };
  const connect = agentWithConnect.createConnection.bind(agent);
  agentWithConnect.createConnection = (options, callback) => {
    const port = Number(options.port ?? (protocol === 'https:' ? 443 : 80));
    if (!guard.allowsPort(protocol, port)) {
      callback(refusal('port or scheme is not allowed'));
      return undefined;
    }
    const host = (options.host ?? options.hostname ?? '').replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) === 0) return connect(options, callback);
    // Sockets connect to literals without a lookup: check them here, then connect.
    guard.checkHost(host, FIELD).then(
      () =>
        callback(
          null,
          connect(options, () => undefined),
        ),
      (err: Error) => callback(err),
    );
    return undefined;
  };
}

function refusal(message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${FIELD} ${message}`, {
    details: [{ path: FIELD, message }],
  });
}
