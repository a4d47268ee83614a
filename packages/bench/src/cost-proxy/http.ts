/**
 * The cost proxy's HTTP plumbing: its listeners, buffering a client's request, forwarding it
 * upstream (one retry on a stale kept-alive socket), and answering buffered or streamed. Plain
 * HTTP upstreams only (the emulators).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import zlib from 'node:zlib';
import type { Counters } from './counters';

const HOST = '127.0.0.1';
// SQS long polls wait up to 20 s; give them ample room rather than cut them off.
const UPSTREAM_TIMEOUT_MS = 120_000;
// Above the SDK's own idle times, so our end does not close a client socket being reused.
const CLIENT_KEEP_ALIVE_MS = 65_000;
// DynamoDB caps requests at 16 MB; anything far beyond is not a real client.
const MAX_BODY_BYTES = 64 * 1024 * 1024;

// Connection-level headers describe one hop; the proxy's own connections set their own. The body
// is buffered before it is forwarded, so `expect: 100-continue` no longer applies either.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/** Where a listener forwards to. */
export interface Upstream {
  hostname: string;
  port: number;
  host: string;
}

/** What every handler shares: the upstream agent, the counters, and its upstream. */
export interface ProxyContext {
  agent: http.Agent;
  state: { counters: Counters };
  upstream: Upstream;
}

/** A client's request with its body read, and the answer to write. */
export interface ClientExchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  body: Buffer;
  /** Aborted when the client goes away before its answer is complete. */
  signal: AbortSignal;
}

/** A request to send upstream. */
export interface UpstreamRequest {
  method: string;
  path: string;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

/** An upstream answer with its body buffered. */
export interface UpstreamAnswer {
  status: number;
  statusMessage: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Host, port and Host header of an http:// endpoint; throws for any other protocol. */
export function parseEndpoint(endpoint: string): Upstream {
  const url = new URL(endpoint);
  if (url.protocol !== 'http:') throw new Error(`cost-proxy: only http:// upstreams: ${endpoint}`);
  return { hostname: url.hostname, port: Number(url.port || 80), host: url.host };
}

/** A server that reads each request whole and hands it to `handle`; failures answer 502. */
export function createProxyServer(handle: (x: ClientExchange) => Promise<void>): http.Server {
  const server = http.createServer((req, res) => void serve(handle, req, res));
  server.keepAliveTimeout = CLIENT_KEEP_ALIVE_MS;
  // Must exceed keepAliveTimeout, or node may time out a reused socket's next request headers.
  server.headersTimeout = CLIENT_KEEP_ALIVE_MS + 1_000;
  return server;
}

/** Listens on 127.0.0.1 on an ephemeral port. */
export function listen(server: http.Server): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** `http://127.0.0.1:<port>` of a listening server. */
export function urlOf(server: http.Server): string {
  return `http://${HOST}:${(server.address() as AddressInfo).port}`;
}

/** Closes the server and every connection still open on it. */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive and long-poll sockets would otherwise hold the close open.
    server.closeAllConnections();
  });
}

/** Reads the client's request, hands it to `handle`, and turns any failure into a 502. */
async function serve(
  handle: (x: ClientExchange) => Promise<void>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  try {
    const body = await readBody(req);
    await handle({ req, res, body, signal: abortWhenClientLeaves(res) });
  } catch (err) {
    fail(res, err);
  }
}

/** Aborted when the client goes away before its response is complete. */
function abortWhenClientLeaves(res: http.ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

function fail(res: http.ServerResponse, err: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const reason = err instanceof Error ? err.message : String(err);
  const body = `cost-proxy: upstream request failed: ${reason}\n`;
  res.writeHead(502, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** The whole body of a request or response. */
export async function readBody(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The client's request as it goes upstream (its body, unless another is given). */
export function requestOf(x: ClientExchange, body: Buffer = x.body): UpstreamRequest {
  return { method: x.req.method ?? 'GET', path: x.req.url ?? '/', headers: x.req.headers, body };
}

function withoutHopByHop(headers: http.OutgoingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * Sends one request upstream; resolves with the response once its headers arrive. `host` is
 * passed through as the client sent it: fauxqs builds queue URLs from it, so they keep
 * pointing at the proxy.
 */
export function requestUpstream(
  ctx: Pick<ProxyContext, 'agent' | 'upstream'>,
  request: UpstreamRequest,
  signal?: AbortSignal,
  retried = false,
): Promise<http.IncomingMessage> {
  const { hostname, port } = ctx.upstream;
  const headers = withoutHopByHop(request.headers);
  headers['content-length'] = String(request.body.length);
  return new Promise((resolve, reject) => {
    let responded = false;
    const req = http.request({
      hostname,
      port,
      method: request.method,
      path: request.path,
      headers,
      agent: ctx.agent,
      ...(signal ? { signal } : {}),
    });
    req.setTimeout(UPSTREAM_TIMEOUT_MS, () => {
      req.destroy(new Error(`no answer from upstream in ${UPSTREAM_TIMEOUT_MS} ms`));
    });
    req.once('response', (res) => {
      responded = true;
      resolve(res);
    });
    req.once('error', (err: NodeJS.ErrnoException) => {
      // An idle kept-alive socket the upstream closed fails with ECONNRESET before the request
      // was read: node's documented pattern is to retry it once on a fresh socket.
      const stale = req.reusedSocket && err.code === 'ECONNRESET' && !responded;
      if (stale && !retried && !signal?.aborted) {
        resolve(requestUpstream(ctx, request, signal, true));
      } else {
        reject(err);
      }
    });
    req.end(request.body);
  });
}

/** One request upstream with the whole response buffered. */
export async function exchange(
  ctx: Pick<ProxyContext, 'agent' | 'upstream'>,
  request: UpstreamRequest,
  signal?: AbortSignal,
): Promise<UpstreamAnswer> {
  const res = await requestUpstream(ctx, request, signal);
  const body = await readBody(res);
  return {
    status: res.statusCode ?? 0,
    statusMessage: res.statusMessage ?? '',
    headers: res.headers,
    body,
  };
}

/** Answers the client with a buffered upstream answer, its body replaced if `body` is given. */
export function sendBuffered(
  res: http.ServerResponse,
  up: UpstreamAnswer,
  body: Buffer = up.body,
): void {
  const headers = withoutHopByHop(up.headers);
  headers['content-length'] = String(body.length);
  if (body !== up.body && headers['x-amz-crc32'] !== undefined) {
    // The SDKs may check this checksum of the body; keep it true for the body actually sent.
    if (typeof zlib.crc32 === 'function') headers['x-amz-crc32'] = String(zlib.crc32(body));
    else delete headers['x-amz-crc32'];
  }
  res.writeHead(up.status, up.statusMessage, headers);
  res.end(body);
}

/** Streams the upstream response to the client; resolves true when it was delivered whole. */
export function sendStreaming(
  res: http.ServerResponse,
  upRes: http.IncomingMessage,
  onChunk?: (chunk: Buffer) => void,
): Promise<boolean> {
  res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, withoutHopByHop(upRes.headers));
  if (onChunk) upRes.on('data', onChunk);
  // pipeline destroys both sides on failure: a client that leaves also ends the upstream call.
  return new Promise((resolve) => pipeline(upRes, res, (err) => resolve(!err)));
}

/** Forwards the client's request unchanged and streams the answer back. */
export async function forwardStreaming(ctx: ProxyContext, x: ClientExchange): Promise<void> {
  const upRes = await requestUpstream(ctx, requestOf(x), x.signal);
  await sendStreaming(x.res, upRes);
}
