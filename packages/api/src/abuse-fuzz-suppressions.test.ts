/**
 * Property-based fuzzing of `/v1/suppressions` over real HTTP: whatever the address or cursor,
 * the answer is below 500 with the shared error shape, and nothing is lifted but an entry named
 * exactly (after normalisation).
 */
import fc from 'fast-check';
import { InMemorySuppressionList } from '@herald/core/testing';
import { fixedTokens, startTestApp, type TestApp } from './testing';

const verifier = fixedTokens({
  'w.w.w': { clientId: 'client-a', scopes: ['audience:read', 'audience:write'] },
});
const KEPT = 'sms:+447400123456';
let app: TestApp;
let list: InMemorySuppressionList;

beforeAll(async () => {
  list = new InMemorySuppressionList();
  await list.add('client-a', { address: KEPT, reason: 'opted_out', createdAt: 'x' });
  app = await startTestApp({ verifier, suppressions: list });
});

afterAll(async () => {
  await app.close();
});

const segment = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('%', '%zz', '%E0%A4%A', 'email%3A', 'push%3A', 'sms%3A%2B1', '..', '%00'),
  fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s)),
  fc
    .tuple(fc.constantFrom('email:', 'sms:', 'whatsapp:', 'push:'), fc.string())
    .map(([kind, rest]) => encodeURIComponent(kind + rest)),
);

function isErrorBody(text: string): boolean {
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
  return typeof body.error?.code === 'string' && typeof body.error.message === 'string';
}

describe('the suppression routes under fuzzed input', () => {
  it('answer below 500 with the error shape, and lift nothing unnamed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'DELETE'), segment, async (method, raw) => {
        const path =
          method === 'GET' ? `/v1/suppressions?cursor=${raw}` : `/v1/suppressions/${raw}`;
        const res = await fetch(`${app.base}${path}`, {
          method,
          headers: { authorization: 'Bearer w.w.w' },
        });
        const text = await res.text();
        expect(res.status).toBeLessThan(500);
        expect(res.status < 400 || isErrorBody(text)).toBe(true);
        expect((await list.isSuppressed('client-a', [KEPT])).size).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});
