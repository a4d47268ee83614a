/**
 * Property-based fuzzing of `PUT /v1/recipients/:recipientId/preferences` over real HTTP:
 * whatever the body or `If-Match`, the answer is below 500 with the shared error shape, and a
 * rejected write leaves the stored preferences as they were.
 */
import fc from 'fast-check';
import { useAudienceApp } from './testing-audience';

const audience = useAudienceApp();
const { call } = audience;

const hhmm = fc.oneof(
  fc.constantFrom('00:00', '07:00', '22:00', '23:59', '24:00', '7:00', ''),
  fc.string({ maxLength: 6 }),
);
const choices = fc.dictionary(
  fc.oneof(fc.constantFrom('email', 'sms', 'whatsapp', 'push', 'slack'), fc.string()),
  fc.oneof(fc.boolean(), fc.jsonValue()),
);
const preferencesLike = fc.record(
  {
    channels: choices,
    topics: fc.dictionary(fc.oneof(fc.uuid(), fc.string()), choices, { maxKeys: 5 }),
    quietHours: fc.record(
      {
        start: hhmm,
        end: hhmm,
        timezone: fc.oneof(fc.constantFrom('Europe/Oslo', 'UTC', 'Mars/Olympus'), fc.string()),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);
const ifMatch = fc.option(fc.oneof(fc.constant('*'), fc.string({ maxLength: 40 })), {
  nil: undefined,
});

function isErrorBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const { error } = body as { error: { code?: unknown; message?: unknown } };
  return typeof error.code === 'string' && typeof error.message === 'string';
}

describe('the preferences route under fuzzed input', () => {
  it('answers 200/201 or a well-formed 4xx, changing nothing on rejection', async () => {
    await call('PUT', '/v1/recipients/fuzz', { body: {} });
    const stored = () => audience.app.preferences.getPreferences('client-a', 'fuzz');

    await fc.assert(
      fc.asyncProperty(fc.oneof(preferencesLike, fc.jsonValue()), ifMatch, async (body, match) => {
        const before = await stored();
        const headers: Record<string, string> = match === undefined ? {} : { 'if-match': match };

        const res = await call('PUT', '/v1/recipients/fuzz/preferences', { body, headers });

        const rejected = res.status >= 400;
        const text = await res.text();
        expect(res.status).toBeLessThan(500);
        expect(!rejected || isErrorBody(JSON.parse(text))).toBe(true);
        const after = await stored();
        expect(rejected ? after : before).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });
});
