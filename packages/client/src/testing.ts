/**
 * A real `node:http` server on 127.0.0.1 that records every request and answers as a test
 * scripts it, for exercising the client (or anything built on it) over a real socket.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AcceptedView, NotificationView } from '@herald/core';

/** A request as the fake server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** `json` is serialised; `text` is sent as is; `drop` destroys the socket without answering. */
export type FakeReply =
  { status: number; headers?: Record<string, string>; json?: unknown; text?: string } | 'drop';

/** `gone` aborts when the client disconnects, so a held long-poll can stop waiting. */
export type FakeAnswer = (
  req: RecordedRequest,
  gone: AbortSignal,
) => FakeReply | Promise<FakeReply>;

/** A running fake; `close()` drops open connections (held long-polls included). */
export interface FakeHeraldApi {
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts the server on a free port. Every answer carries `X-Request-Id: req-<n>` unless set. */
export async function startFakeHeraldApi(answer: FakeAnswer): Promise<FakeHeraldApi> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      void Promise.resolve(answer(recorded, gone.signal)).then((reply) => {
        if (reply === 'drop') return void req.socket.destroy();
        if (res.destroyed) return;
        const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
        res.writeHead(reply.status, {
          'x-request-id': `req-${requests.length}`,
          ...(reply.json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...reply.headers,
        });
        res.end(body);
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Resolves after `ms`, or as soon as `signal` aborts: a server holding a long-poll. */
export function hold(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** A Pending email view; override what the test is about. */
export function aNotificationView(overrides: Partial<NotificationView> = {}): NotificationView {
  return {
    id: 'ntf_01',
    channel: 'email',
    status: 'Pending',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    attempts: 0,
    events: [{ at: '2026-01-01T00:00:00.000Z', type: 'accepted' }],
    ...overrides,
  };
}

/** The 202 body for an email notification. */
export function anAcceptedView(overrides: Partial<AcceptedView> = {}): AcceptedView {
  return {
    id: 'ntf_01',
    status: 'Pending',
    channel: 'email',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}
