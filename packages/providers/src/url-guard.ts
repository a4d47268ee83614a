import { promises as dns } from 'node:dns';
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { AppError } from '@herald/core';
import type { ErrorDetail } from '@herald/core';

/** One resolved address of a host, as `dns.promises.lookup(host, { all: true })` returns it. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface UrlGuardOptions {
  /** Allow 127/8 and ::1. Only local mode, where the other services run on localhost. */
  allowLoopback: boolean;
  /** Allow plain `http:`. Only local mode. */
  allowHttp: boolean;
  /** Resolves a host name to every address. Default: `dns.promises.lookup(host, { all: true })`. */
  lookup?: (host: string) => Promise<ResolvedAddress[]>;
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
   *   (http only with `allowHttp`), carries credentials, or any address is loopback (unless
   *   `allowLoopback`), private, link-local, CGNAT, multicast, broadcast or reserved.
   * @throws AppError `UNAVAILABLE` when the host does not resolve: DNS failures may be temporary.
   */
  check(url: string, field?: string): Promise<ResolvedTarget>;
}

function blockList(subnets: [string, number][], type: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of subnets) list.addSubnet(network, prefix, type);
  return list;
}

const LOOPBACK_V4 = blockList([['127.0.0.0', 8]], 'ipv4');
/** IANA's special-purpose IPv4 registry, less the few blocks that are globally reachable. */
const FORBIDDEN_V4 = blockList(
  [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.88.99.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ],
  'ipv4',
);
/** Only global unicast is reachable; ULA, link-local, multicast and the rest fall outside it. */
const GLOBAL_UNICAST_V6 = blockList([['2000::', 3]], 'ipv6');
const FORBIDDEN_V6 = blockList(
  [
    ['2001::', 23],
    ['2001:db8::', 32],
    ['3fff::', 20],
  ],
  'ipv6',
);

/**
 * Whether Herald must refuse to connect to `ip`. Anything that is not an IP address is forbidden.
 * IPv6 forms that embed an IPv4 address (`::ffff:10.0.0.1`, NAT64 `64:ff9b::/96`, 6to4) are
 * judged by that IPv4 address, since the network delivers them there.
 */
export function isForbiddenAddress(ip: string, opts: { allowLoopback: boolean }): boolean {
  const address = ip.replace(/%.*$/, '');
  switch (isIP(address)) {
    case 4:
      if (LOOPBACK_V4.check(address, 'ipv4')) return !opts.allowLoopback;
      return FORBIDDEN_V4.check(address, 'ipv4');
    case 6:
      return isForbiddenV6(address, opts);
    default:
      return true;
  }
}

function isForbiddenV6(address: string, opts: { allowLoopback: boolean }): boolean {
  const g = ipv6Groups(address);
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (zeroUpTo(7) && g[7] === 1) return !opts.allowLoopback;
  // Unspecified and the deprecated IPv4-compatible form: nothing legitimate lives there.
  if (zeroUpTo(6)) return true;
  if (zeroUpTo(5) && g[5] === 0xffff) return isForbiddenAddress(v4(at(g, 6), at(g, 7)), opts);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    return isForbiddenAddress(v4(at(g, 6), at(g, 7)), opts);
  }
  if (g[0] === 0x2002) return isForbiddenAddress(v4(at(g, 1), at(g, 2)), opts);
  if (!GLOBAL_UNICAST_V6.check(address, 'ipv6')) return true;
  return FORBIDDEN_V6.check(address, 'ipv6');
}

/** The eight 16-bit groups of a valid IPv6 address (`isIP` said 6; zone id removed). */
function ipv6Groups(address: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  let text = address;
  if (dotted !== null) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${address.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill =
    tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => parseInt(group, 16));
}

function at(groups: number[], i: number): number {
  return groups[i] ?? 0;
}

const FORBIDDEN_TARGET = 'must not point to a private, loopback or link-local address';

function refuse(field: string, message: string): AppError {
  const details: ErrorDetail[] = [{ path: field, message }];
  return new AppError('VALIDATION_FAILED', `${field} ${message}`, { details });
}

/**
 * The SSRF guard for every URL a client names (callback URLs, Slack webhooks, web push
 * endpoints). A passed check is only good for connecting to the addresses it returns: resolving
 * the host again could give another answer (DNS rebinding), which is why `guardedFetch` pins them.
 */
export function createUrlGuard(opts: UrlGuardOptions): UrlGuard {
  const lookup = opts.lookup ?? ((host) => dns.lookup(host, { all: true }));
  const protocols = opts.allowHttp ? ['https:', 'http:'] : ['https:'];
  return {
    async check(raw, field = 'url') {
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
      const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
      const family = isIP(hostname);
      const addresses: ResolvedTarget['addresses'] =
        family !== 0 ? [{ address: hostname, family }] : await resolve(hostname);
      if (addresses.some((a) => isForbiddenAddress(a.address, opts))) {
        throw refuse(field, FORBIDDEN_TARGET);
      }
      return { url, hostname, addresses };
    },
  };

  async function resolve(hostname: string): Promise<ResolvedTarget['addresses']> {
    let addresses: ResolvedAddress[];
    try {
      addresses = await lookup(hostname);
    } catch (cause) {
      throw new AppError('UNAVAILABLE', `could not resolve ${hostname}`, { cause });
    }
    const [first, ...rest] = addresses;
    if (first === undefined) throw new AppError('UNAVAILABLE', `${hostname} has no address`);
    return [first, ...rest];
  }
}

export interface GuardedRequestInit {
  /** Default `GET`, or `POST` when there is a body. */
  method?: string;
  headers?: Record<string, string>;
  /** Sent as is (a JSON document, say); `Content-Length` is set from it. */
  body?: string;
  /** Aborts the whole exchange, redirects included: pass `AbortSignal.timeout(ms)` for a timeout. */
  signal?: AbortSignal;
}

export interface GuardedFetchOptions {
  /** Redirects followed before the last 3xx is returned as is. Default 3. */
  maxRedirects?: number;
  /** The response body is cut off after this many bytes. Default 64 KiB. */
  maxBodyBytes?: number;
  /**
   * Never let a redirect turn the request into a body-less GET (301/302/303 after a POST): the
   * 3xx is returned as is instead. For deliveries whose body is the point, like callbacks.
   */
  keepMethod?: boolean;
}

export interface GuardedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  bodyText: string;
  /** The URL that gave this response, after redirects. */
  url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const BODY_HEADERS = [
  'content-length',
  'content-type',
  'content-encoding',
  'content-language',
  'content-location',
];
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

interface Hop {
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * An HTTP(S) request that only ever connects to addresses `guard` allowed. Every hop is checked,
 * redirects included, and the socket connects to the checked address (the Host header and TLS
 * SNI still name the host), so DNS cannot swap in another address between check and connect.
 * Redirects follow fetch's rules: 303, and 301/302 after a POST, become a body-less GET;
 * credentials headers are dropped when the origin changes. No keep-alive: nothing is pooled.
 *
 * Resolves with any HTTP status. Throws the guard's AppError for a refused hop, the network error
 * when the exchange fails, and an AbortError (or, while resolving, the signal's reason) when
 * `signal` aborts.
 */
export async function guardedFetch(
  guard: UrlGuard,
  url: string,
  init: GuardedRequestInit = {},
  { maxRedirects = 3, maxBodyBytes = 64 * 1024, keepMethod = false }: GuardedFetchOptions = {},
): Promise<GuardedResponse> {
  const { signal } = init;
  let hop: Hop = {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...init.headers },
    body: init.body,
  };
  let current = url;
  for (let redirects = 0; ; redirects += 1) {
    signal?.throwIfAborted();
    const target = await untilAborted(guard.check(current), signal);
    const res = await requestPinned(target, hop, signal, maxBodyBytes);
    const next = redirectTarget(res, target.url);
    if (next === undefined || redirects >= maxRedirects) return { ...res, url: target.url.href };
    const nextHop = redirectedHop(hop, res.status, target.url.origin !== next.origin);
    if (keepMethod && nextHop.method !== hop.method) return { ...res, url: target.url.href };
    hop = nextHop;
    current = next.href;
  }
}

function redirectTarget(res: { status: number; headers: IncomingHttpHeaders }, base: URL) {
  const { location } = res.headers;
  if (!REDIRECTS.has(res.status) || location === undefined) return undefined;
  return URL.canParse(location, base.href) ? new URL(location, base) : undefined;
}

function redirectedHop(hop: Hop, status: number, crossOrigin: boolean): Hop {
  const toGet =
    (status === 303 && hop.method !== 'GET' && hop.method !== 'HEAD') ||
    ((status === 301 || status === 302) && hop.method === 'POST');
  const dropped = [...(toGet ? BODY_HEADERS : []), ...(crossOrigin ? ORIGIN_BOUND_HEADERS : [])];
  const headers = Object.fromEntries(
    Object.entries(hop.headers).filter(([name]) => !dropped.includes(name.toLowerCase())),
  );
  return toGet ? { method: 'GET', headers } : { ...hop, headers };
}

async function requestPinned(
  target: ResolvedTarget,
  hop: Hop,
  signal: AbortSignal | undefined,
  maxBodyBytes: number,
): Promise<Omit<GuardedResponse, 'url'>> {
  const headers = { ...hop.headers };
  if (hop.body !== undefined) headers['content-length'] = String(Buffer.byteLength(hop.body));
  const options: https.RequestOptions = {
    method: hop.method,
    headers,
    agent: false,
    signal,
    lookup: pinnedLookup(target.addresses[0].address),
    servername: isIP(target.hostname) === 0 ? target.hostname : undefined,
  };
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req =
      target.url.protocol === 'https:'
        ? https.request(target.url, options, resolve)
        : http.request(target.url, options, resolve);
    req.on('error', reject);
    req.end(hop.body);
  });
  const bodyText = await readBody(res, maxBodyBytes);
  return { status: res.statusCode ?? 0, headers: res.headers, bodyText };
}

/** Answers every lookup with the address the guard checked. */
function pinnedLookup(address: string): LookupFunction {
  const family = isIP(address);
  return (_hostname, options, callback) => {
    if (options.all === true) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

async function readBody(res: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= maxBytes) break;
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

async function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
