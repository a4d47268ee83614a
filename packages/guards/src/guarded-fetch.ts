import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { GuardedAgent } from './guarded-agent';

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
 * An HTTP(S) request through `agent` (see `createGuardedAgent`): it only ever connects to
 * addresses the agent's guard allowed, the address checked being the one connected to. Every hop
 * is checked, redirects included. Redirects follow fetch's rules: 303, and 301/302 after a POST,
 * become a body-less GET; credentials headers are dropped when the origin changes.
 *
 * Resolves with any HTTP status. Throws the guard's AppError for a refused hop (`VALIDATION_FAILED`,
 * or `UNAVAILABLE` when the host does not resolve), the network error when the exchange fails,
 * and an AbortError when `signal` aborts.
 */
export async function guardedFetch(
  agent: GuardedAgent,
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
    const target = agent.guard.parse(current);
    const res = await request(agent, target, hop, signal, maxBodyBytes);
    const next = redirectTarget(res, target);
    if (next === undefined || redirects >= maxRedirects) return { ...res, url: target.href };
    const nextHop = redirectedHop(hop, res.status, target.origin !== next.origin);
    if (keepMethod && nextHop.method !== hop.method) return { ...res, url: target.href };
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

async function request(
  agent: GuardedAgent,
  url: URL,
  hop: Hop,
  signal: AbortSignal | undefined,
  maxBodyBytes: number,
): Promise<Omit<GuardedResponse, 'url'>> {
  const headers = { ...hop.headers };
  if (hop.body !== undefined) headers['content-length'] = String(Buffer.byteLength(hop.body));
  const https = url.protocol === 'https:';
  const options: RequestOptions = {
    method: hop.method,
    headers,
    agent: https ? agent.https : agent.http,
    signal,
  };
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = https ? httpsRequest(url, options, resolve) : httpRequest(url, options, resolve);
    req.on('error', reject);
    req.end(hop.body);
  });
  const bodyText = await readBody(res, maxBodyBytes);
  return { status: res.statusCode ?? 0, headers: res.headers, bodyText };
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
