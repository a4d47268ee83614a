import { InMemorySuppressionList } from '@herald/core/testing';
import { fixedTokens, startTestApp, type TestApp } from './testing';

const verifier = fixedTokens({
  'w.w.w': { clientId: 'client-a', scopes: ['audience:read', 'audience:write'] },
  'r.r.r': { clientId: 'client-a', scopes: ['audience:read'] },
  's.s.s': { clientId: 'client-a', scopes: ['notifications:send'] },
});

let app: TestApp;
let list: InMemorySuppressionList;

beforeEach(async () => {
  list = new InMemorySuppressionList();
  app = await startTestApp({ verifier, suppressions: list });
});

afterEach(async () => {
  await app.close();
});

function call(method: string, path: string, token = 'w.w.w') {
  return fetch(`${app.base}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
}

const entry = (address: string) => ({ address, reason: 'opted_out' as const, createdAt: 'x' });

describe('/v1/suppressions', () => {
  it('pages through the list with nextCursor', async () => {
    for (let i = 0; i < 150; i++) {
      await list.add('client-a', entry(`sms:+4474001${String(i).padStart(5, '0')}`));
    }
    const first = (await (await call('GET', '/v1/suppressions', 'r.r.r')).json()) as {
      items: unknown[];
      nextCursor: string;
    };
    const second = (await (
      await call('GET', `/v1/suppressions?cursor=${first.nextCursor}`, 'r.r.r')
    ).json()) as { items: unknown[]; nextCursor?: string };
    expect(first.items).toHaveLength(100);
    expect(second.items).toHaveLength(50);
    expect(second.nextCursor).toBeUndefined();
  });

  it.each([
    ['a cursor Herald did not make', '/v1/suppressions?cursor=%21%21'],
    ['an empty cursor', '/v1/suppressions?cursor='],
    ['an unknown query parameter', '/v1/suppressions?limit=5'],
    [
      'a cursor naming no address',
      `/v1/suppressions?cursor=${Buffer.from('x').toString('base64url')}`,
    ],
  ])('answers %s with 400', async (_name, path) => {
    const res = await call('GET', path);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it.each([
    'ada@example.com',
    'email:not-an-address',
    'sms:07700900123',
    'fax:+447400123456',
    'push:short',
  ])('answers DELETE of %s with 400 and lifts nothing', async (address) => {
    await list.add('client-a', entry('sms:+447400123456'));
    const res = await call('DELETE', `/v1/suppressions/${encodeURIComponent(address)}`);
    expect(res.status).toBe(400);
    expect((await list.list('client-a')).items).toHaveLength(1);
  });

  it('needs audience:read to list and audience:write to lift', async () => {
    await list.add('client-a', entry('sms:+447400123456'));
    const path = `/v1/suppressions/${encodeURIComponent('sms:+447400123456')}`;
    expect((await call('GET', '/v1/suppressions', 's.s.s')).status).toBe(403);
    expect((await call('DELETE', path, 'r.r.r')).status).toBe(403);
    expect((await call('DELETE', path, 'w.w.w')).status).toBe(204);
  });

  it('answers other methods with 405', async () => {
    expect((await call('POST', '/v1/suppressions')).status).toBe(405);
    expect((await call('PUT', '/v1/suppressions/sms%3A%2B447400123456')).status).toBe(405);
  });
});
