import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  AppError,
  createAcceptNotification,
  notificationRequestSchema,
  silentLogger,
} from '@herald/core';
import { FixedClock, InMemoryNotificationStore, InMemoryQueue } from '@herald/core/testing';
import fc from 'fast-check';
import { createApp } from './app';
import type { TokenVerifier } from './middleware/require-client-token';

/**
 * Property-based fuzzing of the whole in-process app over real HTTP: whatever arrives, the answer
 * is below 500, every rejection carries the shared error shape, a rejected POST stores and
 * enqueues nothing, and the process keeps answering.
 */

const TOKEN = 'fuzz.client.token';
const verifier: TokenVerifier = {
  verify: (token) =>
    token === TOKEN
      ? Promise.resolve({
          clientId: 'fuzz-client',
          scopes: ['notifications:send', 'notifications:read'],
        })
      : Promise.reject(new AppError('UNAUTHENTICATED', 'token is invalid')),
};

let server: Server;
let port: number;
let store: InMemoryNotificationStore;
let queue: InMemoryQueue;
let cases = 0;
const unhandled: unknown[] = [];
jest.setTimeout(15_000);
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  store = new InMemoryNotificationStore();
  queue = new InMemoryQueue();
  const accept = createAcceptNotification({
    store,
    queue,
    clock: new FixedClock(),
    logger: silentLogger,
    sweepAfterMs: 60_000,
  });
  const app = createApp({
    accept,
    store,
    verifier,
    logger: silentLogger,
    readiness: () => Promise.resolve({ ok: true, checks: {} }),
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  process.stdout.write(`abuse-fuzz: ${cases} cases tried\n`);
});

/** The process still answers /healthz and no promise was left rejected. */
async function stillServing(): Promise<{ health: number; unhandled: unknown[] }> {
  const health = await send({ method: 'GET', path: '/healthz' });
  return { health: health.status, unhandled };
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Outgoing {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
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

/** Status below 500 and, for every rejection, `{ error: { code, message, details? } }`. */
function expectWellFormed(reply: Reply, method: string): void {
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

/** Sends a POST and checks that a rejected one left the store and the queue untouched. */
async function postAndCheck(headers: Record<string, string>, body?: string | Uint8Array) {
  cases += 1;
  const stored = store.records.size;
  const enqueued = queue.sent.length;

  const reply = await send({ method: 'POST', path: '/v1/notifications', headers, body });

  expectWellFormed(reply, 'POST');
  if (reply.status >= 400) {
    expect(store.records.size).toBe(stored);
    expect(queue.sent.length).toBe(enqueued);
  }
  return reply;
}

// ---- generators -------------------------------------------------------------------------------

/** Characters Node's HTTP client accepts in a header value (HTAB, VCHAR, SP, obs-text). */
const headerValue = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('\t', '\u00e9', '\u00ff'),
  ),
  maxLength: 300,
});

const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=UTF-16',
    'application/json; charset=latin1',
    'application/json; charset',
    'application/json;;;',
    'application/json; charset="utf-8',
    'Application/JSON',
    'application/merge-patch+json',
    'application/x-www-form-urlencoded',
    'text/plain',
    'multipart/form-data; boundary=x',
    '*/*',
    '',
  ),
  headerValue,
);

const contentEncoding = fc.oneof(
  fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'gzip, gzip', 'x-gzip', 'compress', ''),
  headerValue,
);

const authorization = fc.oneof(
  { weight: 6, arbitrary: fc.constant(`Bearer ${TOKEN}`) },
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'bearer ' + TOKEN,
    `Bearer ${TOKEN} x`,
    'Basic Zm9vOmJhcg==',
  ),
  headerValue,
);

const idempotencyKey = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) }),
  headerValue,
  fc.constant('k'.repeat(256)),
);

const email = fc
  .emailAddress()
  .filter((e) => notificationRequestSchema.safeParse(anEmail(e)).success);
function anEmail(to: string) {
  return { channel: 'email', to, text: 't' };
}
const e164 = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{7,14}$/))
  .map(([first, rest]) => `+${first}${rest}`);
const shortText = fc.string({ minLength: 1, maxLength: 40 });
const metadata = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 64 }),
  fc.string({ maxLength: 64 }),
  { maxKeys: 20 },
);

const validEmail = fc.record(
  {
    channel: fc.constant('email'),
    to: fc.oneof(email, fc.array(email, { minLength: 1, maxLength: 5 })),
    cc: email,
    bcc: fc.array(email, { minLength: 1, maxLength: 3 }),
    replyTo: email,
    subject: fc.string({ maxLength: 80 }).map((s) => s.replace(/[\r\n]/g, ' ')),
    text: fc.string({ maxLength: 200 }),
    html: fc.string({ maxLength: 200 }),
    receipt: fc.boolean(),
    metadata,
  },
  { requiredKeys: ['channel', 'to', 'text'] },
);
const validSms = fc.record(
  { channel: fc.constant('sms'), to: e164, body: shortText, metadata },
  { requiredKeys: ['channel', 'to', 'body'] },
);
const validWhatsapp = fc.record({
  channel: fc.constant('whatsapp'),
  to: e164,
  body: shortText,
});
const validPush = fc.record(
  {
    channel: fc.constant('push'),
    to: fc.constant({
      webPush: {
        endpoint: 'https://push.example.com/abc',
        keys: { p256dh: 'BNc', auth: 'tBH' },
      },
    }),
    title: shortText,
    body: fc.string({ maxLength: 100 }),
    data: fc.dictionary(fc.string({ maxLength: 64 }), fc.jsonValue({ maxDepth: 3 })),
    urgency: fc.constantFrom('very-low', 'low', 'normal', 'high'),
    ttlSeconds: fc.integer({ min: 0, max: 2_419_200 }),
  },
  { requiredKeys: ['channel', 'to', 'title', 'body'] },
);
const validSlack = fc.record(
  {
    channel: fc.constant('slack'),
    to: fc.oneof(
      fc.constant({ webhookUrl: 'https://hooks.slack.example.com/services/T/B/X' }),
      fc.constant({ webhook: 'alerts' }),
    ),
    text: shortText,
    blocks: fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), { maxLength: 3 }),
  },
  { requiredKeys: ['channel', 'to', 'text'] },
);
const validBody = fc.oneof(validEmail, validSms, validWhatsapp, validPush, validSlack);

/** A marker that {@link toJsonText} expands into `depth` levels of nesting (built as text). */
const deepMarker = (depth: number) => `__deep_${depth}__`;

/** JSON text of `body`, with deep-nesting markers expanded (JSON.stringify would overflow). */
function toJsonText(body: Body): string {
  return JSON.stringify(body).replace(/"__deep_(\d+)__"/g, (_m, d: string) => {
    const depth = Number(d);
    return '[{"n":'.repeat(depth) + '"leaf"' + '}]'.repeat(depth);
  });
}

type Body = Record<string, unknown>;
const LINE_BREAKS = ['\r\n', '\n', '\r', '\r\nBcc: evil@example.com\r\n'];

/** One change to a valid body: junk in a field, an extra key, a huge or broken value. */
const mutation: fc.Arbitrary<(b: Body) => Body> = fc.oneof(
  fc.tuple(fc.nat(), fc.anything()).map(([i, junk]) => (b: Body) => ({
    ...b,
    [Object.keys(b)[i % Object.keys(b).length]!]: junk,
  })),
  fc.tuple(fc.string(), fc.jsonValue()).map(([k, v]) => (b: Body) => ({ ...b, [k]: v })),
  fc.tuple(fc.nat(), fc.integer({ min: 900, max: 300_000 })).map(([i, n]) => (b: Body) => ({
    ...b,
    [Object.keys(b)[i % Object.keys(b).length]!]: 'x'.repeat(n),
  })),
  fc
    .tuple(
      fc.constantFrom('subject', 'to', 'cc', 'bcc', 'replyTo'),
      fc.constantFrom(...LINE_BREAKS),
      fc.nat(),
    )
    .map(([field, br, at]) => (b: Body) => {
      const v = b[field];
      const inject = (s: string) =>
        s.slice(0, at % (s.length + 1)) + br + s.slice(at % (s.length + 1));
      if (typeof v === 'string') return { ...b, [field]: inject(v) };
      if (Array.isArray(v)) return { ...b, [field]: v.map((s) => inject(String(s))) };
      return { ...b, [field]: inject('ada@example.com') };
    }),
  fc
    .tuple(fc.constantFrom('data', 'blocks', 'metadata', 'to'), fc.integer({ min: 1, max: 30_000 }))
    .map(([field, depth]) => (b: Body) => ({
      ...b,
      [field]: field === 'blocks' ? [{ deep: deepMarker(depth) }] : { deep: deepMarker(depth) },
    })),
  fc.nat().map((i) => (b: Body) => {
    const keys = Object.keys(b);
    const { [keys[i % keys.length]!]: _dropped, ...rest } = b;
    return rest;
  }),
);

/** Characters Node's HTTP client accepts in a request path, minus the ones that end a segment. */
const pathChar = fc.oneof(
  fc
    .integer({ min: 0x21, max: 0x7e })
    .map((c) => String.fromCharCode(c))
    .filter((c) => c !== '/' && c !== '?' && c !== '#'),
  fc.constantFrom('%', '%2', '%zz', '%E0%A4%A', '%00', '%2F', '%0d%0a', '%ff', '%C0%AF'),
);
const pathSegment = fc.string({ unit: pathChar, maxLength: 60 });
const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('status', 'limit', 'cursor', 'waitSeconds'), pathSegment),
      fc.oneof(
        fc.constantFrom('Pending', 'Delivered', '0', '1', '100', '101', '-1', '1e3', '0x10', ''),
        pathSegment,
      ),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

// ---- properties -------------------------------------------------------------------------------

describe('the api under fuzzed input', () => {
  it('answers arbitrary JSON values with 202 or a well-formed 4xx, storing nothing on rejection', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything(), fc.jsonValue()), async (value) => {
        const text = JSON.stringify(value) ?? '';

        const reply = await postAndCheck(
          { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          text,
        );

        expect(reply.status === 202 || reply.status === 400 || reply.status === 413).toBe(true);
      }),
      { numRuns: 200 },
    );

    expect(await stillServing()).toEqual({ health: 200, unhandled: [] });
  });

  it('answers arbitrary bytes and headers with a well-formed answer below 500', async () => {
    const body = fc.oneof(
      fc.string({ maxLength: 500 }),
      fc.uint8Array({ maxLength: 2_000 }),
      fc.json(),
      validBody.map((b) => JSON.stringify(b)),
      validBody.map((b) => gzipSync(JSON.stringify(b))),
      fc.uint8Array({ maxLength: 200 }).map((junk) => Buffer.concat([gzipSync('{"a":'), junk])),
    );
    const headers = fc.record(
      {
        authorization,
        'content-type': contentType,
        'content-encoding': contentEncoding,
        'idempotency-key': idempotencyKey,
        accept: fc.oneof(fc.constantFrom('application/json', 'text/html', '*/*'), headerValue),
        'x-request-id': headerValue,
      },
      { requiredKeys: [] },
    );

    await fc.assert(
      fc.asyncProperty(headers, body, async (h, b) => {
        await postAndCheck(h, b);
      }),
      { numRuns: 300 },
    );

    expect(await stillServing()).toEqual({ health: 200, unhandled: [] });
  });

  it('accepts a mutated valid body only when the schema does, and stores nothing otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(
        validBody,
        fc.array(mutation, { minLength: 0, maxLength: 3 }),
        async (valid, changes) => {
          const body = changes.reduce<Body>((b, change) => change(b), valid);
          const text = toJsonText(body);

          const reply = await postAndCheck(
            { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            text,
          );

          const schemaAccepts = notificationRequestSchema.safeParse(JSON.parse(text)).success;
          // Accepted only if the schema accepts; a schema-valid body may still be too big or deep.
          const allowed = schemaAccepts ? [202, 400, 413] : [400, 413];
          expect(allowed).toContain(reply.status);
        },
      ),
      { numRuns: 250 },
    );

    expect(await stillServing()).toEqual({ health: 200, unhandled: [] });
  });

  it('answers arbitrary methods, paths and queries on the read endpoints below 500', async () => {
    const method = fc.constantFrom(
      'GET',
      'GET',
      'GET',
      'HEAD',
      'PUT',
      'DELETE',
      'PATCH',
      'OPTIONS',
    );
    const path = fc.oneof(
      fc.tuple(pathSegment, queryString).map(([id, q]) => `/v1/notifications/${id}?${q}`),
      queryString.map((q) => `/v1/notifications?${q}`),
      fc
        .array(pathSegment, { minLength: 1, maxLength: 4 })
        .map((segments) => `/${segments.join('/')}`),
    );

    await fc.assert(
      fc.asyncProperty(
        method,
        path,
        authorization,
        fc.option(headerValue),
        async (m, p, auth, ifNoneMatch) => {
          cases += 1;

          const reply = await send({
            method: m,
            path: p,
            headers: {
              authorization: auth,
              ...(ifNoneMatch !== null ? { 'if-none-match': ifNoneMatch } : {}),
            },
          });

          expectWellFormed(reply, m);
        },
      ),
      { numRuns: 300 },
    );

    expect(await stillServing()).toEqual({ health: 200, unhandled: [] });
  });

  it('survives malformed bytes on a raw socket and never answers them with a 5xx', async () => {
    const prefix = fc.constantFrom(
      '',
      'GET / HTTP/1.1\r\n',
      'POST /v1/notifications HTTP/1.1\r\nHost: x\r\n',
      `POST /v1/notifications HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n`,
      'GET /v1/notifications/%zz HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n',
    );

    await fc.assert(
      fc.asyncProperty(prefix, fc.uint8Array({ maxLength: 300 }), async (head, junk) => {
        cases += 1;

        const answer = await rawExchange(Buffer.concat([Buffer.from(head, 'latin1'), junk]));

        const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
        expect(statuses.every((s) => s < 500)).toBe(true);
      }),
      { numRuns: 60 },
    );

    expect(await stillServing()).toEqual({ health: 200, unhandled: [] });
  });
});

/** Writes raw bytes, half-closes, and collects whatever comes back within a short window. */
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
