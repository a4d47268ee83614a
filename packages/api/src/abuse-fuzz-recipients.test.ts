/**
 * Property-based fuzzing of the recipient routes over real HTTP: whatever the path id, headers or
 * body, the answer is below 500 with the shared error shape, and a rejected write stores nothing.
 */
import fc from 'fast-check';
import { useAudienceApp } from './testing-audience';

const audience = useAudienceApp();
const { call } = audience;

const recipientId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._:@-]{1,128}$/),
  fc.string({ minLength: 1, maxLength: 200 }),
);
const profileLike = fc.record(
  {
    email: fc.oneof(fc.emailAddress(), fc.string()),
    phone: fc.oneof(fc.constant('+4791234567'), fc.string()),
    timezone: fc.oneof(fc.constantFrom('Europe/Oslo', 'UTC', 'Mars/Olympus'), fc.string()),
    locale: fc.oneof(fc.constantFrom('en', 'nb-NO'), fc.string()),
    slack: fc.oneof(fc.record({ userId: fc.string() }), fc.record({ webhook: fc.string() })),
    name: fc.string({ maxLength: 300 }),
  },
  { requiredKeys: [] },
);
const ifMatch = fc.option(fc.oneof(fc.constant('*'), fc.string({ maxLength: 40 })), {
  nil: undefined,
});

async function bodyOf(res: Response): Promise<unknown> {
  const text = await res.text();
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/** The shared error shape: `{ error: { code, message } }`. */
function isErrorBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const { error } = body as { error: { code?: unknown; message?: unknown } };
  return typeof error.code === 'string' && typeof error.message === 'string';
}

describe('the recipient routes under fuzzed input', () => {
  it('answer PUT with 200/201 or a well-formed 4xx, storing nothing on rejection', async () => {
    await fc.assert(
      fc.asyncProperty(
        recipientId,
        fc.oneof(profileLike, fc.jsonValue()),
        ifMatch,
        async (id, body, match) => {
          const before = audience.app.recipients.recipients.size;
          const headers: Record<string, string> = match === undefined ? {} : { 'if-match': match };

          const res = await call('PUT', `/v1/recipients/${encodeURIComponent(id)}`, {
            body,
            headers,
          });

          const rejected = res.status >= 400;
          const reply = await bodyOf(res);
          expect(res.status).toBeLessThan(500);
          expect(!rejected || isErrorBody(reply)).toBe(true);
          expect(rejected ? audience.app.recipients.recipients.size : before).toBe(before);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('answer POST devices with 201/200 or a well-formed 4xx, adding no device on rejection', async () => {
    await call('PUT', '/v1/recipients/fuzz', { body: {} });
    const target = fc.oneof(
      fc.jsonValue(),
      fc.record({ apns: fc.record({ token: fc.stringMatching(/^[0-9a-fA-F]{60,70}$/) }) }),
      fc.record({ fcm: fc.record({ token: fc.string({ maxLength: 100 }) }) }),
      fc.record({ webPush: fc.record({ endpoint: fc.webUrl(), keys: fc.jsonValue() }) }),
    );

    await fc.assert(
      fc.asyncProperty(target, async (body) => {
        const before = (await audience.app.recipients.listDevices('client-a', 'fuzz'))?.length;

        const res = await call('POST', '/v1/recipients/fuzz/devices', { body });

        const rejected = res.status >= 400;
        const reply = await bodyOf(res);
        const after = (await audience.app.recipients.listDevices('client-a', 'fuzz'))?.length;
        expect(res.status).toBeLessThan(500);
        expect(!rejected || isErrorBody(reply)).toBe(true);
        expect(rejected ? after : before).toBe(before);
      }),
      { numRuns: 150 },
    );
  });
});
