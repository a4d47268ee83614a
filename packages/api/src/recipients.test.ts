import { useAudienceApp } from './testing-audience';

const audience = useAudienceApp();
const { call } = audience;
const alice = { email: 'alice@example.com', phone: '+4791234567', timezone: 'Europe/Oslo' };

describe('PUT /v1/recipients/:recipientId', () => {
  it('creates a recipient (201, ETag), then replaces it (200, a new ETag)', async () => {
    const created = await call('PUT', '/v1/recipients/alice@example.com', { body: alice });
    const replaced = await call('PUT', '/v1/recipients/alice@example.com', {
      body: { name: 'Alice' },
    });

    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/v1/recipients/alice%40example.com');
    expect(await created.json()).toEqual({
      id: 'alice@example.com',
      ...alice,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ id: 'alice@example.com', name: 'Alice' });
    expect(replaced.headers.get('etag')).toMatch(/^".+"$/);
    expect(replaced.headers.get('etag')).not.toBe(created.headers.get('etag'));
  });

  it('answers 412 to a stale If-Match and stores nothing; the current ETag passes', async () => {
    const first = await call('PUT', '/v1/recipients/bob', { body: { name: 'Bob' } });
    const stale = first.headers.get('etag') ?? '';
    const second = await call('PUT', '/v1/recipients/bob', { body: { name: 'Bob 2' } });

    const refused = await call('PUT', '/v1/recipients/bob', {
      body: { name: 'lost update' },
      headers: { 'if-match': stale },
    });
    const current = await call('PUT', '/v1/recipients/bob', {
      body: { name: 'Bob 3' },
      headers: { 'if-match': second.headers.get('etag') ?? '' },
    });

    expect(refused.status).toBe(412);
    expect(await refused.json()).toMatchObject({ error: { code: 'PRECONDITION_FAILED' } });
    expect(current.status).toBe(200);
    expect(await current.json()).toMatchObject({ name: 'Bob 3' });
  });

  it('honours If-Match: * and If-None-Match: *', async () => {
    const mustExist = await call('PUT', '/v1/recipients/carol', {
      body: {},
      headers: { 'if-match': '*' },
    });
    const create = await call('PUT', '/v1/recipients/carol', {
      body: {},
      headers: { 'if-none-match': '*' },
    });
    const createAgain = await call('PUT', '/v1/recipients/carol', {
      body: {},
      headers: { 'if-none-match': '*' },
    });

    expect([mustExist.status, create.status, createAgain.status]).toEqual([412, 201, 412]);
  });

  it('answers 400 listing every problem, and stores nothing', async () => {
    const res = await call('PUT', '/v1/recipients/dave', {
      body: {
        email: 'nope',
        phone: '12345',
        timezone: 'Mars/Olympus',
        locale: '??',
        slack: { userId: 'dave' },
        colour: 'blue',
      },
    });

    const body = (await res.json()) as { error: { code: string; details: { path: string }[] } };
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d) => d.path).sort()).toEqual(
      ['colour', 'email', 'locale', 'phone', 'slack.userId', 'timezone'].sort(),
    );
    expect((await call('GET', '/v1/recipients/dave')).status).toBe(404);
  });

  it.each([
    ['a space', 'a%20b'],
    ['a slash', 'a%2Fb'],
    ['129 characters', 'x'.repeat(129)],
    ['a non-ASCII letter', '%C3%A5'],
  ])('answers 400 to a recipient id with %s', async (_name, id) => {
    const res = await call('PUT', `/v1/recipients/${id}`, { body: {} });

    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { details: [{ path: 'recipientId' }] },
    });
  });

  it('refuses a Slack webhook the client may not use, and takes one it may', async () => {
    const refused = await call('PUT', '/v1/recipients/erin', { body: { slack: { webhook: 'x' } } });
    const allowed = await call('PUT', '/v1/recipients/erin', {
      body: { slack: { webhook: 'ops' } },
    });

    expect(refused.status).toBe(400);
    expect(allowed.status).toBe(201);
  });

  it('answers 403 without audience:write and 401 without a token', async () => {
    const readOnly = await call('PUT', '/v1/recipients/frank', { body: {}, token: 'r.r.r' });
    const notifications = await call('PUT', '/v1/recipients/frank', { body: {}, token: 'n.n.n' });
    const anonymous = await fetch(`${audience.app.base}/v1/recipients/frank`, { method: 'PUT' });

    expect(readOnly.status).toBe(403);
    expect(notifications.status).toBe(403);
    expect(anonymous.status).toBe(401);
  });
});

describe('GET and DELETE /v1/recipients/:recipientId', () => {
  it('reads the recipient with its ETag, and 304 for If-None-Match', async () => {
    const put = await call('PUT', '/v1/recipients/gina', { body: alice });
    const etag = put.headers.get('etag') ?? '';

    const read = await call('GET', '/v1/recipients/gina', { token: 'r.r.r' });
    const cached = await call('GET', '/v1/recipients/gina', { headers: { 'if-none-match': etag } });

    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(etag);
    expect(await read.json()).toMatchObject({ id: 'gina', ...alice });
    expect(cached.status).toBe(304);
  });

  it("answers 404 for another client's recipient, exactly as for a missing one", async () => {
    await call('PUT', '/v1/recipients/hank', { body: alice });

    const other = await call('GET', '/v1/recipients/hank', { token: 'b.b.b' });
    const missing = await call('GET', '/v1/recipients/nobody', { token: 'b.b.b' });
    const erase = await call('DELETE', '/v1/recipients/hank', { token: 'b.b.b' });

    expect(other.status).toBe(404);
    expect(await other.json()).toEqual(await missing.json());
    expect(erase.status).toBe(404);
    expect((await call('GET', '/v1/recipients/hank')).status).toBe(200);
  });

  it('erases the recipient and its devices (204), then 404', async () => {
    await call('PUT', '/v1/recipients/ivan', { body: alice });
    await call('POST', '/v1/recipients/ivan/devices', {
      body: { fcm: { token: 'fcm-token-0123456789abcdef' } },
    });

    const erased = await call('DELETE', '/v1/recipients/ivan');

    expect(erased.status).toBe(204);
    expect((await call('GET', '/v1/recipients/ivan')).status).toBe(404);
    expect((await call('GET', '/v1/recipients/ivan/devices')).status).toBe(404);
    expect((await call('DELETE', '/v1/recipients/ivan')).status).toBe(404);
  });

  it('needs audience:read to read and audience:write to erase', async () => {
    await call('PUT', '/v1/recipients/jane', { body: {} });

    expect((await call('GET', '/v1/recipients/jane', { token: 'n.n.n' })).status).toBe(403);
    expect((await call('DELETE', '/v1/recipients/jane', { token: 'r.r.r' })).status).toBe(403);
  });

  it('answers 405 with Allow to other methods', async () => {
    const res = await call('PATCH', '/v1/recipients/jane', { body: {} });

    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, PUT, DELETE');
  });
});
