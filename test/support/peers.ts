import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';

/** A port nothing listens on right now (bound on 127.0.0.1, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One request as a `startHttpRecorder` server received it. */
export interface RecordedHttpRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** Lower-cased names, as Node gives them. */
  headers: IncomingHttpHeaders;
  body: string;
  /** When the whole body had arrived (`Date.now()`). */
  receivedAt: number;
}

export interface HttpReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface HttpRecorder {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedHttpRequest[];
  /** Resolves with the first recorded request `match` accepts; rejects after `timeoutMs`. */
  waitFor(
    match: (req: RecordedHttpRequest) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedHttpRequest>;
  close(): Promise<void>;
}

/**
 * A plain HTTP server on 127.0.0.1 and a free port that records every request and answers with
 * `respond` (default `200 ok`): a stand-in for a Slack webhook or a client's callback endpoint.
 */
export async function startHttpRecorder(
  respond: (req: RecordedHttpRequest) => HttpReply = () => ({ status: 200, body: 'ok' }),
): Promise<HttpRecorder> {
  const requests: RecordedHttpRequest[] = [];
  const listeners = new Set<() => void>();
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedHttpRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      requests.push(recorded);
      listeners.forEach((l) => l());
      const reply = respond(recorded);
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitFor(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = requests.find(match);
          if (found === undefined) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no matching request within ${timeoutMs} ms (${requests.length} seen)`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Polls `probe` every `intervalMs` until it returns something other than `undefined`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * One SNS Query API call to moto_server (which takes any credentials and does not check
 * signatures), so tests need no SNS SDK of their own. Returns the XML answer; throws on non-2xx.
 */
export async function motoSns(endpoint: string, params: Record<string, string>): Promise<string> {
  const res = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      // moto picks the service from the credential scope of the Authorization header.
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: new URLSearchParams({ Version: '2010-03-31', ...params }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`moto SNS ${params.Action} answered ${res.status}: ${text}`);
  return text;
}

/** The text of the first `<tag>` in an XML answer. */
export function xmlValue(xml: string, tag: string): string {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (match?.[1] === undefined) throw new Error(`no <${tag}> in ${xml}`);
  return match[1];
}
