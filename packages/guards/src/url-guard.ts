import { isIP } from 'node:net';
import { AppError } from '@herald/core';
import type { ErrorDetail } from '@herald/core';
import { createDnsLookup } from './dns-lookup';
import type { HostLookup, ResolvedAddress } from './dns-lookup';
import { isForbiddenAddress } from './forbidden-address';

export type { ResolvedAddress } from './dns-lookup';

export interface UrlGuardOptions {
  /** Allow 127/8 and ::1. Only local mode, where the other services run on localhost. */
  allowLoopback: boolean;
  /** Allow plain `http:`. Only local mode. */
  allowHttp: boolean;
  /**
   * Allow any port. Otherwise only the scheme's own (443; 80 for `http:`), so a client cannot
   * aim Herald at other services on a public host. Default `allowLoopback` (local mode, where
   * the local services listen on free ports).
   */
  allowAnyPort?: boolean;
  /** Resolves a host name to every address. Default: `createDnsLookup()` (c-ares, 2 s timeout). */
  lookup?: HostLookup;
}

/** A URL that passed the guard, with the addresses it was checked against. */
export interface ResolvedTarget {
  url: URL;
  /** The host without IPv6 brackets: what TLS (SNI) and the Host header name. */
  hostname: string;
  /** Every address the host resolved to, all allowed. Connections go to the first. */
  addresses: [ResolvedAddress, ...ResolvedAddress[]];
}

export interface UrlGuard {
  /**
   * Parses `url`, resolves its host and checks every address. `field` names the URL in errors.
   *
   * @throws AppError `VALIDATION_FAILED` (with `details`) when the URL is malformed, is not https
   *   (http only with `allowHttp`), carries credentials, names a port other than the scheme's
   *   (unless `allowAnyPort`), or any address is loopback (unless `allowLoopback`), private,
   *   link-local, CGNAT, multicast, broadcast or reserved.
   * @throws AppError `UNAVAILABLE` when the host does not resolve: DNS failures may be temporary.
   */
  check(url: string, field?: string): Promise<ResolvedTarget>;
  /**
   * The checks of `check` that need no DNS: syntax, scheme, credentials and port. For callers
   * that connect through `createGuardedAgent`, which checks the addresses as it connects.
   *
   * @throws AppError `VALIDATION_FAILED` as `check` does.
   */
  parse(url: string, field?: string): URL;
  /**
   * Resolves `hostname` (an IP literal answers itself) and checks every address.
   *
   * @throws AppError `VALIDATION_FAILED` when any address is forbidden, `UNAVAILABLE` when the
   *   host does not resolve.
   */
  checkHost(hostname: string, field?: string): Promise<ResolvedTarget['addresses']>;
  /** Whether a connection to `port` over `protocol` (`https:` or `http:`) is allowed. */
  allowsPort(protocol: string, port: number): boolean;
}

const FORBIDDEN_TARGET = 'must not point to a private, loopback or link-local address';

function refuse(field: string, message: string): AppError {
  const details: ErrorDetail[] = [{ path: field, message }];
  return new AppError('VALIDATION_FAILED', `${field} ${message}`, { details });
}

const FORBIDDEN_PORT = 'must not name a port other than 443';
const DEFAULT_PORTS: Record<string, number> = { 'https:': 443, 'http:': 80 };

/**
 * The SSRF guard for every URL a client names (callback URLs, Slack webhooks, web push
 * endpoints). A passed `check` is only good for connecting to the addresses it returns: resolving
 * the host again could give another answer (DNS rebinding), which is why outbound calls go through
 * `createGuardedAgent`, which checks the address it connects to.
 */
export function createUrlGuard(opts: UrlGuardOptions): UrlGuard {
  const lookup = opts.lookup ?? createDnsLookup();
  const protocols = opts.allowHttp ? ['https:', 'http:'] : ['https:'];
  const allowAnyPort = opts.allowAnyPort ?? opts.allowLoopback;
  const guard: UrlGuard = {
    async check(raw, field = 'url') {
      const url = guard.parse(raw, field);
      const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
      return { url, hostname, addresses: await guard.checkHost(hostname, field) };
    },
    parse(raw, field = 'url') {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        // No `cause`: URL's TypeError carries the whole input, tokens included, into logs.
        throw refuse(field, 'must be a valid URL');
      }
      if (!protocols.includes(url.protocol)) {
        throw refuse(field, opts.allowHttp ? 'must be an http(s) URL' : 'must be an https URL');
      }
      if (url.username !== '' || url.password !== '') {
        throw refuse(field, 'must not contain credentials');
      }
      if (url.port !== '' && !allowAnyPort) throw refuse(field, FORBIDDEN_PORT);
      return url;
    },
    async checkHost(hostname, field = 'url') {
      const family = isIP(hostname);
      const addresses: ResolvedTarget['addresses'] =
        family !== 0 ? [{ address: hostname, family }] : await resolve(hostname);
      if (addresses.some((a) => isForbiddenAddress(a.address, opts))) {
        throw refuse(field, FORBIDDEN_TARGET);
      }
      return addresses;
    },
    allowsPort(protocol, port) {
      if (!protocols.includes(protocol)) return false;
      return allowAnyPort || DEFAULT_PORTS[protocol] === port;
    },
  };
  return guard;

  async function resolve(hostname: string): Promise<ResolvedTarget['addresses']> {
    let addresses: ResolvedAddress[];
    try {
      addresses = await lookup(hostname);
    } catch (cause) {
      if (cause instanceof AppError && cause.code === 'UNAVAILABLE') throw cause;
      throw new AppError('UNAVAILABLE', `could not resolve ${hostname}`, { cause });
    }
    const [first, ...rest] = addresses;
    if (first === undefined) throw new AppError('UNAVAILABLE', `${hostname} has no address`);
    return [first, ...rest];
  }
}
