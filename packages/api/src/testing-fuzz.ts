/**
 * Test support for the fuzzing suites (`abuse-fuzz-*.test.ts`): the whole in-process app served on
 * 127.0.0.1 over the core fakes, a raw HTTP client, and the checks every fuzzed answer must pass.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { fixedTokens, startTestApp, type TestApp } from './testing';

/** The one bearer token the fuzzed app accepts (both scopes). */
export const TOKEN = 'fuzz.client.token';
const verifier = fixedTokens({
  [TOKEN]: { clientId: 'fuzz-client', scopes: ['notifications:send', 'notifications:read'] },
});

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Outgoing {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** What a fuzzing suite drives; valid inside its tests (the server starts in `beforeAll`). */
export interface FuzzedApi {
  /** Sends one request over a fresh connection and collects the whole answer. */
  send(req: Outgoing): Promise<Reply>;
  /** Sends a POST and checks that a rejected one left the store and the queue untouched. */
  postAndCheck(headers: Record<string, string>, body?: string | Uint8Array): Promise<Reply>;
  /** The process still answers /healthz and no promise was left rejected. */
  stillServing(): Promise<{ health: number; unhandled: unknown[] }>;
  /** Writes raw bytes, half-closes, and collects whatever comes back within a short window. */
  rawExchange(bytes: Buffer): Promise<string>;
  /** Counts one fuzzed case for the summary line printed after the suite. */
  countCase(): void;
}

/**
 * Registers `beforeAll`/`afterAll` hooks that serve the app on a free port for the calling test
 * file, watch for unhandled rejections, and print `<label>: <n> cases tried` at the end.
 */
export function useFuzzedApi(label: string): FuzzedApi {
  let app: TestApp;
  let port: number;
  let cases = 0;
  const unhandled: unknown[] = [];
  jest.setTimeout(15_000);
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    app = await startTestApp({ verifier });
    port = Number(new URL(app.base).port);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await app.close();
    process.stdout.write(`${label}: ${cases} cases tried\n`);
  });

  async function stillServing(): Promise<{ health: number; unhandled: unknown[] }> {
    const health = await send({ method: 'GET', path: '/healthz' });
    return { health: health.status, unhandled };
  }

  function send(req: Outgoing): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const r = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: req.method,
          path: req.path,
          headers: req.headers,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      r.setTimeout(5_000, () => r.destroy(new Error(`no answer to ${req.method} ${req.path}`)));
      r.on('error', reject);
      r.end(req.body);
    });
  }

  async function postAndCheck(headers: Record<string, string>, body?: string | Uint8Array) {
    cases += 1;
    const stored = app.store.records.size;
    const enqueued = app.queue.sent.length;

    const reply = await send({ method: 'POST', path: '/v1/notifications', headers, body });

    expectWellFormed(reply, 'POST');
    if (reply.status >= 400) {
      expect(app.store.records.size).toBe(stored);
      expect(app.queue.sent.length).toBe(enqueued);
    }
    return reply;
  }

  function rawExchange(bytes: Buffer): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      const done = () => {
        clearTimeout(timer);
        socket.destroy();
        resolve(Buffer.concat(chunks).toString('latin1'));
      };
      const timer = setTimeout(done, 150);
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('close', done);
      socket.on('error', (err: NodeJS.ErrnoException) =>
        err.code === 'ECONNRESET' || err.code === 'EPIPE' ? done() : reject(err),
      );
      socket.end(bytes);
    });
  }

  return {
    send,
    postAndCheck,
    stillServing,
    rawExchange,
    countCase: () => {
      cases += 1;
    },
  };
}

/** Status below 500 and, for every rejection, `{ error: { code, message, details? } }`. */
export function expectWellFormed(reply: Reply, method: string): void {
  expect(reply.status).toBeGreaterThanOrEqual(200);
  expect(reply.status).toBeLessThan(500);
  if (reply.status < 400 || method === 'HEAD') return;
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(reply.body) as { error?: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  const error = body.error ?? {};
  expect(typeof error.code).toBe('string');
  expect(typeof error.message).toBe('string');
  expect(Object.keys(error).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
  if (error.details !== undefined) expect(Array.isArray(error.details)).toBe(true);
}
