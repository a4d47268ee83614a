/**
 * Property-based fuzzing of `GET/POST /v1/unsubscribe/:token` over real HTTP: whatever the token,
 * method, content type or body, the answer is below 500 (a page, or the shared error shape), and
 * preferences change only for a POST of a valid token with the one-click body.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { FixedClock, InMemoryPreferenceStore, InMemoryRecipientStore } from '@herald/core/testing';
import { createUnsubscribeTokens } from '@herald/guards';
import fc from 'fast-check';
import { fixedTokens, startTestApp, type TestApp } from './testing';
import { contentType, pathSegment } from './testing-fuzz-inputs';

const TOPIC = '0f8fad5b-d9cb-469f-a165-70867728950e';
const tokens = createUnsubscribeTokens(randomBytes(32).toString('base64'));
const valid = tokens.sign({ clientId: 'client-a', recipientId: 'alice', topicId: TOPIC });
const clock = new FixedClock();
const recipients = new InMemoryRecipientStore();
const preferences = new InMemoryPreferenceStore(recipients);
let app: TestApp;

beforeAll(async () => {
  await recipients.putProfile({
    clientId: 'client-a',
    recipientId: 'alice',
    profile: { email: 'alice@example.com' },
    precondition: { kind: 'none' },
    now: clock.now().toISOString(),
  });
  app = await startTestApp({
    verifier: fixedTokens({}),
    clock,
    recipients,
    preferences,
    unsubscribe: { verify: (t) => tokens.verify(t), preferences, clock },
  });
});

afterAll(async () => {
  await app.close();
});

function send(method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const port = Number(new URL(app.base).port);
    const r = httpRequest(
      { host: '127.0.0.1', port, method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: res.headers['content-type'] ?? '',
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(body);
  });
}

/** The `error.code` of a JSON error body (anything else: not a string). */
function errorCodeOf(body: string): unknown {
  return (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
}

const token = fc.oneof(
  fc.constant(valid),
  pathSegment,
  fc.nat({ max: valid.length - 1 }).map((i) => valid.slice(0, i)),
  fc
    .tuple(fc.nat({ max: valid.length - 1 }), fc.constantFrom('A', '_', '-', '%', '.'))
    .map(([i, c]) => valid.slice(0, i) + c + valid.slice(i + 1)),
);
const body = fc.oneof(
  fc.constant('List-Unsubscribe=One-Click'),
  fc.constant('List-Unsubscribe=One-Click&List-Unsubscribe=One-Click'),
  fc.string({ maxLength: 200 }),
  fc
    .string({ maxLength: 20 })
    .map((s) => `--x\r\nContent-Disposition: form-data; name="${s}"\r\n\r\nOne-Click\r\n--x--\r\n`),
);

describe('the unsubscribe routes under fuzzed input', () => {
  it('never answer 5xx, and change preferences only for a valid one-click POST', async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'HEAD', 'PUT'),
        token,
        contentType,
        body,
        async (method, t, type, payload) => {
          cases += 1;
          clock.advance(1_000);
          const before = preferences.stored.size;
          const withBody = method === 'POST' || method === 'PUT';

          const res = await send(
            method,
            `/v1/unsubscribe/${t}`,
            withBody ? { 'content-type': type } : {},
            withBody ? payload : undefined,
          );

          const json = res.status >= 400 && res.type.startsWith('application/json');
          const errorCode = json && method !== 'HEAD' ? errorCodeOf(res.body) : 'none';
          const mayWrite = method === 'POST' && t === valid && res.status === 200;
          expect(res.status).toBeLessThan(500);
          expect(typeof errorCode).toBe('string');
          expect(mayWrite || preferences.stored.size === before).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
    const health = await send('GET', '/healthz', {});
    // And the real thing still works after all that.
    const oneClick = await send(
      'POST',
      `/v1/unsubscribe/${valid}`,
      { 'content-type': 'application/x-www-form-urlencoded' },
      'List-Unsubscribe=One-Click',
    );
    expect(oneClick.status).toBe(200);
    expect((await preferences.getPreferences('client-a', 'alice'))?.preferences).toEqual({
      topics: { [TOPIC]: { email: false } },
    });
    process.stdout.write(`unsubscribe fuzz: ${cases} cases tried\n`);
    expect(health.status).toBe(200);
  });
});
