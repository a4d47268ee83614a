import { useAudienceApp } from './testing-audience';

const { call } = useAudienceApp();
const TOPIC = '0f8fad5b-d9cb-469f-a165-70867728950e';
const PREFS = '/v1/recipients/alice/preferences';
const full = {
  channels: { sms: false },
  topics: { [TOPIC]: { email: false } },
  quietHours: { start: '22:00', end: '07:00', timezone: 'Europe/Oslo' },
};

beforeEach(async () => {
  await call('PUT', '/v1/recipients/alice', { body: { email: 'alice@example.com' } });
});

describe('GET/PUT /v1/recipients/:recipientId/preferences', () => {
  it('answers {} with an ETag before any write, then stores (201) and replaces (200)', async () => {
    const none = await call('GET', PREFS);
    const created = await call('PUT', PREFS, {
      body: full,
      headers: { 'if-match': none.headers.get('etag') ?? '' },
    });
    const replaced = await call('PUT', PREFS, { body: { channels: { push: false } } });
    const read = await call('GET', PREFS);

    expect(none.status).toBe(200);
    expect(await none.json()).toEqual({});
    expect(none.headers.get('etag')).toMatch(/^".+"$/);
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual(full);
    expect(replaced.status).toBe(200);
    expect(await read.json()).toEqual({ channels: { push: false } });
    expect(read.headers.get('etag')).toBe(replaced.headers.get('etag'));
    const etags = new Set([none, created, replaced].map((r) => r.headers.get('etag')));
    expect(etags.size).toBe(3);
  });

  it('answers 412 to a stale If-Match and 304 to a current If-None-Match', async () => {
    const first = await call('PUT', PREFS, { body: { channels: { sms: false } } });
    await call('PUT', PREFS, { body: {} });

    const stale = await call('PUT', PREFS, {
      body: { channels: { email: false } },
      headers: { 'if-match': first.headers.get('etag') ?? '' },
    });
    const current = await call('GET', PREFS);
    const notModified = await call('GET', PREFS, {
      headers: { 'if-none-match': current.headers.get('etag') ?? '' },
    });

    expect(stale.status).toBe(412);
    expect(await current.json()).toEqual({});
    expect(notModified.status).toBe(304);
  });

  it('answers 400 listing every problem, and stores nothing', async () => {
    const res = await call('PUT', PREFS, {
      body: {
        channels: { sms: 'no' },
        topics: { 'not-a-uuid': { email: false } },
        quietHours: { start: '25:00', end: '07:00', timezone: 'Mars/Olympus' },
        colour: 'blue',
      },
    });

    const body = (await res.json()) as { error: { code: string; details: { path: string }[] } };
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d) => d.path).sort()).toEqual([
      'channels.sms',
      'colour',
      'quietHours.start',
      'quietHours.timezone',
      'topics.not-a-uuid',
    ]);
    expect(await (await call('GET', PREFS)).json()).toEqual({});
  });

  it('refuses a window that starts when it ends, and a body that is not an object', async () => {
    const same = await call('PUT', PREFS, {
      body: { quietHours: { start: '08:00', end: '08:00' } },
    });
    const list = await call('PUT', PREFS, { body: [] });

    expect([same.status, list.status]).toEqual([400, 400]);
  });

  it("answers 404 for an unknown recipient and another client's, storing nothing", async () => {
    const unknown = await call('PUT', '/v1/recipients/bob/preferences', { body: full });
    const foreign = await call('PUT', PREFS, { body: full, token: 'b.b.b' });
    const foreignRead = await call('GET', PREFS, { token: 'b.b.b' });

    expect([unknown.status, foreign.status, foreignRead.status]).toEqual([404, 404, 404]);
    expect(await (await call('GET', PREFS)).json()).toEqual({});
  });

  it('needs audience:write to change and audience:read to read', async () => {
    const readOnly = await call('PUT', PREFS, { body: full, token: 'r.r.r' });
    const read = await call('GET', PREFS, { token: 'r.r.r' });
    const noScope = await call('GET', PREFS, { token: 'n.n.n' });

    expect([readOnly.status, read.status, noScope.status]).toEqual([403, 200, 403]);
  });

  it('is erased with the recipient: a recipient created again has none', async () => {
    await call('PUT', PREFS, { body: full });

    await call('DELETE', '/v1/recipients/alice');
    const gone = await call('GET', PREFS);
    await call('PUT', '/v1/recipients/alice', { body: {} });
    const again = await call('GET', PREFS);

    expect(gone.status).toBe(404);
    expect(await again.json()).toEqual({});
  });

  it('answers 405 to other methods and 400 to a bad recipient id', async () => {
    const post = await call('POST', PREFS, { body: full });
    const badId = await call('GET', '/v1/recipients/a%20b/preferences');

    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, PUT');
    expect(badId.status).toBe(400);
  });
});
